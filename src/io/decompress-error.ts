/**
 * Corrupt or unsupported compressed data. Limits overrun are `LimitError` instead (the data may
 * be fine; the caller's caps said no).
 */
export class DecompressError extends Error {
  constructor(
    /** 'gzip' | 'xz' | 'zstd' | 'lzma' | 'zlib' | 'bzip2' ... */
    readonly format: string,
    /** The compressed source's name. */
    readonly source: string,
    /** Offset in the compressed input near where the problem was seen, when known. */
    readonly offset: number | undefined,
    readonly detail: string,
  ) {
    super(`${source}: ${format} data${offset === undefined ? '' : ` at byte 0x${offset.toString(16)}`}: ${detail}`);
    this.name = 'DecompressError';
  }
}
