/**
 * NUL-terminated strings out of string tables. Names are almost always ASCII, so they are
 * decoded byte by byte without a TextDecoder round trip; anything non-ASCII goes through UTF-8.
 */
const utf8 = new TextDecoder('utf-8', { fatal: false });

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

/**
 * Decodes bytes [start, end): short ASCII strings by hand (cheaper than a native call), longer
 * ones (C++ mangled names run to hundreds of bytes) with the native UTF-8 decoder.
 */
export function decodeBytes(b: Uint8Array, start: number, end: number): string {
  if (end - start <= 16) {
    let s = '';
    for (let i = start; i < end; i++) {
      const c = b[i] ?? 0;
      if (c >= 0x80) return utf8.decode(b.subarray(start, end));
      s += String.fromCharCode(c);
    }
    return s;
  }
  return utf8.decode(b.subarray(start, end));
}
