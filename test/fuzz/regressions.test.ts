/**
 * What the fuzzer found and what was fixed, one focused test each (the inputs themselves are
 * replayed by malformed.test.ts). Outcomes only: no timing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BufferSource } from '../../src/io/byte-source.js';
import { decompressToBuffer } from '../../src/io/decompress.js';
import { DEFAULT_LIMITS, LimitError } from '../../src/limits.js';
import { analyseElf } from '../../src/checks/analyse.js';
import { type FileResult } from '../../src/scan/result.js';
import { scanSource } from '../../src/scan/scan-source.js';

/** Deterministic, poorly compressible bytes. */
function noise(n: number): Uint8Array {
  return new Uint8Array(n).map((_, i) => (Math.imul(i + 1, 2654435761) >>> 11) & 0xff);
}

/** zstd run on `data` from standard input (no content size), or from a file (`fromFile`). */
function zstd(data: Uint8Array, args: string[], fromFile = false): Uint8Array {
  let path: string | undefined;
  if (fromFile) {
    path = join(mkdtempSync(join(tmpdir(), 'zstd-')), 'data');
    writeFileSync(path, data);
  }
  const r = spawnSync('zstd', ['-c', '-q', ...args, ...(path === undefined ? [] : [path])], path === undefined ? { input: data } : {});
  if (path !== undefined) rmSync(dirname(path), { recursive: true, force: true });
  if (r.status !== 0) throw new Error(`zstd failed: ${r.stderr.toString()}`);
  return new Uint8Array(r.stdout);
}

describe('zstd: a window declared far beyond what the stream can yield (finding: rpm payload, 240 MiB and seconds for a 7 KiB file)', () => {
  it('is decoded with a window no bigger than it needs, and decodes right', () => {
    const data = noise(2000);
    // Streamed (no content size): the frame has a window descriptor, here at byte 5.
    const z = zstd(data, ['--no-content-size']);
    expect(z[4]! & 0x20).toBe(0);
    const hostile = z.slice();
    hostile[5] = 0x8f; // 2^27 + 7/8 of it: 240 MiB, under maxWindowBytes (256 MiB)
    const before = process.memoryUsage().arrayBuffers;
    const out = decompressToBuffer(new BufferSource(hostile, 'w.zst'), 'zstd', DEFAULT_LIMITS);
    const grown = process.memoryUsage().arrayBuffers - before;
    expect(out).toEqual(data);
    // The window fzstd allocates is the budget (1 MiB grace + ratio x size), not 240 MiB.
    expect(grown).toBeLessThan(64 * 2 ** 20);
  });

  it('still refuses a declared window over maxWindowBytes, naming the limit', () => {
    const z = zstd(noise(5000), ['--no-content-size']);
    z[5] = 0xa8; // 2^31
    expect(() => decompressToBuffer(new BufferSource(z, 'w.zst'), 'zstd', DEFAULT_LIMITS)).toThrow(/maxWindowBytes/);
  });

  it('a single-segment frame declaring more content than the limits allow is a bomb at once', () => {
    // Single segment with a 4-byte content size: FHD 0xa0 (FCS flag 2, single segment).
    const z = zstd(noise(70_000), [], true);
    expect(z[4]! & 0x20).toBe(0x20);
    expect(z[4]! >> 6).toBe(2);
    const hostile = z.slice();
    new DataView(hostile.buffer).setUint32(5, 200 * 2 ** 20, true);
    let error: unknown;
    try {
      decompressToBuffer(new BufferSource(hostile, 'b.zst'), 'zstd', DEFAULT_LIMITS);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LimitError);
    expect((error as LimitError).limit).toBe('maxCompressionRatio');
  });
});

/** A zstd frame of `n` raw one-byte blocks under window descriptor `wd`. */
function oneByteBlocks(n: number, wd: number): Uint8Array {
  const out = [0x28, 0xb5, 0x2f, 0xfd, 0x00, wd];
  for (let i = 0; i < n; i++) {
    const v = (1 << 3) | (i === n - 1 ? 1 : 0);
    out.push(v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, 0x41 + (i % 26));
  }
  return new Uint8Array(out);
}

describe('zstd: many small blocks under a large window (found while fixing the above: 17 s for 8 KiB)', () => {
  it('20 000 one-byte blocks under a 64 MiB window decode, byte for byte', () => {
    // fzstd shifted its whole window after each block; the window now slides (src/io/zstd-window.ts).
    const z = oneByteBlocks(20_000, 0x80);
    const out = decompressToBuffer(new BufferSource(z, 'tiny.zst'), 'zstd', DEFAULT_LIMITS);
    expect(out.length).toBe(20_000);
    expect(String.fromCharCode(...out.subarray(0, 28))).toBe('ABCDEFGHIJKLMNOPQRSTUVWXYZAB');
  });

  it('matches reaching back across many window compactions decode as the zstd tool wrote them', () => {
    // A 128 KiB window over 4 MiB with repeats 50-100 KiB back: the sliding buffer compacts
    // every 128 KiB, and every match must still find its bytes.
    const base = noise(100_000);
    const parts: Uint8Array[] = [];
    for (let i = 0; i < 40; i++) parts.push(base.subarray(0, 50_000 + ((i * 7919) % 50_000)), noise(1000 + i * 500).map((b) => b ^ i));
    const data = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      data.set(p, at);
      at += p.length;
    }
    for (const args of [['-19', '--zstd=wlog=17', '--no-content-size'], ['-3', '--zstd=wlog=20']]) {
      const out = decompressToBuffer(new BufferSource(zstd(data, args), 'x.zst'), 'zstd', DEFAULT_LIMITS);
      expect(out.length, args.join(' ')).toBe(data.length);
      expect(Buffer.compare(Buffer.from(out), Buffer.from(data)), args.join(' ')).toBe(0);
    }
  });
});

describe('a truncated ELF file is an error, not a pass (found by test/hazards: a cut executable scanned as fully hardened)', () => {
  const scanCut = (path: string, cut: number): FileResult => {
    const bytes = new Uint8Array(readFileSync(new URL(`../../${path}`, import.meta.url))).subarray(0, cut);
    const rows = scanSource(new BufferSource(bytes, 'cut'), 'cut', { limits: DEFAULT_LIMITS, analyse: (e) => analyseElf(e), explicit: true });
    expect(rows).toHaveLength(1);
    return rows[0]!;
  };

  it('cut inside its segments: the PT_LOAD that runs past the end is named', () => {
    expect(scanCut('test/fixtures/cross/x86-64/hardened', 997).error).toMatch(/^truncated: PT_LOAD \[\d+\] at 0x0 \(\d+ bytes\) runs past the end of the file \(997 bytes\)/);
  });

  it('cut after its segments, before the section headers', () => {
    expect(scanCut('test/fixtures/cross/x86-64/hardened', 12961).error).toMatch(/^truncated: the section header table at 0x[0-9a-f]+ \(\d+ x 64 bytes\) runs past the end of the file \(12961 bytes\)/);
  });

  it('a cut relocatable object, big-endian 32-bit too', () => {
    expect(scanCut('test/fixtures/cross/x86-64/pic.o', 600).error).toMatch(/^truncated: the section header table/);
    expect(scanCut('test/fixtures/cross/mips/pic.o', 900).error).toMatch(/^truncated: /);
  });

  it('whole files say nothing of the kind', () => {
    for (const f of ['test/fixtures/cross/x86-64/hardened', 'test/fixtures/cross/x86-64/pic.o', 'test/fixtures/cross/mips/static', 'test/fixtures/toolchains/x86-64/go-hello']) {
      expect(scanCut(f, Number.MAX_SAFE_INTEGER).error, f).toBeUndefined();
    }
  });
});
