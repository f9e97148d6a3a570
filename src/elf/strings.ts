/**
 * NUL-terminated strings out of string tables. Names are almost always ASCII: short ones are
 * decoded byte by byte (cheaper than any native call), longer ones (C++ mangled names run to
 * hundreds of bytes) by Node's native UTF-8 slicer where there is one, else a TextDecoder.
 */
const utf8 = new TextDecoder('utf-8', { fatal: false });

/**
 * Node's `Buffer.prototype.utf8Slice`, reached through `globalThis` so the module still loads
 * in a browser. It takes any Uint8Array as `this` and decodes in place: no view to allocate,
 * and about 2.5x faster than `TextDecoder.decode` on a 60-byte name (a scan of /usr decodes
 * ~1 million names). Invalid sequences become U+FFFD, as with the TextDecoder.
 */
type Slicer = (this: Uint8Array, start: number, end: number) => string;
const nativeSlice: Slicer | undefined = ((): Slicer | undefined => {
  const B: unknown = Reflect.get(globalThis, 'Buffer');
  if (typeof B !== 'function') return undefined;
  const proto: unknown = Reflect.get(B, 'prototype');
  const f: unknown = typeof proto === 'object' && proto !== null ? Reflect.get(proto, 'utf8Slice') : undefined;
  if (typeof f !== 'function') return undefined;
  const slice = f as Slicer;
  // Used only if it behaves as expected on a plain Uint8Array.
  try {
    return slice.call(Uint8Array.of(0x61, 0xc3, 0xa9, 0x62), 0, 4) === 'a\u00e9b' ? slice : undefined;
  } catch {
    return undefined;
  }
})();

/** Whether long names go through Node's slicer (the tests check both paths). */
export const NATIVE_SLICER = nativeSlice !== undefined;

/** Up to this many bytes, a JavaScript loop beats a call into native code. */
const SHORT = 8;

/**
 * The string that starts at `index` in `table`, or `undefined` when the index is outside the
 * table. A string that runs off the end of the table without a NUL is cut at the end (as
 * readelf does) — its bytes are still the file's.
 */
export function getString(table: Uint8Array, index: number): string | undefined {
  if (!Number.isInteger(index) || index < 0 || index >= table.length) return index === 0 && table.length === 0 ? '' : undefined;
  let end = table.indexOf(0, index);
  if (end < 0) end = table.length;
  return decodeBytes(table, index, end);
}

/** Decodes bytes [start, end) as UTF-8 (invalid sequences become U+FFFD), clamped to `b`. */
export function decodeBytes(b: Uint8Array, start: number, end: number): string {
  // The bounds `subarray` would clamp to (the native slicer throws instead).
  end = Math.min(Math.max(end, 0), b.length);
  start = Math.min(Math.max(start, 0), end);
  if (end - start <= SHORT) {
    let high = 0;
    for (let i = start; i < end; i++) high |= b[i] ?? 0;
    if (high >= 0x80) return utf8.decode(b.subarray(start, end));
    return shortAscii(b, start, end - start);
  }
  if (nativeSlice !== undefined) return nativeSlice.call(b, start, end);
  return utf8.decode(b.subarray(start, end));
}

/**
 * `length` (at most SHORT) ASCII bytes as a string, made in one piece: appending a character at
 * a time made a string per character (a scan decodes ~1 million names, most of them short).
 */
function shortAscii(b: Uint8Array, at: number, length: number): string {
  const b0 = b[at] ?? 0;
  const b1 = b[at + 1] ?? 0;
  const b2 = b[at + 2] ?? 0;
  const b3 = b[at + 3] ?? 0;
  switch (length) {
    case 0:
      return '';
    case 1:
      return String.fromCharCode(b0);
    case 2:
      return String.fromCharCode(b0, b1);
    case 3:
      return String.fromCharCode(b0, b1, b2);
    case 4:
      return String.fromCharCode(b0, b1, b2, b3);
    case 5:
      return String.fromCharCode(b0, b1, b2, b3, b[at + 4] ?? 0);
    case 6:
      return String.fromCharCode(b0, b1, b2, b3, b[at + 4] ?? 0, b[at + 5] ?? 0);
    case 7:
      return String.fromCharCode(b0, b1, b2, b3, b[at + 4] ?? 0, b[at + 5] ?? 0, b[at + 6] ?? 0);
    case 8:
      return String.fromCharCode(b0, b1, b2, b3, b[at + 4] ?? 0, b[at + 5] ?? 0, b[at + 6] ?? 0, b[at + 7] ?? 0);
    default:
      return utf8.decode(b.subarray(at, at + length));
  }
}
