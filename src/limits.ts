/**
 * Caps on what one input may make the tool read or allocate. Every reader takes a `Limits`
 * and turns an overrun into a per-file error that names the limit (`LimitError`), so a
 * hostile file costs at most these amounts and the scan goes on.
 */
export interface Limits {
  /** Largest single table or section the ELF reader will load (symbols, dynamic, notes, strings). */
  maxTableBytes: number;
  /** Most program headers, section headers, symbols, dynamic entries or relocations read from one table. */
  maxEntries: number;
  /** Most notes (or GNU properties) read from one note area. */
  maxNotes: number;
  /** Largest code section scanned for machine-code patterns. */
  maxCodeBytes: number;
  /** Largest decompressed size of a compressed section, archive member or package payload. */
  maxDecompressedBytes: number;
  /** Largest ratio decompressed/compressed before the input is treated as a decompression bomb. */
  maxCompressionRatio: number;
  /** Most members read from one archive or package. */
  maxMembers: number;
  /** Deepest nesting of containers (package → archive → member). */
  maxDepth: number;
  /**
   * Largest single member held in memory when it comes out of a stream (a file inside a
   * compressed tarball, package payload or compressed file). Members of uncompressed archives
   * on disk are read in place and need no buffer.
   */
  maxMemberBytes: number;
  /**
   * Largest history window a decompressor may allocate (xz/LZMA dictionary, zstd window), as
   * declared by the stream's headers. xz -9 uses 64 MiB, zstd --ultra -22 128 MiB.
   */
  maxWindowBytes: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxTableBytes: 256 * 1024 * 1024,
  maxEntries: 16 * 1024 * 1024,
  maxNotes: 65536,
  maxCodeBytes: 1024 * 1024 * 1024,
  maxDecompressedBytes: 2 * 1024 * 1024 * 1024,
  maxCompressionRatio: 1000,
  maxMembers: 1_000_000,
  maxDepth: 4,
  maxMemberBytes: 1024 * 1024 * 1024,
  maxWindowBytes: 256 * 1024 * 1024,
});

/** An input hit one of the `Limits`: the message names the limit and the value seen. */
export class LimitError extends Error {
  constructor(
    readonly limit: keyof Limits,
    readonly value: number,
    readonly max: number,
    what: string,
  ) {
    super(`${what}: ${value} exceeds limit ${limit}=${max}`);
    this.name = 'LimitError';
  }
}
