import { type ByteSource } from '../io/byte-source.js';
import { type Limits, LimitError } from '../limits.js';
import { ElfFormatError } from './errors.js';

/**
 * Reads a table of `count` records of `entsize` bytes at `offset`, after checking every number
 * against the file and the limits. The single gate through which file-controlled sizes reach a
 * read: nothing else in the reader multiplies a count by a size.
 */
export function readTable(
  src: ByteSource,
  limits: Limits,
  what: string,
  offset: number,
  entsize: number,
  count: number,
  minEntsize: number,
): Uint8Array {
  if (count === 0) return new Uint8Array(0);
  if (entsize < minEntsize) throw new ElfFormatError(offset, `${what} entry size`, entsize, `smaller than the ${minEntsize}-byte record`);
  if (count > limits.maxEntries) throw new LimitError('maxEntries', count, limits.maxEntries, `${src.name}: ${what}`);
  const bytes = entsize * count;
  if (bytes > limits.maxTableBytes) throw new LimitError('maxTableBytes', bytes, limits.maxTableBytes, `${src.name}: ${what}`);
  checkRange(src, what, offset, bytes);
  return src.read(offset, bytes);
}

/** Reads `size` bytes at `offset` (a section or segment body) within the table limit. */
export function readRange(src: ByteSource, limits: Limits, what: string, offset: number, size: number, limit: 'maxTableBytes' | 'maxCodeBytes' = 'maxTableBytes'): Uint8Array {
  if (size === 0) return new Uint8Array(0);
  const max = limits[limit];
  if (size > max) throw new LimitError(limit, size, max, `${src.name}: ${what}`);
  checkRange(src, what, offset, size);
  return src.read(offset, size);
}

/** Throws unless [offset, offset+size) lies inside the file. */
export function checkRange(src: ByteSource, what: string, offset: number, size: number): void {
  if (!Number.isSafeInteger(offset) || offset < 0 || offset > src.size) {
    throw new ElfFormatError(undefined, `${what} offset`, offset, `outside the file (${src.size} bytes)`);
  }
  if (!Number.isSafeInteger(size) || size < 0 || offset + size > src.size) {
    throw new ElfFormatError(offset, `${what} size`, size, `runs past the end of the file (${src.size} bytes)`);
  }
}
