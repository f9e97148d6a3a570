import { f, type ElfDecoder, type Layout } from './decoder.js';
import { flagNames, nameOf } from './names.js';
import { getString } from './strings.js';

/** d_tag values: gABI, GNU and the common processor-independent extensions. */
export const DT = Object.freeze({
  NULL: 0,
  NEEDED: 1,
  PLTRELSZ: 2,
  PLTGOT: 3,
  HASH: 4,
  STRTAB: 5,
  SYMTAB: 6,
  RELA: 7,
  RELASZ: 8,
  RELAENT: 9,
  STRSZ: 10,
  SYMENT: 11,
  INIT: 12,
  FINI: 13,
  SONAME: 14,
  RPATH: 15,
  SYMBOLIC: 16,
  REL: 17,
  RELSZ: 18,
  RELENT: 19,
  PLTREL: 20,
  DEBUG: 21,
  TEXTREL: 22,
  JMPREL: 23,
  BIND_NOW: 24,
  INIT_ARRAY: 25,
  FINI_ARRAY: 26,
  INIT_ARRAYSZ: 27,
  FINI_ARRAYSZ: 28,
  RUNPATH: 29,
  FLAGS: 30,
  PREINIT_ARRAY: 32,
  PREINIT_ARRAYSZ: 33,
  SYMTAB_SHNDX: 34,
  RELRSZ: 35,
  RELR: 36,
  RELRENT: 37,
  GNU_FLAGS_1: 0x6ffffdf4,
  GNU_PRELINKED: 0x6ffffdf5,
  GNU_CONFLICTSZ: 0x6ffffdf6,
  GNU_LIBLISTSZ: 0x6ffffdf7,
  CHECKSUM: 0x6ffffdf8,
  PLTPADSZ: 0x6ffffdf9,
  MOVEENT: 0x6ffffdfa,
  MOVESZ: 0x6ffffdfb,
  FEATURE_1: 0x6ffffdfc,
  POSFLAG_1: 0x6ffffdfd,
  SYMINSZ: 0x6ffffdfe,
  SYMINENT: 0x6ffffdff,
  GNU_HASH: 0x6ffffef5,
  TLSDESC_PLT: 0x6ffffef6,
  TLSDESC_GOT: 0x6ffffef7,
  GNU_CONFLICT: 0x6ffffef8,
  GNU_LIBLIST: 0x6ffffef9,
  CONFIG: 0x6ffffefa,
  DEPAUDIT: 0x6ffffefb,
  AUDIT: 0x6ffffefc,
  PLTPAD: 0x6ffffefd,
  MOVETAB: 0x6ffffefe,
  SYMINFO: 0x6ffffeff,
  VERSYM: 0x6ffffff0,
  RELACOUNT: 0x6ffffff9,
  RELCOUNT: 0x6ffffffa,
  FLAGS_1: 0x6ffffffb,
  VERDEF: 0x6ffffffc,
  VERDEFNUM: 0x6ffffffd,
  VERNEED: 0x6ffffffe,
  VERNEEDNUM: 0x6fffffff,
  AUXILIARY: 0x7ffffffd,
  FILTER: 0x7fffffff,
});

/** DT_FLAGS bits. */
export const DF = Object.freeze({ ORIGIN: 0x1, SYMBOLIC: 0x2, TEXTREL: 0x4, BIND_NOW: 0x8, STATIC_TLS: 0x10 });

/** DT_FLAGS_1 bits. */
export const DF_1 = Object.freeze({
  NOW: 0x1,
  GLOBAL: 0x2,
  GROUP: 0x4,
  NODELETE: 0x8,
  LOADFLTR: 0x10,
  INITFIRST: 0x20,
  NOOPEN: 0x40,
  ORIGIN: 0x80,
  DIRECT: 0x100,
  TRANS: 0x200,
  INTERPOSE: 0x400,
  NODEFLIB: 0x800,
  NODUMP: 0x1000,
  CONFALT: 0x2000,
  ENDFILTEE: 0x4000,
  DISPRELDNE: 0x8000,
  DISPRELPND: 0x10000,
  NODIRECT: 0x20000,
  IGNMULDEF: 0x40000,
  NOKSYMS: 0x80000,
  NOHDR: 0x100000,
  EDITED: 0x200000,
  NORELOC: 0x400000,
  SYMINTPOSE: 0x800000,
  GLOBAUDIT: 0x1000000,
  SINGLETON: 0x2000000,
  STUB: 0x4000000,
  PIE: 0x8000000,
  KMOD: 0x10000000,
  WEAKFILTER: 0x20000000,
  NOCOMMON: 0x40000000,
});

/** One dynamic entry as stored: the tag (signed) and its value or address. */
export interface DynEntry {
  readonly tag: number;
  readonly value: number;
}

export const DYN_LAYOUT: Layout<'tag' | 'val'> = {
  size32: 8,
  size64: 16,
  fields: { tag: f(0, 4, 0, 8), val: f(4, 4, 8, 8) },
};

/** Tags whose value is an offset in the dynamic string table. */
export const STRING_TAGS: ReadonlySet<number> = new Set([DT.NEEDED, DT.SONAME, DT.RPATH, DT.RUNPATH, DT.AUXILIARY, DT.FILTER, DT.CONFIG, DT.DEPAUDIT, DT.AUDIT]);

/**
 * The dynamic section, decoded: raw entries plus the facts checks ask for. `byTag` holds the
 * first entry of each tag, `strtab` the dynamic string table (empty when unreadable). A class
 * rather than an object of closures: every ELF file with a dynamic section makes one, mostly
 * in code V8 has not optimised yet, and its methods are compiled once instead of three
 * closures made per file.
 */
export class DynamicInfo {
  readonly needed: readonly string[];
  readonly soname: string | undefined;
  readonly rpath: string | undefined;
  readonly runpath: string | undefined;
  /** DT_FLAGS value (0 when absent). */
  readonly flags: number;
  /** DT_FLAGS_1 value (0 when absent). */
  readonly flags1: number;
  readonly hasFlags: boolean;
  readonly hasFlags1: boolean;

  constructor(
    readonly entries: readonly DynEntry[],
    /** Where the entries were read from (PT_DYNAMIC or the SHT_DYNAMIC section). */
    readonly from: 'segment' | 'section',
    private readonly byTag: ReadonlyMap<number, DynEntry>,
    neededEntries: readonly DynEntry[],
    private readonly strtab: Uint8Array,
  ) {
    const needed: string[] = [];
    for (let i = 0; i < neededEntries.length; i++) needed.push(this.string(neededEntries[i] as DynEntry) ?? '');
    this.needed = needed;
    this.soname = this.stringOf(DT.SONAME);
    this.rpath = this.stringOf(DT.RPATH);
    this.runpath = this.stringOf(DT.RUNPATH);
    const flags = byTag.get(DT.FLAGS);
    const flags1 = byTag.get(DT.FLAGS_1);
    this.flags = flags?.value ?? 0;
    this.flags1 = flags1?.value ?? 0;
    this.hasFlags = flags !== undefined;
    this.hasFlags1 = flags1 !== undefined;
  }

  /** True when any entry has tag `tag`. */
  has(tag: number): boolean {
    return this.byTag.has(tag);
  }

  /** Value of the first entry with tag `tag`. */
  get(tag: number): number | undefined {
    return this.byTag.get(tag)?.value;
  }

  /** String of a string-valued tag's entry (NEEDED, SONAME, RPATH...), or undefined. */
  string(entry: DynEntry): string | undefined {
    return STRING_TAGS.has(entry.tag) ? getString(this.strtab, entry.value) : undefined;
  }

  /** The string of the first entry with `tag` ('' when unreadable), undefined without one. */
  private stringOf(tag: number): string | undefined {
    const e = this.byTag.get(tag);
    return e === undefined ? undefined : (this.string(e) ?? '');
  }
}

/**
 * Decodes dynamic entries up to and including the first DT_NULL (the loader stops there;
 * trailing padding entries are not part of the table).
 */
export function parseDynamic(d: ElfDecoder, bytes: Uint8Array, maxEntries: number): DynEntry[] {
  const size = d.sizeOf(DYN_LAYOUT);
  const n = Math.min(Math.floor(bytes.length / size), maxEntries);
  const out: DynEntry[] = [];
  for (let i = 0; i < n; i++) {
    const tag = d.signedField(bytes, i * size, DYN_LAYOUT, 'tag');
    const value = d.field(bytes, i * size, DYN_LAYOUT, 'val');
    // Tags are compared as unsigned 32-bit on ELF32 and as small signed values on ELF64;
    // normalise the OS/processor ranges (0x6.../0x7...) to positive numbers on both.
    out.push({ tag: tag < 0 && tag >= -(2 ** 31) && !d.is64 ? tag >>> 0 : tag, value });
    if (tag === DT.NULL) break;
  }
  return out;
}

/** `DT_BIND_NOW`-style name of a dynamic tag. */
export function dynTagName(tag: number): string {
  return nameOf(DT, tag, 'DT_');
}

/** Names of DT_FLAGS bits (`DF_BIND_NOW`...). */
export function dfNames(v: number): string[] {
  return flagNames(DF, v).map((n) => (n.startsWith('0x') ? n : `DF_${n}`));
}

/** Names of DT_FLAGS_1 bits (`DF_1_NOW`, `DF_1_PIE`...). */
export function df1Names(v: number): string[] {
  return flagNames(DF_1, v).map((n) => (n.startsWith('0x') ? n : `DF_1_${n}`));
}
