/**
 * ElfDecoder's integer readers against DataView's, for both byte orders, at every alignment,
 * on values with every byte distinct and with the sign bit set; and its reads past the end.
 */
import { describe, expect, it } from 'vitest';
import { ElfDecoder, f, type Layout } from '../../src/elf/decoder.js';

/** Deterministic bytes (a linear congruential generator), so a failure can be replayed. */
function bytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

const LAYOUT: Layout<'word' | 'addend'> = { size32: 8, size64: 16, fields: { word: f(0, 4, 0, 8), addend: f(4, 4, 8, 8) } };

describe('ElfDecoder', () => {
  for (const littleEndian of [true, false]) {
    it(`reads ${littleEndian ? 'little' : 'big'}-endian integers as DataView does`, () => {
      const b = bytes(4096, littleEndian ? 1 : 2);
      // Values with the top bit set, so signed and unsigned readings differ.
      b.fill(0xff, 100, 108);
      b[200] = 0x80;
      b[207] = 0x80;
      const v = new DataView(b.buffer);
      const d = new ElfDecoder(true, littleEndian);
      for (let o = 0; o + 8 <= b.length; o++) {
        expect(d.u8(b, o)).toBe(v.getUint8(o));
        expect(d.u16(b, o)).toBe(v.getUint16(o, littleEndian));
        expect(d.u32(b, o)).toBe(v.getUint32(o, littleEndian));
        expect(d.i32(b, o)).toBe(v.getInt32(o, littleEndian));
        expect(d.u64(b, o)).toBe(Number(v.getBigUint64(o, littleEndian)));
        expect(d.i64(b, o)).toBe(Number(v.getBigInt64(o, littleEndian)));
        const whole = v.getBigUint64(o, littleEndian);
        expect(d.lo32(b, o)).toBe(Number(whole & 0xffffffffn));
        expect(d.hi32(b, o)).toBe(Number(whole >> 32n));
      }
    });

    it(`reads ${littleEndian ? 'little' : 'big'}-endian fields of each class, signed where asked`, () => {
      const b = bytes(64, 3);
      b.fill(0xff, 8, 16);
      const v = new DataView(b.buffer);
      const d64 = new ElfDecoder(true, littleEndian);
      const d32 = new ElfDecoder(false, littleEndian);
      expect(d64.field(b, 0, LAYOUT, 'word')).toBe(Number(v.getBigUint64(0, littleEndian)));
      expect(d64.signedField(b, 0, LAYOUT, 'addend')).toBe(-1);
      expect(d32.field(b, 0, LAYOUT, 'word')).toBe(v.getUint32(0, littleEndian));
      expect(d32.signedField(b, 8, LAYOUT, 'addend')).toBe(-1);
      expect(d32.signedField(b, 0, LAYOUT, 'addend')).toBe(v.getInt32(4, littleEndian));
    });

    it(`reads the ${littleEndian ? 'little' : 'big'}-endian class word and a layout's sizes and places in each class`, () => {
      const b = bytes(256, 4);
      b.fill(0xff, 40, 48);
      const v = new DataView(b.buffer);
      const d64 = new ElfDecoder(true, littleEndian);
      const d32 = new ElfDecoder(false, littleEndian);
      for (let o = 0; o + 8 <= b.length; o++) {
        expect(d64.word(b, o)).toBe(Number(v.getBigUint64(o, littleEndian)));
        expect(d64.word(b, o)).toBe(d64.u64(b, o));
        expect(d32.word(b, o)).toBe(v.getUint32(o, littleEndian));
      }
      expect([d32.sizeOf(LAYOUT), d64.sizeOf(LAYOUT)]).toEqual([8, 16]);
      expect([d32.offsetOf(LAYOUT.fields.addend), d64.offsetOf(LAYOUT.fields.addend)]).toEqual([4, 8]);
      expect([d32.widthOf(LAYOUT.fields.word), d64.widthOf(LAYOUT.fields.word)]).toEqual([4, 8]);
      // A field of the same width in both classes (st_name), at different offsets.
      const name = f(0, 4, 0, 4);
      const other = f(13, 1, 5, 1);
      expect([d32.widthOf(name), d64.widthOf(name), d32.offsetOf(other), d64.offsetOf(other)]).toEqual([4, 4, 13, 5]);
    });
  }

  it('reads bytes past the end as zeros (callers check bounds; this only must not throw)', () => {
    const b = Uint8Array.of(0x12, 0x34);
    expect(new ElfDecoder(true, true).u32(b, 0)).toBe(0x3412);
    expect(new ElfDecoder(true, false).u32(b, 0)).toBe(0x12340000);
    expect(new ElfDecoder(true, true).u64(b, 1)).toBe(0x34);
  });
});
