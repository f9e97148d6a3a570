/**
 * A sequential, pull-based stream of bytes: a decompressor's output, or a plain source read
 * front to back. Synchronous, because every input here is a positional `ByteSource` and every
 * decoder is synchronous; the async container API is a thin wrapper on top.
 */
export interface ByteStream {
  /** Display name, e.g. `pkg.deb!data.tar.xz`. */
  readonly name: string;
  /** The next chunk, or null at the end. Chunks are never empty and are the caller's to keep. */
  pull(): Uint8Array | null;
  /** Input bytes consumed so far (compressed bytes, for decompressors): the ratio limit's divisor. */
  readonly consumed: number;
}
