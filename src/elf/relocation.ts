import { f, type ElfDecoder, type Layout } from './decoder.js';

/** One relocation: where, which type, which symbol, and the addend (0 for REL). */
export interface Relocation {
  readonly offset: number;
  readonly type: number;
  readonly symbol: number;
  readonly addend: number;
}

export const REL_LAYOUT: Layout<'offset' | 'info'> = {
  size32: 8,
  size64: 16,
  fields: { offset: f(0, 4, 0, 8), info: f(4, 4, 8, 8) },
};

export const RELA_LAYOUT: Layout<'offset' | 'info' | 'addend'> = {
  size32: 12,
  size64: 24,
  fields: { offset: f(0, 4, 0, 8), info: f(4, 4, 8, 8), addend: f(8, 4, 16, 8) },
};

/**
 * Decodes a REL or RELA table. r_info splits as (sym << 8 | type) on ELF32 and
 * (sym << 32 | type) on ELF64 — except MIPS64, whose little-endian r_info is a byte-swapped
 * structure (r_sym, r_ssym, r_type3, r_type2, r_type); `mips64el` selects that reading.
 */
export function parseRelocations(d: ElfDecoder, table: Uint8Array, entsize: number, withAddend: boolean, mips64el = false): Relocation[] {
  const n = Math.floor(table.length / entsize);
  const out: Relocation[] = new Array<Relocation>(n);
  for (let i = 0; i < n; i++) {
    const base = i * entsize;
    const offset = withAddend ? d.field(table, base, RELA_LAYOUT, 'offset') : d.field(table, base, REL_LAYOUT, 'offset');
    let type: number;
    let symbol: number;
    if (d.is64) {
      const infoOff = base + 8;
      if (mips64el) {
        symbol = d.u32(table, infoOff);
        type = table[infoOff + 7] ?? 0;
      } else {
        symbol = d.hi32(table, infoOff);
        type = d.lo32(table, infoOff);
      }
    } else {
      const info = d.u32(table, base + 4);
      symbol = info >>> 8;
      type = info & 0xff;
    }
    const addend = withAddend ? d.signedField(table, base, RELA_LAYOUT, 'addend') : 0;
    out[i] = { offset, type, symbol, addend };
  }
  return out;
}
