/**
 * The byte search the recognisers anchor on: the native path (Node's Buffer) and the portable
 * fallback (browsers) must find exactly the same positions.
 */
import { describe, expect, it } from 'vitest';
import { ByteSearcher, indexOfFallback } from '../../src/code/index.js';
import { prng } from './tools.js';

function allHits(find: (from: number) => number): number[] {
  const hits: number[] = [];
  for (let i = find(0); i !== -1; i = find(i + 1)) hits.push(i);
  return hits;
}

describe('ByteSearcher', () => {
  it('native and fallback agree on every needle over random bytes, including overlapping hits and both ends', () => {
    const rnd = prng(42);
    // A small alphabet makes hits (and overlapping hits) common.
    const hay = Uint8Array.from({ length: 20000 }, () => [0x00, 0x10, 0x81, 0xec][Math.floor(rnd() * 4)] ?? 0);
    const native = new ByteSearcher(hay);
    const portable = new ByteSearcher(hay, false);
    for (let n = 0; n < 300; n++) {
      const len = 1 + Math.floor(rnd() * 5);
      const at = Math.floor(rnd() * (hay.length - len));
      const needle = hay.slice(at, at + len);
      const a = allHits((f) => native.indexOf(needle, f));
      const b = allHits((f) => portable.indexOf(needle, f));
      const c = allHits((f) => indexOfFallback(hay, needle, f));
      expect(b).toEqual(a);
      expect(c).toEqual(a);
      expect(a).toContain(at);
    }
    const tail = hay.slice(hay.length - 3);
    expect(allHits((f) => portable.indexOf(tail, f))).toContain(hay.length - 3);
  });

  it('works on a view into a larger buffer (offsets are relative to the view)', () => {
    const big = new Uint8Array(100);
    big.set([1, 2, 3], 50);
    const view = big.subarray(40, 60);
    expect(new ByteSearcher(view).indexOf(Uint8Array.of(1, 2, 3), 0)).toBe(10);
    expect(new ByteSearcher(view, false).indexOf(Uint8Array.of(1, 2, 3), 0)).toBe(10);
    // Nothing outside the view is found.
    big.set([7, 7], 61);
    expect(new ByteSearcher(view).indexOf(Uint8Array.of(7, 7), 0)).toBe(-1);
  });

  it('never finds an empty needle, nor searches from outside the buffer', () => {
    const hay = Uint8Array.of(1, 2, 3);
    for (const s of [new ByteSearcher(hay), new ByteSearcher(hay, false)]) {
      expect(s.indexOf(new Uint8Array(0), 0)).toBe(-1);
      expect(s.indexOf(Uint8Array.of(1), -1)).toBe(-1);
      expect(s.indexOf(Uint8Array.of(3), 3)).toBe(-1);
      expect(s.indexOf(Uint8Array.of(1, 2, 3, 4), 0)).toBe(-1);
    }
  });
});
