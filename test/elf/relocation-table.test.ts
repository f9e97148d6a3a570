/**
 * RelocationTable (found by offset, decoded on demand) against parseRelocations (every entry
 * decoded): the same entry for every offset asked, in both classes and byte orders, for REL and
 * RELA, with tables in offset order, out of order, and with several entries at one offset
 * (the last in table order applies).
 */
import { describe, expect, it } from 'vitest';
import { ElfDecoder } from '../../src/elf/decoder.js';
import { parseRelocations, type Relocation, RelocationTable } from '../../src/elf/relocation.js';

/** Writes `entries` as a REL or RELA table of class `is64` and the given byte order. */
function encode(entries: readonly Relocation[], is64: boolean, littleEndian: boolean, rela: boolean): { table: Uint8Array; entsize: number } {
  const entsize = is64 ? (rela ? 24 : 16) : rela ? 12 : 8;
  const table = new Uint8Array(entries.length * entsize);
  const v = new DataView(table.buffer);
  entries.forEach((r, i) => {
    const base = i * entsize;
    if (is64) {
      v.setBigUint64(base, BigInt(r.offset), littleEndian);
      v.setBigUint64(base + 8, (BigInt(r.symbol) << 32n) | BigInt(r.type), littleEndian);
      if (rela) v.setBigInt64(base + 16, BigInt(r.addend), littleEndian);
    } else {
      v.setUint32(base, r.offset, littleEndian);
      v.setUint32(base + 4, ((r.symbol << 8) | r.type) >>> 0, littleEndian);
      if (rela) v.setInt32(base + 8, r.addend, littleEndian);
    }
  });
  return { table, entsize };
}

/** What a reader of the whole table would find at `offset`: the last entry there. */
function lastAt(all: readonly Relocation[], offset: number): Relocation | undefined {
  let found: Relocation | undefined;
  for (const r of all) if (r.offset === offset) found = r;
  return found;
}

const ORDERED: Relocation[] = Array.from({ length: 40 }, (_, i) => ({ offset: 8 * i + 4, type: 1 + (i % 5), symbol: i + 1, addend: i % 3 === 0 ? -i : 100 * i }));
// Out of order, with three entries at offset 44 and two at 12 (the later ones must win).
const SHUFFLED: Relocation[] = [
  ...ORDERED.slice(20).reverse(),
  { offset: 44, type: 9, symbol: 7, addend: 7 },
  ...ORDERED.slice(0, 20),
  { offset: 12, type: 10, symbol: 3, addend: -3 },
  { offset: 44, type: 11, symbol: 8, addend: 8 },
];

describe('RelocationTable', () => {
  for (const is64 of [true, false]) {
    for (const littleEndian of [true, false]) {
      for (const rela of [true, false]) {
        for (const [name, entries] of [
          ['in offset order', ORDERED],
          ['out of order, with repeated offsets', SHUFFLED],
        ] as const) {
          it(`finds what parseRelocations decodes: ELF${is64 ? 64 : 32} ${littleEndian ? 'LE' : 'BE'} ${rela ? 'RELA' : 'REL'}, ${name}`, () => {
            const d = new ElfDecoder(is64, littleEndian);
            const { table, entsize } = encode(entries, is64, littleEndian, rela);
            const all = parseRelocations(d, table, entsize, rela);
            expect(all).toHaveLength(entries.length);
            const t = new RelocationTable(d, table, entsize, rela);
            expect(t.count).toBe(entries.length);
            let hits = 0;
            for (let offset = 0; offset <= 8 * 41; offset++) {
              const want = lastAt(all, offset);
              expect(t.at(offset)).toEqual(want);
              if (want !== undefined) hits++;
            }
            expect(hits).toBe(40);
            if (entries === SHUFFLED) {
              expect(t.at(44)).toEqual({ offset: 44, type: 11, symbol: 8, addend: rela ? 8 : 0 });
              expect(t.at(12)).toEqual({ offset: 12, type: 10, symbol: 3, addend: rela ? -3 : 0 });
            }
          });
        }
      }
    }
  }

  it('finds nothing in an empty table or before its first entry', () => {
    const d = new ElfDecoder(true, true);
    expect(new RelocationTable(d, new Uint8Array(0), 24, true).at(0)).toBeUndefined();
    const { table, entsize } = encode(ORDERED, true, true, true);
    const t = new RelocationTable(d, table, entsize, true);
    expect(t.at(0)).toBeUndefined();
    expect(t.at(3)).toBeUndefined();
    expect(t.at(2 ** 40)).toBeUndefined();
  });
});
