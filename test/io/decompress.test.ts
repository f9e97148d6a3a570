import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { BufferSource, type ByteSource } from '../../src/io/byte-source.js';
import { FileSource } from '../../src/io/file-source.js';
import type { ByteStream } from '../../src/io/byte-stream.js';
import {
  type Compression,
  DecompressError,
  decompressStream,
  decompressToBuffer,
  decompressZstd,
  detectCompression,
  inflateZlib,
  setZlibInflater,
} from '../../src/io/decompress.js';
import { inflateExactly } from '../../src/io/native-zlib.js';
import { DEFAULT_LIMITS, LimitError, type Limits } from '../../src/limits.js';
import { run, scratch } from './helpers.js';

const s = scratch('dec');

/** Deterministic, moderately compressible bytes (text-like with some noise). */
function sample(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  const words = ['elf', 'relro', 'stack', 'canary', 'fortify', '\n', ' ', 'bind_now', 'pie'];
  let i = 0;
  while (i < n) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    // A third of the tokens are random bytes, so the ratio stays near real binaries' (~2-3).
    const w = x % 3 === 0 ? String.fromCharCode(x >>> 24, (x >>> 16) & 0xff) : words[x % words.length]!;
    for (let k = 0; k < w.length && i < n; k++) out[i++] = w.charCodeAt(k) & 0xff;
  }
  return out;
}

function sha(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}

function drain(st: ByteStream): { n: number; hash: string; maxChunk: number } {
  const h = createHash('sha256');
  let n = 0;
  let maxChunk = 0;
  for (let c = st.pull(); c !== null; c = st.pull()) {
    expect(c.length).toBeGreaterThan(0);
    h.update(c);
    n += c.length;
    maxChunk = Math.max(maxChunk, c.length);
  }
  return { n, hash: h.digest('hex'), maxChunk };
}

function errorOf(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

const data = sample(1_000_000);
const open = (f: string): ByteSource => FileSource.open(s.path(f));

beforeAll(() => {
  writeFileSync(s.path('data'), data);
  writeFileSync(s.path('small'), sample(5000, 7));
  const sh = (cmd: string) => run('sh', ['-c', cmd], s.dir);
  sh('gzip -9 -c data > data.gz');
  sh('gzip -c small > two.gz && gzip -c data >> two.gz'); // two gzip members
  sh('xz -c data > data.xz');
  sh('xz -9 -c data > data9.xz');
  sh('xz -C crc32 -c data > crc32.xz');
  sh('xz -C none -c data > none.xz');
  sh('xz -C sha256 -c data > sha.xz');
  sh('xz --delta=dist=4 --lzma2=preset=6 -c data > delta.xz');
  sh('xz -T2 --block-size=200000 -c data > blocks.xz');
  sh('xz -c small > cat.xz && xz -c data >> cat.xz'); // two xz streams
  sh('xz -c small > padded.xz && printf "\\0\\0\\0\\0" >> padded.xz');
  sh('printf "" | xz -c > empty.xz');
  sh('xz --x86 --lzma2 -c small > bcj.xz');
  sh('lzma -c data > data.lzma');
  sh('zstd -q -c data > data.zst');
  sh('zstd -q -3 --long=25 -c data > long.zst');
  sh('zstd -q -c small > cat.zst && zstd -q -c data >> cat.zst');
  sh('bzip2 -c small > small.bz2');
  sh('bzip2 -c data > data.bz2 && bzip2 -1 -c data > data1.bz2');
  sh('bzip2 -c small > cat.bz2 && bzip2 -c data >> cat.bz2');
  // Long runs exercise the run-length stages (zero runs and the 4-byte + count stage).
  sh('(head -c 100000 /dev/zero; cat small; head -c 7777 /dev/zero | tr "\\0" "a") > runs && bzip2 -c runs > runs.bz2');
  // Random bytes twice: the second copy is one match 300 KB back.
  sh('head -c 300000 /dev/urandom > rnd && cat rnd rnd | xz -c > far.xz');
});
afterAll(() => s.cleanup());

describe('detectCompression', () => {
  it.each([
    ['data.gz', 'gzip'],
    ['data.xz', 'xz'],
    ['data.zst', 'zstd'],
    ['small.bz2', 'bzip2'],
    ['data.lzma', 'lzma'],
    ['data', null],
  ])('%s → %s', (f, want) => {
    expect(detectCompression(readFileSync(s.path(f)).subarray(0, 16))).toBe(want);
  });
});

describe('round trips against the reference tools', () => {
  it.each<[string, Compression, number]>([
    ['data.gz', 'gzip', data.length],
    ['data.xz', 'xz', data.length],
    ['data9.xz', 'xz', data.length],
    ['crc32.xz', 'xz', data.length],
    ['none.xz', 'xz', data.length],
    ['sha.xz', 'xz', data.length],
    ['delta.xz', 'xz', data.length],
    ['blocks.xz', 'xz', data.length],
    ['data.lzma', 'lzma', data.length],
    ['data.zst', 'zstd', data.length],
    ['long.zst', 'zstd', data.length],
    ['data.bz2', 'bzip2', data.length],
    ['data1.bz2', 'bzip2', data.length],
  ])('%s decodes to the original bytes, in bounded chunks', (f, fmt, n) => {
    const out = drain(decompressStream(open(f), fmt));
    expect(out).toMatchObject({ n, hash: sha(data) });
    expect(out.maxChunk).toBeLessThanOrEqual(2 * 1024 * 1024);
  });

  it.each<[string, Compression]>([
    ['two.gz', 'gzip'],
    ['cat.xz', 'xz'],
    ['cat.zst', 'zstd'],
    ['cat.bz2', 'bzip2'],
  ])('%s: concatenated members/streams/frames decode as one', (f, fmt) => {
    const want = Buffer.concat([readFileSync(s.path('small')), data]);
    expect(drain(decompressStream(open(f), fmt))).toMatchObject({ n: want.length, hash: sha(want) });
  });

  it('bzip2: long runs decode exactly', () => {
    const want = readFileSync(s.path('runs'));
    expect(drain(decompressStream(open('runs.bz2'), 'bzip2'))).toMatchObject({ n: want.length, hash: sha(want) });
  });

  it('accepts xz stream padding and an empty xz stream', () => {
    expect(drain(decompressStream(open('padded.xz'), 'xz')).n).toBe(5000);
    expect(drain(decompressStream(open('empty.xz'), 'xz')).n).toBe(0);
  });

  it('decompressToBuffer returns the whole output', () => {
    expect(sha(decompressToBuffer(open('data.xz'), 'xz'))).toBe(sha(data));
  });
});

describe('unsupported and corrupt input', () => {
  it('names an unsupported xz filter', () => {
    const e = errorOf(() => drain(decompressStream(open('bcj.xz'), 'xz'))) as DecompressError;
    expect(e).toBeInstanceOf(DecompressError);
    expect(e.message).toContain('unsupported filter x86 BCJ');
  });


  it.each<[string, Compression]>([
    ['data.gz', 'gzip'],
    ['data.xz', 'xz'],
    ['data.zst', 'zstd'],
    ['data.lzma', 'lzma'],
    ['data.bz2', 'bzip2'],
  ])('%s truncated: a DecompressError, not a hang or a short success', (f, fmt) => {
    const whole = readFileSync(s.path(f));
    for (const cut of [3, 20, Math.floor(whole.length / 2), whole.length - 3]) {
      const e = errorOf(() => drain(decompressStream(new BufferSource(whole.subarray(0, cut), `cut${cut}`), fmt)));
      expect(e, `cut at ${cut}`).toBeInstanceOf(DecompressError);
    }
  });

  it('gzip: a missing or wrong trailer (CRC32, ISIZE) is an error', () => {
    const whole = Buffer.from(readFileSync(s.path('data.gz')));
    const e = errorOf(() => drain(decompressStream(new BufferSource(whole.subarray(0, whole.length - 4), 'cut.gz'), 'gzip')));
    expect(e).toBeInstanceOf(DecompressError);
    whole[whole.length - 6] ^= 1;
    const e2 = errorOf(() => drain(decompressStream(new BufferSource(whole, 'crc.gz'), 'gzip'))) as DecompressError;
    expect(e2.message).toContain('CRC32');
  });

  it('bzip2: flipped bytes fail a CRC or the decoder, never crash', () => {
    const whole = readFileSync(s.path('data.bz2'));
    let x = 5;
    for (let round = 0; round < 30; round++) {
      const b = Buffer.from(whole);
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      b[10 + (x % (b.length - 10))] ^= 1 << (x >>> 29);
      const e = errorOf(() => drain(decompressStream(new BufferSource(b, 'flip.bz2'), 'bzip2')));
      expect(e).toBeInstanceOf(DecompressError);
    }
  });

  it('xz: a flipped byte in the data fails a check or the decoder', () => {
    const whole = Buffer.from(readFileSync(s.path('data.xz')));
    whole[whole.length >> 1] ^= 0x55;
    const e = errorOf(() => drain(decompressStream(new BufferSource(whole, 'flip.xz'), 'xz')));
    expect(e).toBeInstanceOf(DecompressError);
  });

  it('xz: a flipped header byte fails the header CRC32', () => {
    const whole = Buffer.from(readFileSync(s.path('data.xz')));
    whole[13] ^= 0x01; // block header flags
    const e = errorOf(() => drain(decompressStream(new BufferSource(whole, 'hdr.xz'), 'xz'))) as DecompressError;
    expect(e).toBeInstanceOf(DecompressError);
    expect(e.message).toMatch(/CRC32|reserved|filter/);
  });

  it('xz: random garbage after a valid header never crashes or hangs', () => {
    const whole = Buffer.from(readFileSync(s.path('data.xz')));
    let x = 99;
    for (let round = 0; round < 20; round++) {
      const b = Buffer.from(whole.subarray(0, 4000));
      for (let k = 24; k < b.length; k++) {
        x = (Math.imul(x, 1103515245) + 12345) >>> 0;
        if (x % 50 === 0) b[k] = x >>> 24;
      }
      const e = errorOf(() => drain(decompressStream(new BufferSource(b, 'fuzz.xz'), 'xz')));
      expect(e).toBeInstanceOf(DecompressError);
    }
  });
});

describe('limits while streaming', () => {
  const zeros = 100 * 1024 * 1024;
  beforeAll(() => {
    run('sh', ['-c', `head -c ${zeros} /dev/zero | gzip -c > bomb.gz && head -c ${zeros} /dev/zero | xz -0 -c > bomb.xz && head -c ${zeros} /dev/zero | zstd -q -1 -c > bomb.zst && head -c ${zeros} /dev/zero | bzip2 -c > bomb.bz2`], s.dir);
  });

  it.each<[string, Compression]>([
    ['bomb.gz', 'gzip'],
    ['bomb.xz', 'xz'],
    ['bomb.zst', 'zstd'],
    ['bomb.bz2', 'bzip2'],
  ])('%s (100 MB of zeros) stops at the ratio limit early', (f, fmt) => {
    const st = decompressStream(open(f), fmt);
    let n = 0;
    const e = errorOf(() => {
      for (let c = st.pull(); c !== null; c = st.pull()) n += c.length;
    }) as LimitError;
    expect(e).toBeInstanceOf(LimitError);
    expect(e.limit).toBe('maxCompressionRatio');
    expect(e.message).toContain('decompression bomb');
    expect(n).toBeLessThan(zeros);
  });

  it('stops at maxDecompressedBytes when the ratio is allowed', () => {
    const limits: Limits = { ...DEFAULT_LIMITS, maxCompressionRatio: 1e9, maxDecompressedBytes: 10 * 1024 * 1024 };
    const st = decompressStream(open('bomb.zst'), 'zstd', limits);
    let n = 0;
    const e = errorOf(() => {
      for (let c = st.pull(); c !== null; c = st.pull()) n += c.length;
    }) as LimitError;
    expect(e.limit).toBe('maxDecompressedBytes');
    expect(n).toBeLessThanOrEqual(10 * 1024 * 1024);
  });

  it('decompressToBuffer names the member cap', () => {
    const e = errorOf(() => decompressToBuffer(open('data.xz'), 'xz', DEFAULT_LIMITS, 'x', 1000)) as LimitError;
    expect(e.limit).toBe('maxMemberBytes');
  });

  it('refuses an xz dictionary larger than maxWindowBytes only when it is used', () => {
    const limits: Limits = { ...DEFAULT_LIMITS, maxWindowBytes: 64 * 1024 };
    // Both declare an 8 MiB dictionary; only far.xz refers back further than 64 KiB.
    expect(drain(decompressStream(open('padded.xz'), 'xz', limits)).n).toBe(5000);
    const e = errorOf(() => drain(decompressStream(open('far.xz'), 'xz', limits))) as DecompressError;
    expect(e).toBeInstanceOf(DecompressError);
    expect(e.message).toContain('window limit');
  });

  it('refuses a zstd frame window above maxWindowBytes before allocating it', () => {
    const limits: Limits = { ...DEFAULT_LIMITS, maxWindowBytes: 64 * 1024 };
    const e = errorOf(() => drain(decompressStream(open('long.zst'), 'zstd', limits))) as LimitError;
    expect(e).toBeInstanceOf(LimitError);
    expect(e.limit).toBe('maxWindowBytes');
  });
});

describe('ELF compressed sections', () => {
  // Importing native-zlib.ts installed Node's zlib; each case runs with it and with fflate (the page's).
  const inflaters = [
    ['node:zlib', inflateExactly],
    ['fflate', undefined],
  ] as const;
  afterAll(() => setZlibInflater(inflateExactly));

  describe.each(inflaters)('with %s', (_name, inflater) => {
    beforeAll(() => setZlibInflater(inflater));

    it('inflateZlib gives exactly the declared size', () => {
      const raw = sample(100_000, 3);
      const z = deflateSync(raw);
      expect(sha(inflateZlib(z, raw.length))).toBe(sha(raw));
      const short = errorOf(() => inflateZlib(z, raw.length - 1));
      expect(short).toBeInstanceOf(DecompressError);
      expect((short as Error).message).toMatch(/more than the 99999 bytes its header declares|decompresses to 100000 bytes, its header declares 99999/);
      const long = errorOf(() => inflateZlib(z, raw.length + 1)) as Error;
      expect(long).toBeInstanceOf(DecompressError);
      expect(long.message).toContain('its header declares 100001');
    });

    it('inflates a section bigger than one output chunk (16 MiB) exactly', () => {
      // Repeating text with a counter: compresses well, and a misplaced chunk would show.
      const lines: string[] = [];
      for (let i = 0; lines.length * 40 < 17 * 1024 * 1024 + 12_345; i++) lines.push(`line ${String(i).padStart(12, '0')} of the section\n`.padEnd(40, '.'));
      const raw = new TextEncoder().encode(lines.join(''));
      expect(raw.length).toBeGreaterThan(16 * 1024 * 1024);
      const z = deflateSync(raw);
      expect(sha(inflateZlib(z, raw.length))).toBe(sha(raw));
      expect(errorOf(() => inflateZlib(z, raw.length - 1))).toBeInstanceOf(DecompressError);
    });

    it('turns a cut or corrupt stream into a DecompressError naming the section', () => {
      const raw = sample(50_000, 4);
      const z = deflateSync(raw);
      const cut = errorOf(() => inflateZlib(z.subarray(0, z.length >> 1), raw.length, DEFAULT_LIMITS, '.debug_info'));
      expect(cut).toBeInstanceOf(DecompressError);
      expect((cut as Error).message).toMatch(/^\.debug_info: zlib data/);
      const bad = Uint8Array.from(z);
      bad[0] = 0x00; // not a zlib header (CMF)
      expect(errorOf(() => inflateZlib(bad, raw.length))).toBeInstanceOf(DecompressError);
    });
  });

  it('Node\'s zlib also checks the Adler-32 that fflate skips', () => {
    const raw = sample(20_000, 5);
    const z = Uint8Array.from(deflateSync(raw));
    z[z.length - 1] ^= 0xff;
    setZlibInflater(inflateExactly);
    expect((errorOf(() => inflateZlib(z, raw.length)) as Error).message).toMatch(/incorrect data check/);
  });

  it('decompressZstd gives exactly the declared size', () => {
    const z = readFileSync(s.path('data.zst'));
    expect(sha(decompressZstd(z, data.length))).toBe(sha(data));
  });

  it('refuses a declared size past the limits before allocating', () => {
    const e = errorOf(() => inflateZlib(new Uint8Array(10), 2 ** 40)) as LimitError;
    expect(e.limit).toBe('maxDecompressedBytes');
    const e2 = errorOf(() => inflateZlib(new Uint8Array(10), 100 * 1024 * 1024)) as LimitError;
    expect(e2.limit).toBe('maxCompressionRatio');
  });
});
