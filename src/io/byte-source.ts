/**
 * A ByteSource gives positional reads over the bytes of one file: a file on disk, an archive
 * member held in memory, or a browser File read into a buffer. The ELF reader only ever asks
 * for (offset, length) ranges, so a header question never costs more than the header.
 */
export interface ByteSource {
  /** Display name (a path, or `OUTER!MEMBER` for members). */
  readonly name: string;
  /** Size in bytes, as known when the source was opened. */
  readonly size: number;
  /**
   * Returns exactly `length` bytes starting at `offset`. Throws `ShortReadError` when the range
   * runs past the end, or when the underlying file shrank while being read. The returned array
   * may be a view into a shared buffer: callers must not modify it.
   */
  read(offset: number, length: number): Uint8Array;
  /**
   * Like `read`, but the bytes may live in a scratch buffer shared by every source of this
   * thread and are valid only until the next `readWindow` call anywhere: for streaming over
   * large ranges (code sections) without allocating a buffer per window. Optional: see
   * `readWindow()` below for the fallback.
   */
  readWindow?(offset: number, length: number): Uint8Array;
}

/** `src.readWindow` when the source has one, else `src.read`. */
export function readWindow(src: ByteSource, offset: number, length: number): Uint8Array {
  return src.readWindow !== undefined ? src.readWindow(offset, length) : src.read(offset, length);
}

/** A read past the end of the data: the file is truncated, or shrank while we read it. */
export class ShortReadError extends Error {
  constructor(
    readonly source: string,
    readonly offset: number,
    readonly length: number,
    readonly available: number,
  ) {
    super(
      `${source}: cannot read ${length} bytes at offset 0x${offset.toString(16)}: only ${Math.max(0, available)} available`,
    );
    this.name = 'ShortReadError';
  }
}

/** In-memory source: archive members, decompressed package payloads, browser files. */
export class BufferSource implements ByteSource {
  readonly size: number;
  constructor(
    readonly bytes: Uint8Array,
    readonly name: string = '<buffer>',
  ) {
    this.size = bytes.length;
  }

  read(offset: number, length: number): Uint8Array {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > this.size) {
      throw new ShortReadError(this.name, offset, length, this.size - offset);
    }
    return this.bytes.subarray(offset, offset + length);
  }
}

/** A window [start, start+size) of another source, e.g. one member of an `ar` archive on disk. */
export class SliceSource implements ByteSource {
  constructor(
    private readonly parent: ByteSource,
    private readonly start: number,
    readonly size: number,
    readonly name: string,
  ) {}

  read(offset: number, length: number): Uint8Array {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > this.size) {
      throw new ShortReadError(this.name, offset, length, this.size - offset);
    }
    return this.parent.read(this.start + offset, length);
  }

  readWindow(offset: number, length: number): Uint8Array {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > this.size) {
      throw new ShortReadError(this.name, offset, length, this.size - offset);
    }
    return readWindow(this.parent, this.start + offset, length);
  }
}
