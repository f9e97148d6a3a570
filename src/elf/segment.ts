import { f, type ElfDecoder, type Layout } from './decoder.js';
import { flagNames, nameOf } from './names.js';

/** p_type values, including the GNU and processor extensions seen on Linux. */
export const PT = Object.freeze({
  NULL: 0,
  LOAD: 1,
  DYNAMIC: 2,
  INTERP: 3,
  NOTE: 4,
  SHLIB: 5,
  PHDR: 6,
  TLS: 7,
  GNU_EH_FRAME: 0x6474e550,
  GNU_STACK: 0x6474e551,
  GNU_RELRO: 0x6474e552,
  GNU_PROPERTY: 0x6474e553,
  GNU_SFRAME: 0x6474e554,
  OPENBSD_RANDOMIZE: 0x65a3dbe6,
  OPENBSD_WXNEEDED: 0x65a3dbe7,
  PAX_FLAGS: 0x65041580,
  ARM_EXIDX: 0x70000001,
  MIPS_REGINFO: 0x70000000,
  MIPS_ABIFLAGS: 0x70000003,
});

/** p_flags bits. */
export const PF = Object.freeze({ X: 1, W: 2, R: 4 });

/** A program header (segment), fields as in the gABI `Elf_Phdr`. */
export interface ProgHeader {
  readonly index: number;
  readonly type: number;
  readonly flags: number;
  readonly offset: number;
  readonly vaddr: number;
  readonly paddr: number;
  readonly filesz: number;
  readonly memsz: number;
  readonly align: number;
}

export const PHDR_LAYOUT: Layout<'type' | 'flags' | 'offset' | 'vaddr' | 'paddr' | 'filesz' | 'memsz' | 'align'> = {
  size32: 32,
  size64: 56,
  fields: {
    type: f(0, 4, 0, 4),
    offset: f(4, 4, 8, 8),
    vaddr: f(8, 4, 16, 8),
    paddr: f(12, 4, 24, 8),
    filesz: f(16, 4, 32, 8),
    memsz: f(20, 4, 40, 8),
    flags: f(24, 4, 4, 4),
    align: f(28, 4, 48, 8),
  },
};

/** Decodes `count` program headers from their table bytes (already bounds-checked). */
export function parseProgHeaders(d: ElfDecoder, table: Uint8Array, entsize: number, count: number): ProgHeader[] {
  const out: ProgHeader[] = [];
  for (let i = 0; i < count; i++) {
    const base = i * entsize;
    const r = (k: keyof typeof PHDR_LAYOUT.fields): number => d.field(table, base, PHDR_LAYOUT, k);
    out.push({
      index: i,
      type: r('type'),
      flags: r('flags'),
      offset: r('offset'),
      vaddr: r('vaddr'),
      paddr: r('paddr'),
      filesz: r('filesz'),
      memsz: r('memsz'),
      align: r('align'),
    });
  }
  return out;
}

/** `PT_GNU_RELRO`-style name of a segment type. */
export function progTypeName(t: number): string {
  return nameOf(PT, t, 'PT_');
}

/** `RWX`-style flags string as readelf prints them (`RW `, `R E`). */
export function progFlagsString(flags: number): string {
  return `${flags & PF.R ? 'R' : ' '}${flags & PF.W ? 'W' : ' '}${flags & PF.X ? 'E' : ' '}`;
}

/** Names of the p_flags bits (`PF_R`, `PF_W`, `PF_X`). */
export function progFlagNames(flags: number): string[] {
  return flagNames(PF, flags & 7).map((n) => `PF_${n}`);
}
