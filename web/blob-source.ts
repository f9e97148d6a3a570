/**
 * A ByteSource over a browser File, for the scan worker: positional reads through
 * FileReaderSync (synchronous, and available only in workers), so scanning a 200 MB library
 * reads its headers and the sections the checks need, never the whole file into memory; the
 * same "read only what a check needs" rule FileSource follows on disk.
 *
 * Reads go through a small cache of fixed blocks: the ELF reader asks for many small ranges
 * (headers, table entries, strings) close to each other, and each FileReaderSync call has a
 * fixed cost. A range larger than a block, or across two, is read directly.
 */
import { type ByteSource, ShortReadError } from '../src/io/byte-source.js';

/** FileReaderSync as this code uses it (DOM's lib declares only the window-side FileReader). */
interface SyncReader {
  readAsArrayBuffer(blob: Blob): ArrayBuffer;
}
type SyncReaderCtor = new () => SyncReader;

function isCtor(v: unknown): v is SyncReaderCtor {
  return typeof v === 'function';
}

/** The worker's FileReaderSync, or undefined outside a worker. */
export function syncReaderCtor(): SyncReaderCtor | undefined {
  const c: unknown = Reflect.get(globalThis, 'FileReaderSync');
  return isCtor(c) ? c : undefined;
}

const BLOCK = 256 * 1024;
/** Blocks kept: 4 MiB per file being scanned, whatever its size. */
const CACHED_BLOCKS = 16;

export class BlobSource implements ByteSource {
  readonly size: number;
  private readonly reader: SyncReader;
  /** Block index → bytes, in least-recently-used order (Map keeps insertion order). */
  private readonly blocks = new Map<number, Uint8Array>();

  constructor(
    private readonly blob: Blob,
    readonly name: string,
    Reader: SyncReaderCtor,
  ) {
    this.size = blob.size;
    this.reader = new Reader();
  }

  read(offset: number, length: number): Uint8Array {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > this.size) {
      throw new ShortReadError(this.name, offset, length, this.size - offset);
    }
    if (length === 0) return new Uint8Array(0);
    const first = Math.floor(offset / BLOCK);
    if (first !== Math.floor((offset + length - 1) / BLOCK)) return this.direct(offset, length);
    const block = this.block(first);
    const start = offset - first * BLOCK;
    return block.subarray(start, start + length);
  }

  private direct(offset: number, length: number): Uint8Array {
    const bytes = new Uint8Array(this.reader.readAsArrayBuffer(this.blob.slice(offset, offset + length)));
    // The file changed since it was dropped: say so as a short read, as FileSource does.
    if (bytes.length !== length) throw new ShortReadError(this.name, offset, length, bytes.length);
    return bytes;
  }

  private block(index: number): Uint8Array {
    const hit = this.blocks.get(index);
    if (hit !== undefined) {
      this.blocks.delete(index);
      this.blocks.set(index, hit);
      return hit;
    }
    const start = index * BLOCK;
    const bytes = this.direct(start, Math.min(BLOCK, this.size - start));
    this.blocks.set(index, bytes);
    if (this.blocks.size > CACHED_BLOCKS) {
      const oldest = this.blocks.keys().next();
      if (oldest.done !== true) this.blocks.delete(oldest.value);
    }
    return bytes;
  }
}
