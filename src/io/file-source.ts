import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { type ByteSource, ShortReadError } from './byte-source.js';

/**
 * Positional reads from a file on disk (pread). The size is taken once at open; if the file
 * shrinks afterwards, the short read becomes a `ShortReadError` for this file only.
 * Small reads are served from a block cache so that walking many little headers costs few
 * system calls; large reads (code sections) go straight to the file.
 */
export class FileSource implements ByteSource {
  readonly size: number;
  private fd: number;
  private cacheStart = -1;
  private cache: Uint8Array = new Uint8Array(0);
  private static readonly BLOCK = 64 * 1024;

  private constructor(
    readonly name: string,
    fd: number,
    size: number,
  ) {
    this.fd = fd;
    this.size = size;
  }

  /** Opens a regular file read-only. Throws the fs error (ENOENT, EACCES, EISDIR...) as is. */
  static open(path: string, displayName: string = path): FileSource {
    const fd = openSync(path, 'r');
    try {
      const st = fstatSync(fd);
      if (!st.isFile()) {
        throw Object.assign(new Error(`${displayName}: not a regular file`), { code: 'ENOTREG' });
      }
      return new FileSource(displayName, fd, st.size);
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  }

  read(offset: number, length: number): Uint8Array {
    if (this.fd < 0) throw new Error(`${this.name}: read after close`);
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > this.size) {
      throw new ShortReadError(this.name, offset, length, this.size - offset);
    }
    if (length <= FileSource.BLOCK / 4) {
      if (this.cacheStart >= 0 && offset >= this.cacheStart && offset + length <= this.cacheStart + this.cache.length) {
        return this.cache.subarray(offset - this.cacheStart, offset - this.cacheStart + length);
      }
      const start = offset;
      const want = Math.min(FileSource.BLOCK, this.size - start);
      const block = this.readExact(start, want);
      this.cacheStart = start;
      this.cache = block;
      return block.subarray(0, length);
    }
    return this.readExact(offset, length);
  }

  private readExact(offset: number, length: number): Uint8Array {
    const buf = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const n = readSync(this.fd, buf, done, length - done, offset + done);
      if (n === 0) throw new ShortReadError(this.name, offset, length, done);
      done += n;
    }
    return buf;
  }

  close(): void {
    if (this.fd >= 0) {
      closeSync(this.fd);
      this.fd = -1;
      this.cache = new Uint8Array(0);
    }
  }
}
