import { f, type ElfDecoder, type Layout } from './decoder.js';
import { flagNames, nameOf } from './names.js';

/** sh_type values, with the GNU extensions. */
export const SHT = Object.freeze({
  NULL: 0,
  PROGBITS: 1,
  SYMTAB: 2,
  STRTAB: 3,
  RELA: 4,
  HASH: 5,
  DYNAMIC: 6,
  NOTE: 7,
  NOBITS: 8,
  REL: 9,
  SHLIB: 10,
  DYNSYM: 11,
  INIT_ARRAY: 14,
  FINI_ARRAY: 15,
  PREINIT_ARRAY: 16,
  GROUP: 17,
  SYMTAB_SHNDX: 18,
  RELR: 19,
  GNU_ATTRIBUTES: 0x6ffffff5,
  GNU_HASH: 0x6ffffff6,
  GNU_LIBLIST: 0x6ffffff7,
  CHECKSUM: 0x6ffffff8,
  GNU_verdef: 0x6ffffffd,
  GNU_verneed: 0x6ffffffe,
  GNU_versym: 0x6fffffff,
  ARM_EXIDX: 0x70000001,
  ARM_ATTRIBUTES: 0x70000003,
});

/** sh_flags bits. */
export const SHF = Object.freeze({
  WRITE: 0x1,
  ALLOC: 0x2,
  EXECINSTR: 0x4,
  MERGE: 0x10,
  STRINGS: 0x20,
  INFO_LINK: 0x40,
  LINK_ORDER: 0x80,
  OS_NONCONFORMING: 0x100,
  GROUP: 0x200,
  TLS: 0x400,
  COMPRESSED: 0x800,
});

/** Special section indexes. */
export const SHN = Object.freeze({ UNDEF: 0, LORESERVE: 0xff00, ABS: 0xfff1, COMMON: 0xfff2, XINDEX: 0xffff });

/** A section header, fields as in `Elf_Shdr`, with its name resolved. */
export interface SectionHeader {
  readonly index: number;
  /** Resolved name; empty when sh_name is out of the section name table (see `nameOk`). */
  readonly name: string;
  readonly nameOk: boolean;
  readonly nameIndex: number;
  readonly type: number;
  readonly flags: number;
  readonly addr: number;
  readonly offset: number;
  readonly size: number;
  readonly link: number;
  readonly info: number;
  readonly addralign: number;
  readonly entsize: number;
}

export const SHDR_LAYOUT: Layout<'name' | 'type' | 'flags' | 'addr' | 'offset' | 'size' | 'link' | 'info' | 'addralign' | 'entsize'> = {
  size32: 40,
  size64: 64,
  fields: {
    name: f(0, 4, 0, 4),
    type: f(4, 4, 4, 4),
    flags: f(8, 4, 8, 8),
    addr: f(12, 4, 16, 8),
    offset: f(16, 4, 24, 8),
    size: f(20, 4, 32, 8),
    link: f(24, 4, 40, 4),
    info: f(28, 4, 44, 4),
    addralign: f(32, 4, 48, 8),
    entsize: f(36, 4, 56, 8),
  },
};

/** Raw header fields before names are resolved. */
export type RawSectionHeader = Omit<SectionHeader, 'name' | 'nameOk'>;

export function parseSectionHeaders(d: ElfDecoder, table: Uint8Array, entsize: number, count: number): RawSectionHeader[] {
  const out: RawSectionHeader[] = [];
  for (let i = 0; i < count; i++) {
    const base = i * entsize;
    const r = (k: keyof typeof SHDR_LAYOUT.fields): number => d.field(table, base, SHDR_LAYOUT, k);
    out.push({
      index: i,
      nameIndex: r('name'),
      type: r('type'),
      // Flags beyond bit 31 are OS/processor specific; the ones we test all sit in the low word.
      flags: r('flags') % 2 ** 32,
      addr: r('addr'),
      offset: r('offset'),
      size: r('size'),
      link: r('link'),
      info: r('info'),
      addralign: r('addralign'),
      entsize: r('entsize'),
    });
  }
  return out;
}

/** `SHT_PROGBITS`-style name of a section type. */
export function sectionTypeName(t: number): string {
  return nameOf(SHT, t, 'SHT_');
}

/** Names of the sh_flags bits set. */
export function sectionFlagNames(flags: number): string[] {
  return flagNames(SHF, flags).map((n) => (n.startsWith('0x') ? n : `SHF_${n}`));
}
