import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodeBytes, getString, NATIVE_SLICER } from '../../src/elf/strings.js';

const reference = new TextDecoder('utf-8', { fatal: false });

/** Deterministic bytes: mostly ASCII names, with UTF-8 and invalid sequences mixed in. */
function samples(): Uint8Array[] {
  let seed = 12345;
  const next = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 16;
  const out: Uint8Array[] = [];
  for (let n = 0; n < 3000; n++) {
    const len = next() % 80;
    const b = new Uint8Array(len);
    const mode = n % 4;
    for (let i = 0; i < len; i++) {
      const r = next();
      // 0: ASCII; 1: ASCII with a 2-byte UTF-8 character; 2 and 3: any byte (invalid UTF-8).
      b[i] = mode === 0 ? 0x21 + (r % 94) : mode === 1 && i % 7 === 3 && i + 1 < len ? 0xc3 : mode === 1 && i % 7 === 4 ? 0xa9 : mode === 1 ? 0x41 + (r % 26) : r & 0xff;
    }
    out.push(b);
  }
  return out;
}

function agreesWithTextDecoder(decode: typeof decodeBytes): void {
  for (const b of samples()) {
    const start = b.length > 4 ? 2 : 0;
    expect(decode(b, start, b.length)).toBe(reference.decode(b.subarray(start)));
    // The same bytes in a Node Buffer (what file reads return).
    expect(decode(Buffer.from(b), 0, b.length)).toBe(reference.decode(b));
  }
}

describe('decodeBytes', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  it('decodes short and long names, UTF-8 and invalid bytes as a TextDecoder does', () => {
    expect(NATIVE_SLICER).toBe(true);
    agreesWithTextDecoder(decodeBytes);
  });

  it('does the same without Node\'s Buffer (the page)', async () => {
    vi.stubGlobal('Buffer', undefined);
    vi.resetModules();
    const fresh = await import('../../src/elf/strings.js');
    vi.unstubAllGlobals();
    expect(fresh.NATIVE_SLICER).toBe(false);
    agreesWithTextDecoder(fresh.decodeBytes);
  });

  it('decodes every short length, at any offset, in one piece or through the decoder for non-ASCII', () => {
    const text = '.text\0.data\0é.bss\0abcdefghij';
    const b = new TextEncoder().encode(text);
    for (let start = 0; start < b.length; start++) {
      for (let end = start; end <= Math.min(b.length, start + 10); end++) expect(decodeBytes(b, start, end)).toBe(reference.decode(b.subarray(start, end)));
    }
  });

  it('clamps an end past the bytes, as a view would', () => {
    const b = new TextEncoder().encode('_ZNSt7__cxx1112basic_stringIcE');
    expect(decodeBytes(b, 4, b.length + 100)).toBe('t7__cxx1112basic_stringIcE');
    expect(decodeBytes(b, 40, 50)).toBe('');
  });

  it('getString stops at the NUL, or at the end of the table', () => {
    const t = new TextEncoder().encode('\0printf\0_ZN4core9panicking5panic17h0123456789abcdefE');
    expect(getString(t, 1)).toBe('printf');
    expect(getString(t, 8)).toBe('_ZN4core9panicking5panic17h0123456789abcdefE');
    expect(getString(t, t.length)).toBeUndefined();
  });
});
