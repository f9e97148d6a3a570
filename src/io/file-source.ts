import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { type ByteSource, ShortReadError } from './byte-source.js';

/** Bytes read at `start` and kept for later small reads. */
interface Block {
  readonly start: number;
  readonly bytes: Uint8Array;
}

/**
 * Positional reads from a file on disk (pread). The size is taken once at open; if the file
 * shrinks afterwards, the short read becomes a `ShortReadError` for this file only.
 * Small reads are served from a block cache so that walking many little headers costs few
 * system calls; large reads (code sections) go straight to the file. A block is 16 KiB: a
 * file's headers, notes and dynamic section usually share one, and on /usr's 3,590 ELF files
 * 64 KiB blocks copied ~500 MB more for no fewer misses (a scan ~5% slower). The cache keeps
 * the last four blocks used, because a reader goes back and forth between the start of a
 * file (headers, notes, dynamic section) and its end (section headers, .comment, string
 * tables): replaying that scan's 60,025 small reads, one block missed 23,860 times (294 MB
 * read), four blocks 9,916 times (94 MB). Blocks are never reused for other bytes: callers
 * may keep the views they were given.
 */
export class FileSource implements ByteSource {
  readonly size: number;
  private fd: number;
  /** Cached blocks, most recently used last. */
  private blocks: Block[] = [];
  private static readonly BLOCK = 16 * 1024;
  private static readonly BLOCKS = 4;
  /**
   * A file this small is read whole, with one pread, on first use: its header, section
   * headers, tables and code would otherwise take several block reads and a window read.
   * 2,273 of /usr's 3,590 ELF files are 64 KiB or less.
   */
  private static readonly WHOLE_MAX = 64 * 1024;
  /** The thread's window buffer (see ByteSource.readWindow); grown on demand up to WINDOW_MAX. */
  private static scratch: Buffer = Buffer.alloc(0);
  private static readonly WINDOW_MAX = 64 * 1024 * 1024;

  private constructor(
    readonly name: string,
    fd: number,
    size: number,
  ) {
    this.fd = fd;
    this.size = size;
  }

  /**
   * Opens a regular file read-only. Throws the fs error (ENOENT, EACCES...) as is, and an error
   * with code ENOTREG for anything but a regular file. It looks before it opens: opening a FIFO
   * blocks until a writer comes, and opening a device can act on it (a terminal, a tape that
   * rewinds, a watchdog that arms). The open itself cannot block (O_NONBLOCK) nor take a
   * controlling terminal (O_NOCTTY), in case a FIFO or device was put in place since the look.
   */
  static open(path: string, displayName: string = path): FileSource {
    if (!statSync(path).isFile()) throw notRegular(displayName);
    const fd = openReadOnly(path);
    try {
      const st = fstatSync(fd);
      if (!st.isFile()) throw notRegular(displayName);
      return new FileSource(displayName, fd, st.size);
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  }

  /**
   * A source over a descriptor the caller opened and fstat'ed (`size` from that fstat), which
   * it hands over: `close()` closes it. For a scan that opened the file to sniff its first bytes
   * and would otherwise open it a second time.
   */
  static fromDescriptor(fd: number, size: number, displayName: string, first?: Uint8Array): FileSource {
    const src = new FileSource(displayName, fd, size);
    // Bytes the caller already read at offset 0 stand as the first block when they are exactly
    // what the source would have read there (the whole of a small file, else one block).
    if (first !== undefined && first.length > 0 && first.length === FileSource.firstBlockLength(size)) src.blocks.push({ start: 0, bytes: first });
    return src;
  }

  /**
   * How many bytes at offset 0 the first read of a file of `size` bytes brings in: the whole
   * file when it is small (see WHOLE_MAX), else one block. A caller that opens the file to look
   * at its first bytes can read this much instead and hand it to `fromDescriptor`.
   */
  static firstBlockLength(size: number): number {
    return size <= FileSource.WHOLE_MAX ? size : Math.min(FileSource.BLOCK, size);
  }

  read(offset: number, length: number): Uint8Array {
    if (this.fd < 0) throw new Error(`${this.name}: read after close`);
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > this.size) {
      throw new ShortReadError(this.name, offset, length, this.size - offset);
    }
    if (this.size <= FileSource.WHOLE_MAX) return this.whole().subarray(offset, offset + length);
    if (length <= FileSource.BLOCK / 4) {
      const blocks = this.blocks;
      for (let i = blocks.length - 1; i >= 0; i--) {
        const b = blocks[i];
        if (b === undefined || offset < b.start || offset + length > b.start + b.bytes.length) continue;
        // Most recently used last: the blocks after it move down one (there are at most four).
        for (let j = i; j < blocks.length - 1; j++) blocks[j] = blocks[j + 1] as Block;
        blocks[blocks.length - 1] = b;
        return b.bytes.subarray(offset - b.start, offset - b.start + length);
      }
      const bytes = this.readExact(offset, Math.min(FileSource.BLOCK, this.size - offset));
      blocks.push({ start: offset, bytes });
      if (blocks.length > FileSource.BLOCKS) blocks.shift();
      return bytes.subarray(0, length);
    }
    return this.readExact(offset, length);
  }

  readWindow(offset: number, length: number): Uint8Array {
    if (this.fd < 0) throw new Error(`${this.name}: read after close`);
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > this.size) {
      throw new ShortReadError(this.name, offset, length, this.size - offset);
    }
    if (this.size <= FileSource.WHOLE_MAX) return this.whole().subarray(offset, offset + length);
    if (length > FileSource.WINDOW_MAX) return this.readExact(offset, length);
    if (FileSource.scratch.length < length) FileSource.scratch = Buffer.allocUnsafe(Math.max(length, Math.min(2 * FileSource.scratch.length, FileSource.WINDOW_MAX)));
    return this.readExact(offset, length, FileSource.scratch);
  }

  /** A small file's bytes, read whole on first use (see WHOLE_MAX): one block at offset 0. */
  private whole(): Uint8Array {
    const b = this.blocks[0];
    if (b !== undefined) return b.bytes;
    const bytes = this.readExact(0, this.size);
    this.blocks.push({ start: 0, bytes });
    return bytes;
  }

  /**
   * Reads exactly `length` bytes at `offset` into `into` (or a new buffer). New buffers are not
   * zero-filled first (Buffer.allocUnsafe): every byte is overwritten by the read or the call
   * throws, and zero-filling large code sections was a measurable share of a scan.
   */
  private readExact(offset: number, length: number, into?: Buffer): Uint8Array {
    const buf = into ?? Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const n = readSync(this.fd, buf, done, length - done, offset + done);
      if (n === 0) throw new ShortReadError(this.name, offset, length, done);
      done += n;
    }
    return into === undefined ? buf : buf.subarray(0, length);
  }

  close(): void {
    if (this.fd >= 0) {
      closeSync(this.fd);
      this.fd = -1;
      this.blocks = [];
    }
  }
}

/**
 * Opens a file read-only in a way that cannot block on a FIFO (O_NONBLOCK) nor take a
 * controlling terminal (O_NOCTTY): for paths seen as regular files that something else may
 * have been put in place of since. The caller fstat's the descriptor before reading.
 */
export function openReadOnly(path: string): number {
  return openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0));
}

function notRegular(name: string): Error {
  return Object.assign(new Error(`${name}: not a regular file`), { code: 'ENOTREG' });
}
