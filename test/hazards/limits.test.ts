/**
 * Every limit of src/limits.ts, hit on purpose with real files and tight caps: the file gets
 * a per-file error (or an `unknown` verdict) that names the limit, the scan of the others goes
 * on, and the overrides parse as docs/limits.md says.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { analyseElf } from '../../src/checks/analyse.js';
import { referenceFacts, UnreadableInput } from '../../src/compat/reference-facts.js';
import { BufferSource } from '../../src/io/byte-source.js';
import { type ContainerEntry, openContainer } from '../../src/io/container.js';
import { DEFAULT_LIMITS, LIMIT_NAMES, LimitError, LimitOverrideError, type Limits, limitsFromEnv, parseLimitOverrides, parseLimitValue } from '../../src/limits.js';
import { type FileResult } from '../../src/scan/result.js';
import { scanSource } from '../../src/scan/scan-source.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const read = (p: string): Uint8Array => new Uint8Array(readFileSync(`${REPO}/${p}`));
const HARDENED = 'test/fixtures/cross/x86-64/hardened';

function scan(path: string, over: Partial<Limits>, bytes: Uint8Array = read(path)): FileResult[] {
  return scanSource(new BufferSource(bytes, path), path, { limits: { ...DEFAULT_LIMITS, ...over }, analyse: (e) => analyseElf(e), explicit: true });
}

/** Every text a scan result carries. */
function texts(rows: readonly FileResult[]): string {
  return rows.map((r) => [r.error ?? '', r.note ?? '', ...Object.values(r.checks).map((c) => c?.evidence ?? '')].join('\n')).join('\n');
}

/** Reads a container to the end; the first error thrown, or the entries. */
function drain(bytes: Uint8Array, name: string, over: Partial<Limits>): { entries: ContainerEntry[]; error?: unknown } {
  const entries: ContainerEntry[] = [];
  try {
    for (const e of openContainer(new BufferSource(bytes, name), { ...DEFAULT_LIMITS, ...over }).entries()) entries.push(e);
  } catch (error) {
    return { entries, error };
  }
  return { entries };
}

describe('each limit, hit, names itself in a per-file error', () => {
  it('maxTableBytes and maxEntries: the ELF tables', () => {
    expect(texts(scan(HARDENED, { maxTableBytes: 64 }))).toMatch(/exceeds limit maxTableBytes=64/);
    expect(texts(scan(HARDENED, { maxEntries: 4 }))).toMatch(/exceeds limit maxEntries=4/);
  });

  it('maxNotes: the note areas', () => {
    expect(texts(scan(HARDENED, { maxNotes: 0 }))).toMatch(/limit maxNotes/);
  });

  it('maxCodeBytes: the code scanned for stack-clash probes', () => {
    expect(texts(scan(HARDENED, { maxCodeBytes: 16 }))).toMatch(/exceeds limit maxCodeBytes=16/);
  });

  it('maxDecompressedBytes: a compressed debug section, a compressed tarball', () => {
    expect(texts(scan('fuzz/seeds/elf/debug-zlib', { maxDecompressedBytes: 100 }))).toMatch(/exceeds limit maxDecompressedBytes=100/);
    const r = drain(read('fuzz/seeds/tar/gnu.tar.gz'), 'gnu.tar.gz', { maxDecompressedBytes: 4096 });
    expect(r.error).toBeInstanceOf(LimitError);
    expect((r.error as LimitError).limit).toBe('maxDecompressedBytes');
  });

  it('maxCompressionRatio: a gzip bomb', () => {
    // 8 MiB of zeros in a tarball: gzip makes it a thousand times smaller.
    const tar = new Uint8Array(512 + 8 * 2 ** 20 + 1024);
    const header = new TextEncoder().encode('zeros');
    tar.set(header, 0);
    const field = (at: number, text: string): void => tar.set(new TextEncoder().encode(text), at);
    field(100, '0000644\0');
    field(124, `${(8 * 2 ** 20).toString(8).padStart(11, '0')}\0`);
    field(136, '00000000000\0');
    field(156, '0');
    field(257, 'ustar\x0000');
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : tar[i]!;
    field(148, `${sum.toString(8).padStart(6, '0')}\0 `);
    const bomb = new Uint8Array(gzipSync(tar, { level: 9 }));
    const r = drain(bomb, 'bomb.tar.gz', { maxCompressionRatio: 100 });
    expect((r.error as LimitError).limit).toBe('maxCompressionRatio');
    expect(drain(bomb, 'bomb.tar.gz', { maxCompressionRatio: 100_000 }).error).toBeUndefined();
  });

  it('maxMembers: tar, and ar through the scan (a row for the archive)', () => {
    const r = drain(read('fuzz/seeds/tar/gnu.tar'), 'gnu.tar', { maxMembers: 2 });
    expect((r.error as LimitError).limit).toBe('maxMembers');
    expect(r.entries).toHaveLength(2);
    const rows = scan('fuzz/seeds/archive/longnames.a', { maxMembers: 1 });
    expect(rows.find((x) => x.kind === 'archive')?.error).toMatch(/exceeds limit maxMembers=1/);
  });

  it('maxDepth: an archive at depth 0 is too deep when nothing may nest', () => {
    expect(texts(scan('test/fixtures/cross/x86-64/libpic.a', { maxDepth: 0 }))).toMatch(/exceeds limit maxDepth=0/);
    expect(() => openContainer(new BufferSource(read('fuzz/seeds/tar/gnu.tar'), 'x.tar'), { ...DEFAULT_LIMITS, maxDepth: 1 }, { depth: 2 })).toThrow(/maxDepth/);
  });

  it('maxMemberBytes: the member is an error, the archive goes on', () => {
    const r = drain(read('fuzz/seeds/tar/gnu.tar.gz'), 'gnu.tar.gz', { maxMemberBytes: 4096 });
    expect(r.error).toBeUndefined();
    const big = r.entries.filter((e) => e.error !== undefined);
    expect(big.length).toBeGreaterThan(0);
    expect(big[0]!.error).toBeInstanceOf(LimitError);
    expect(big[0]!.error!.message).toMatch(/exceeds limit maxMemberBytes=4096/);
    expect(r.entries.some((e) => e.source !== undefined)).toBe(true);
  });

  it('maxWindowBytes: a zstd frame that declares a bigger window, an xz stream that refers further back', () => {
    const r = drain(read('fuzz/seeds/tar/small.tar.zst'), 'small.tar.zst', { maxWindowBytes: 1024 });
    expect((r.error as LimitError).limit).toBe('maxWindowBytes');
    // xz declares a dictionary but allocates as output arrives: the cap bites when a match
    // reaches back further than it (here 64 KiB back, the same random block twice).
    const block = new Uint8Array(64 * 1024).map((_, i) => (Math.imul(i, 2654435761) >>> 13) & 0xff);
    const twice = new Uint8Array(block.length * 2);
    twice.set(block);
    twice.set(block, block.length);
    const xz = spawnSync('xz', ['-c', '-6'], { input: twice });
    const x = drain(new Uint8Array(xz.stdout), 'twice.xz', { maxWindowBytes: 4096 });
    expect(String(x.error)).toMatch(/window limit \(maxWindowBytes\)/);
    expect(drain(new Uint8Array(xz.stdout), 'twice.xz', {}).error).toBeUndefined();
  });

  it('hardening-check: a limit makes the file unreadable for the drop-in, with the limit named', () => {
    expect(() => referenceFacts(new BufferSource(read(HARDENED), 'h'), { stackClash: false, limits: { ...DEFAULT_LIMITS, maxTableBytes: 64 } })).toThrow(UnreadableInput);
    expect(() => referenceFacts(new BufferSource(read(HARDENED), 'h'), { stackClash: false, limits: { ...DEFAULT_LIMITS, maxTableBytes: 64 } })).toThrow(/maxTableBytes=64/);
  });

  it('every limit has a test above', () => {
    const source = readFileSync(fileURLToPath(import.meta.url), 'utf8');
    for (const name of LIMIT_NAMES) expect(source).toContain(`${name}: `);
  });
});

describe('overrides', () => {
  it('parse NAME=VALUE with binary suffixes, any case and dashes', () => {
    const l = parseLimitOverrides(['maxMemberBytes=512M', 'max-entries=1k', 'MAXDEPTH=2', 'maxTableBytes=1GiB', 'maxNotes=1_000', 'maxCodeBytes=unlimited']);
    expect(l).toMatchObject({ maxMemberBytes: 512 * 2 ** 20, maxEntries: 1024, maxDepth: 2, maxTableBytes: 2 ** 30, maxNotes: 1000, maxCodeBytes: Number.MAX_SAFE_INTEGER });
    expect(l.maxMembers).toBe(DEFAULT_LIMITS.maxMembers);
    expect(parseLimitValue('maxWindowBytes', '64 MiB')).toBe(64 * 2 ** 20);
  });

  it('refuse what they cannot use, saying why', () => {
    const bad: [string, RegExp][] = [
      ['maxMemberBytes', /expected NAME=VALUE/],
      ['maxFoo=1', /unknown limit "maxFoo" \(names: maxTableBytes, /],
      ['maxEntries=-1', /not a whole number/],
      ['maxEntries=1.5M', /not a whole number/],
      ['maxEntries=', /not a whole number/],
      ['maxEntries=99999999999T', /too large/],
      ['maxCompressionRatio=0', /at least 1/],
    ];
    for (const [spec, re] of bad) {
      expect(() => parseLimitOverrides([spec]), spec).toThrow(LimitOverrideError);
      expect(() => parseLimitOverrides([spec]), spec).toThrow(re);
    }
  });

  it('come from HARDEN_LIMITS, comma- or space-separated', () => {
    expect(limitsFromEnv({ HARDEN_LIMITS: 'maxDepth=1, maxMembers=10 maxNotes=5' })).toMatchObject({ maxDepth: 1, maxMembers: 10, maxNotes: 5 });
    expect(limitsFromEnv({})).toEqual(DEFAULT_LIMITS);
    expect(() => limitsFromEnv({ HARDEN_LIMITS: 'maxDepth' })).toThrow(/^HARDEN_LIMITS: /);
  });

  it('hardening-check reads HARDEN_LIMITS: the limit names itself, a bad value is a usage error', () => {
    const bin = `${REPO}/bin/hardening-check`;
    const hit = spawnSync(bin, [`${REPO}/${HARDENED}`], { env: { ...process.env, HARDEN_LIMITS: 'maxTableBytes=64' }, encoding: 'utf8' });
    expect(hit.status).toBe(1);
    expect(hit.stderr).toMatch(/exceeds limit maxTableBytes=64/);
    const bad = spawnSync(bin, [`${REPO}/${HARDENED}`], { env: { ...process.env, HARDEN_LIMITS: 'maxTableBytes=lots' }, encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^hardening-check: HARDEN_LIMITS: limit maxTableBytes: "lots" is not a whole number/);
  });
});
