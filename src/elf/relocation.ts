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
  for (let i = 0; i < n; i++) out[i] = parseRelocation(d, table, i * entsize, withAddend, mips64el);
  return out;
}

/** The entry at byte `base` of a REL or RELA table (see parseRelocations). */
export function parseRelocation(d: ElfDecoder, table: Uint8Array, base: number, withAddend: boolean, mips64el = false): Relocation {
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
  return { offset, type, symbol, addend };
}

/**
 * A relocation section kept as its bytes, for finding the entries at given offsets without
 * decoding the others: a relocatable object's .rela.debug_info holds an entry per reference
 * between debug sections (100,000s in a large object), of which a reader of unit headers asks
 * for a few per unit. Only r_offset is decoded up front; an entry is decoded when it is found.
 */
export class RelocationTable {
  readonly count: number;
  /** r_offset of each entry. */
  private readonly offsets: Float64Array;
  /** Entry indexes in offset order (stable), or undefined when the table is in offset order already. */
  private readonly order: Uint32Array | undefined;

  constructor(
    private readonly d: ElfDecoder,
    private readonly table: Uint8Array,
    private readonly entsize: number,
    private readonly withAddend: boolean,
    private readonly mips64el = false,
  ) {
    this.count = Math.floor(table.length / entsize);
    // r_offset is the first field in every layout: 4 bytes in ELF32, 8 in ELF64.
    const offsets = new Float64Array(this.count);
    let ordered = true;
    for (let i = 0; i < this.count; i++) {
      offsets[i] = d.word(table, i * entsize);
      if (i > 0 && (offsets[i] ?? 0) < (offsets[i - 1] ?? 0)) ordered = false;
    }
    this.offsets = offsets;
    // The assembler writes them in offset order; anything else gets a stable sort of indexes.
    this.order = ordered ? undefined : Uint32Array.from({ length: this.count }, (_, i) => i).sort((a, b) => (offsets[a] ?? 0) - (offsets[b] ?? 0) || a - b);
  }

  /**
   * The entry that applies at exactly `offset`: the last one there in table order (as if each
   * later one overwrote the earlier), or undefined.
   */
  at(offset: number): Relocation | undefined {
    const { offsets, order } = this;
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const i = order === undefined ? mid : (order[mid] ?? 0);
      if ((offsets[i] ?? 0) <= offset) lo = mid + 1;
      else hi = mid;
    }
    if (lo === 0) return undefined;
    const i = order === undefined ? lo - 1 : (order[lo - 1] ?? 0);
    if (offsets[i] !== offset) return undefined;
    return parseRelocation(this.d, this.table, i * this.entsize, this.withAddend, this.mips64el);
  }
}
