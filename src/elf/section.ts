import { f, type ElfDecoder, type Layout } from './decoder.js';
import { flagNames, nameOf } from './names.js';
import { getString } from './strings.js';

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

/**
 * Parses `count` headers of `entsize` bytes, naming them from `names` (the section name table;
 * empty when unknown: then only sh_name 0 resolves). Built field by field in one pass: scans
 * of thousands of files parse ~100,000 headers.
 */
export function parseSectionHeaders(d: ElfDecoder, table: Uint8Array, entsize: number, count: number, names: Uint8Array = new Uint8Array(0)): SectionHeader[] {
  // sh_name, sh_type, sh_link and sh_info are 4 bytes in both classes, the others the class
  // word: read as such (`word`) rather than through a width chosen per field, which cost a
  // branch per field and kept V8 from inlining the readers.
  const p = d.placesOf(SHDR_LAYOUT);
  const [oName, oType, oFlags, oAddr, oOffset, oSize] = [p.name.o, p.type.o, p.flags.o, p.addr.o, p.offset.o, p.size.o];
  const [oLink, oInfo, oAlign, oEntsize] = [p.link.o, p.info.o, p.addralign.o, p.entsize.o];
  const out: SectionHeader[] = [];
  for (let i = 0; i < count; i++) {
    const base = i * entsize;
    const nameIndex = d.u32(table, base + oName);
    const name = getString(names, nameIndex);
    out.push({
      index: i,
      name: name ?? '',
      nameOk: name !== undefined,
      nameIndex,
      type: d.u32(table, base + oType),
      // Flags beyond bit 31 are OS/processor specific; the ones we test all sit in the low word.
      flags: d.word(table, base + oFlags) % 2 ** 32,
      addr: d.word(table, base + oAddr),
      offset: d.word(table, base + oOffset),
      size: d.word(table, base + oSize),
      link: d.u32(table, base + oLink),
      info: d.u32(table, base + oInfo),
      addralign: d.word(table, base + oAlign),
      entsize: d.word(table, base + oEntsize),
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
