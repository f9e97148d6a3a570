/**
 * Node's zlib for compressed ELF sections (see `setZlibInflater` in decompress.ts). Imported for
 * its effect by the Node entry points (the CLIs, the scan worker, the library index); the page
 * never loads it and keeps fflate.
 */
import { inflateSync } from 'node:zlib';
import { setZlibInflater } from './decompress.js';

/**
 * Inflates `data`, which must give exactly `size` bytes. The output cap is one byte past the
 * declared size, so a stream that would give more stops there (and is then refused for its
 * length) instead of growing without bound; zlib also checks the stream's Adler-32.
 */
export function inflateExactly(data: Uint8Array, size: number): Uint8Array {
  try {
    return inflateSync(data, { maxOutputLength: size + 1 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new Error(`decompresses to more than the ${size} bytes its header declares`);
    throw e;
  }
}

setZlibInflater(inflateExactly);
