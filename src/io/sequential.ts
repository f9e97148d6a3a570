/**
 * Front-to-back reads for the streaming formats (tar, cpio), over either a positional
 * ByteSource (uncompressed archives on disk: members come out as zero-copy SliceSources) or a
 * ByteStream (decompressor output: members are copied out, one at a time).
 *
 *   sequentialFromSource(src, start?, end?) / sequentialFromStream(stream)
 *   r.position          offset of the next byte in the (decompressed) stream
 *   r.read(n)           exactly n bytes, or TruncatedError; may be a view, callers don't modify
 *   r.peek(n)           up to n bytes without consuming them (fewer only at the end)
 *   r.skip(n)           drops n bytes without buffering them; TruncatedError at the end
 *   r.take(n, name)     the next n bytes as a ByteSource (slice when `positional`, else a buffer)
 *   r.atEnd()           no byte left
 */
import { BufferSource, type ByteSource, SliceSource } from './byte-source.js';
import type { ByteStream } from './byte-stream.js';

/** The data ended inside a record that promised more. */
export class TruncatedError extends Error {
  constructor(
    readonly source: string,
    readonly offset: number,
    readonly wanted: number,
    readonly available: number,
  ) {
    super(`${source}: truncated: needs ${wanted} bytes at offset 0x${offset.toString(16)}, only ${available} left`);
    this.name = 'TruncatedError';
  }
}

export interface SequentialReader {
  readonly name: string;
  /** True over a ByteSource: `take` is then a zero-copy slice and costs no memory. */
  readonly positional: boolean;
  readonly position: number;
  read(n: number): Uint8Array;
  peek(n: number): Uint8Array;
  skip(n: number): void;
  take(n: number, name: string): ByteSource;
  atEnd(): boolean;
}

class SourceReader implements SequentialReader {
  readonly positional = true;
  constructor(
    private readonly src: ByteSource,
    private pos: number,
    private readonly end: number,
  ) {}

  get name(): string {
    return this.src.name;
  }
  get position(): number {
    return this.pos;
  }
  private check(n: number): void {
    if (n > this.end - this.pos) throw new TruncatedError(this.src.name, this.pos, n, this.end - this.pos);
  }
  read(n: number): Uint8Array {
    this.check(n);
    const out = this.src.read(this.pos, n);
    this.pos += n;
    return out;
  }
  peek(n: number): Uint8Array {
    return this.src.read(this.pos, Math.min(n, this.end - this.pos));
  }
  skip(n: number): void {
    this.check(n);
    this.pos += n;
  }
  take(n: number, name: string): ByteSource {
    this.check(n);
    const s = new SliceSource(this.src, this.pos, n, name);
    this.pos += n;
    return s;
  }
  atEnd(): boolean {
    return this.pos >= this.end;
  }
}

class StreamReader implements SequentialReader {
  readonly positional = false;
  private chunks: Uint8Array[] = [];
  /** Offset into chunks[0]. */
  private off = 0;
  private buffered = 0;
  private pos = 0;
  private ended = false;

  constructor(private readonly stream: ByteStream) {}

  get name(): string {
    return this.stream.name;
  }
  get position(): number {
    return this.pos;
  }

  /** Pulls until `n` bytes are buffered or the stream ends. */
  private fill(n: number): void {
    while (this.buffered < n && !this.ended) {
      const c = this.stream.pull();
      if (c === null) this.ended = true;
      else {
        this.chunks.push(c);
        this.buffered += c.length;
      }
    }
  }

  private copyOut(n: number, consume: boolean): Uint8Array {
    const first = this.chunks[0];
    let out: Uint8Array;
    if (first !== undefined && first.length - this.off >= n) {
      out = first.subarray(this.off, this.off + n);
    } else {
      out = new Uint8Array(n);
      let at = 0;
      let off = this.off;
      for (let i = 0; at < n; i++) {
        const c = this.chunks[i]!;
        const k = Math.min(n - at, c.length - off);
        out.set(c.subarray(off, off + k), at);
        at += k;
        off = 0;
      }
    }
    if (consume) this.drop(n);
    return out;
  }

  private drop(n: number): void {
    this.pos += n;
    this.buffered -= n;
    while (n > 0) {
      const c = this.chunks[0]!;
      const k = Math.min(n, c.length - this.off);
      n -= k;
      this.off += k;
      if (this.off === c.length) {
        this.chunks.shift();
        this.off = 0;
      }
    }
  }

  read(n: number): Uint8Array {
    const first = this.chunks[0];
    if (first !== undefined && first.length - this.off >= n) return this.copyOut(n, true);
    // A large read (a whole member) is copied straight into one buffer as chunks arrive, so a
    // member costs its own size once, not twice.
    const out = new Uint8Array(n);
    let at = 0;
    while (at < n) {
      this.fill(1);
      if (this.buffered === 0) throw new TruncatedError(this.stream.name, this.pos, n - at, 0);
      const c = this.chunks[0]!;
      const k = Math.min(n - at, c.length - this.off);
      out.set(c.subarray(this.off, this.off + k), at);
      at += k;
      this.drop(k);
    }
    return out;
  }
  peek(n: number): Uint8Array {
    this.fill(n);
    return this.copyOut(Math.min(n, this.buffered), false);
  }
  skip(n: number): void {
    while (n > 0) {
      this.fill(1);
      if (this.buffered === 0) throw new TruncatedError(this.stream.name, this.pos, n, 0);
      const k = Math.min(n, this.buffered);
      this.drop(k);
      n -= k;
    }
  }
  take(n: number, name: string): ByteSource {
    return new BufferSource(this.read(n), name);
  }
  atEnd(): boolean {
    this.fill(1);
    return this.buffered === 0;
  }
}

export function sequentialFromSource(src: ByteSource, start = 0, end: number = src.size): SequentialReader {
  return new SourceReader(src, start, end);
}

export function sequentialFromStream(stream: ByteStream): SequentialReader {
  return new StreamReader(stream);
}
