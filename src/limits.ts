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

/** The limits by name, in declaration order (for messages and documentation). */
export const LIMIT_NAMES: readonly (keyof Limits)[] = Object.freeze(Object.keys(DEFAULT_LIMITS) as (keyof Limits)[]);

/** The environment variable both commands read overrides from: `NAME=VALUE`, comma- or space-separated. */
export const LIMITS_ENV = 'HARDEN_LIMITS';

/** A limit override that cannot be used: the message says which and why. */
export class LimitOverrideError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LimitOverrideError';
  }
}

const SUFFIX: Readonly<Record<string, number>> = { '': 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 };

/**
 * A limit's value as written: a whole number with an optional binary suffix (K, M, G, T, with
 * or without "iB"; `512M` is 512 MiB), `_` allowed between digits, or `unlimited`.
 */
export function parseLimitValue(name: keyof Limits, text: string): number {
  const t = text.trim();
  if (/^(unlimited|none|max)$/i.test(t)) return Number.MAX_SAFE_INTEGER;
  const m = /^(\d+(?:_\d+)*)\s*([kmgt]?)(?:i?b)?$/i.exec(t);
  if (m === null) throw new LimitOverrideError(`limit ${name}: ${JSON.stringify(text)} is not a whole number (suffixes K, M, G, T; or "unlimited")`);
  const value = Number(m[1]!.replace(/_/g, '')) * SUFFIX[m[2]!.toLowerCase()]!;
  if (!Number.isSafeInteger(value)) throw new LimitOverrideError(`limit ${name}: ${JSON.stringify(text)} is too large`);
  if (name === 'maxCompressionRatio' && value < 1) throw new LimitOverrideError(`limit ${name}: must be at least 1`);
  return value;
}

/**
 * `base` with the overrides applied, each `NAME=VALUE` (e.g. `maxMemberBytes=512M`,
 * `maxEntries=1M`, `maxDepth=2`). A name is matched without regard to case or dashes
 * (`max-member-bytes` works too). Throws a `LimitOverrideError` naming the bad entry.
 */
export function parseLimitOverrides(specs: readonly string[], base: Readonly<Limits> = DEFAULT_LIMITS): Limits {
  const byKey = new Map(LIMIT_NAMES.map((n) => [n.toLowerCase(), n]));
  const out: Limits = { ...base };
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    if (eq < 0) throw new LimitOverrideError(`limit ${JSON.stringify(spec)}: expected NAME=VALUE (names: ${LIMIT_NAMES.join(', ')})`);
    const raw = spec.slice(0, eq).trim();
    const name = byKey.get(raw.replace(/[-_]/g, '').toLowerCase());
    if (name === undefined) throw new LimitOverrideError(`unknown limit ${JSON.stringify(raw)} (names: ${LIMIT_NAMES.join(', ')})`);
    out[name] = parseLimitValue(name, spec.slice(eq + 1));
  }
  return out;
}

/** The limits with the overrides of `HARDEN_LIMITS` applied (none when it is unset or empty). */
export function limitsFromEnv(env: Readonly<Record<string, string | undefined>>, base: Readonly<Limits> = DEFAULT_LIMITS): Limits {
  const text = env[LIMITS_ENV]?.trim() ?? '';
  if (text === '') return { ...base };
  try {
    return parseLimitOverrides(text.split(/[\s,]+/).filter((s) => s !== ''), base);
  } catch (e) {
    if (e instanceof LimitOverrideError) throw new LimitOverrideError(`${LIMITS_ENV}: ${e.message}`);
    throw e;
  }
}
