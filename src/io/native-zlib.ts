/**
 * Node's zlib for compressed ELF sections (see `setZlibInflater` in decompress.ts). Imported for
 * its effect by the Node entry points (the CLIs, the scan worker, the library index); the page
 * never loads it and keeps fflate.
 */
import { inflateSync } from 'node:zlib';
import { setZlibInflater } from './decompress.js';

/**
 * Output is produced in chunks of this size at most. Node's default (16 KiB) makes a 12 MB
 * section 780 chunks, joined by a copy at the end; one chunk of the declared size (plus the
 * byte that detects an overlong stream) inflated Docker's .debug_info (3.6 MB to 12.8 MB) in
 * 29 ms instead of 40-52 ms, and never holds the output twice. The cap bounds what a declared
 * size alone can make us allocate before the stream has shown it has that much in it.
 */
const MAX_CHUNK = 16 * 1024 * 1024;
/** zlib's smallest chunk size. */
const MIN_CHUNK = 64;

/**
 * Inflates `data`, which must give exactly `size` bytes. The output cap is one byte past the
 * declared size, so a stream that would give more stops there (and is then refused for its
 * length) instead of growing without bound; zlib also checks the stream's Adler-32.
 */
export function inflateExactly(data: Uint8Array, size: number): Uint8Array {
  try {
    return inflateSync(data, { maxOutputLength: size + 1, chunkSize: Math.max(MIN_CHUNK, Math.min(size + 1, MAX_CHUNK)) });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new Error(`decompresses to more than the ${size} bytes its header declares`);
    throw e;
  }
}

setZlibInflater(inflateExactly);
