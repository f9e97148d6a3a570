/**
 * `--format lintian`: lintian's hardening tags for the failing checks, with its exemptions, as
 * `PACKAGE: TAG PATH` lines. On a real .deb built from gcc fixtures; against lintian itself
 * when it is installed (`apt-get install lintian`); and the exemptions on rows whose facts no
 * gcc fixture has (Go, Rust, other architectures).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type JudgedCheck, type JudgedFile } from '../../src/policy/policy.js';
import { Policy } from '../../src/policy/policy.js';
import { LintianReport, lintianLocation, lintianTags } from '../../src/report/lintian.js';
import { have } from '../helpers/gcc.js';
import { HARDEN } from '../scan/harness.js';
import { buildDeb, buildTree, LIB, PACKAGE, type Work } from './fixtures.js';
import { scanPaths } from './run.js';

let W: Work;
let DEB: string;
beforeAll(() => {
  W = buildTree();
  DEB = buildDeb(W, 'xz');
});
afterAll(() => rmSync(W.dir, { recursive: true, force: true }));

function lintianLines(files: readonly JudgedFile[]): string[] {
  let out = '';
  let errors = '';
  const report = new LintianReport({ write: (s) => (out += s) }, { write: (s) => (errors += s) });
  for (const f of files) report.file(f);
  expect(errors).toBe('');
  return out.split('\n').filter((l) => l !== '');
}

const WEAK_TAGS = ['hardening-no-pie', 'hardening-no-relro', 'hardening-no-bindnow', 'hardening-no-fortify-functions'];

/** What the fixture package gets: see fixtures.ts for what each file lacks. */
const EXPECTED = [
  `${PACKAGE}: hardening-no-bindnow usr/bin/lazy`,
  ...WEAK_TAGS.map((t) => `${PACKAGE}: ${t} usr/bin/weak`),
  ...WEAK_TAGS.map((t) => `${PACKAGE}: ${t} usr/bin/weak-again`),
  `${PACKAGE}: hardening-no-bindnow ${LIB}/libweak.so.1`,
  `${PACKAGE}: hardening-no-fortify-functions ${LIB}/libweak.so.1`,
  // Its only checked call is memcpy's, which lintian does not count; read is called plain.
  `${PACKAGE}: hardening-no-fortify-functions ${LIB}/libmemchk.so.1`,
].sort();

describe('on a .deb built from fixtures', () => {
  it('tags the failing checks of executables and shared libraries, never objects, archive members or static executables', async () => {
    const lines = lintianLines(await scanPaths([DEB]));
    expect(lines.filter((l) => l.startsWith(`${PACKAGE}: `)).sort()).toEqual(EXPECTED);
    // The tarball inside the package is a package of its own, named by its file name.
    expect(lines.filter((l) => !l.startsWith(`${PACKAGE}: `))).toEqual(WEAK_TAGS.map((t) => `inner: ${t} bin/weak`));
  });

  it('gives no tag for a waived check, and none at all for an Architecture: all package', async () => {
    const files = await scanPaths([DEB], { policy: new Policy({ config: { require: [], ignore: [], waivers: [{ paths: ['*.deb'], checks: ['bindnow'], reason: 'lazy binding on purpose' }] } }) });
    const lines = lintianLines(files).filter((l) => l.startsWith(`${PACKAGE}: `));
    expect(lines.sort()).toEqual(EXPECTED.filter((l) => !l.includes('bindnow')));
    const all = buildDeb(W, 'gzip', { arch: 'all', name: 'hc-all' });
    expect(lintianLines(await scanPaths([all])).filter((l) => l.startsWith('hc-all: '))).toEqual([]);
  });

  it('gives a udeb only the fortify tag', async () => {
    const udeb = buildDeb(W, 'xz', { name: 'hc-udeb', suffix: 'udeb' });
    const lines = lintianLines(await scanPaths([udeb])).filter((l) => l.startsWith('hc-udeb: '));
    expect(lines.sort()).toEqual(
      [
        `hc-udeb: hardening-no-fortify-functions usr/bin/weak`,
        `hc-udeb: hardening-no-fortify-functions usr/bin/weak-again`,
        `hc-udeb: hardening-no-fortify-functions ${LIB}/libweak.so.1`,
        `hc-udeb: hardening-no-fortify-functions ${LIB}/libmemchk.so.1`,
      ].sort(),
    );
  });

  it('names a loose file by its file name, with the path as scanned', async () => {
    const weak = `${W.root}/usr/bin/weak`;
    expect(lintianLines(await scanPaths([weak]))).toEqual(WEAK_TAGS.map((t) => `weak: ${t} ${weak}`));
  });

  it('harden scan -f lintian prints the lines; a package that cannot be read goes to standard error', () => {
    const bad = W.path('bad.deb');
    writeFileSync(bad, '!<arch>\ndebian-binary   0           0     0     100644  4         `\n2.0\n');
    const r = spawnSync(HARDEN, ['scan', '--no-config', '-f', 'lintian', DEB, bad], { encoding: 'utf8' });
    expect(r.stdout.split('\n').filter((l) => l.startsWith(`${PACKAGE}: `)).sort()).toEqual(EXPECTED);
    expect(r.stderr).toMatch(new RegExp(`^harden scan: ${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .+\n$`));
    expect(r.status).toBe(1);
  });
});

describe.skipIf(!have('lintian'))('against lintian', () => {
  it("gives the tags lintian gives for the package's own files", () => {
    const r = spawnSync('lintian', ['--no-cfg', '-L', '>=pedantic', '--tags', WEAK_TAGS.join(','), DEB], { encoding: 'utf8' });
    // "W: hc-test: hardening-no-pie [usr/bin/weak]" → "hc-test: hardening-no-pie usr/bin/weak"
    const theirs = r.stdout
      .split('\n')
      .map((l) => /^[EWIPX]: (\S+): (\S+) \[(.+)\]$/.exec(l))
      .filter((m) => m !== null)
      .map((m) => `${m[1]}: ${m[2]} ${m[3]}`)
      .sort();
    expect(theirs).toEqual(EXPECTED);
  });
});

describe('exemptions, on rows whose facts no gcc fixture has', () => {
  const fail = (evidence = 'x'): JudgedCheck => ({ status: 'fail', evidence });
  const row = (over: Partial<JudgedFile>): JudgedFile => ({
    path: 'p.deb!usr/bin/x',
    kind: 'executable',
    machine: 'x86-64',
    verdict: 'fail',
    failed: [],
    unknown: [],
    package: { path: 'p.deb', format: 'deb', name: 'p', version: '1', architecture: 'amd64' },
    checks: { pie: fail(), relro: fail(), bindnow: fail(), fortify: fail(), toolchain: { status: 'pass', evidence: 'C library: glibc (x)', value: 'glibc' } },
    ...over,
  });
  const all = ['pie', 'relro', 'bindnow', 'fortify'];

  it('a C program gets every tag', () => {
    expect(lintianTags(row({}))).toEqual(all);
    expect(lintianLocation(row({}))).toEqual({ package: 'p', path: 'usr/bin/x' });
  });
  it('Go: no tag at all', () => {
    expect(lintianTags(row({ checks: { ...row({}).checks, toolchain: { status: 'pass', evidence: 'Go: .go.buildinfo (go1.19.8); C library: none (x)', value: 'go1.19.8' } } }))).toEqual([]);
  });
  it('Rust: no fortify tag', () => {
    expect(lintianTags(row({ checks: { ...row({}).checks, toolchain: { status: 'pass', evidence: 'Rust: rust_begin_unwind; C library: glibc (x)', value: 'rust' } } }))).toEqual(['pie', 'relro', 'bindnow']);
  });
  it('static executables: fortify only', () => {
    expect(lintianTags(row({ kind: 'static-executable' }))).toEqual(['fortify']);
    expect(lintianTags(row({ kind: 'static-pie' }))).toEqual(['fortify']);
  });
  it('objects, cores and rows without checks: nothing', () => {
    for (const kind of ['object', 'core', 'other-elf', 'package', 'unreadable'] as const) expect(lintianTags(row({ kind }))).toEqual([]);
  });
  it('architectures where dpkg-buildflags has no such feature: hppa and avr32 no pie/relro/bindnow, ia64 no relro/bindnow', () => {
    const on = (architecture: string): string[] => lintianTags(row({ package: { path: 'p.deb', format: 'deb', name: 'p', architecture } }));
    expect(on('hppa')).toEqual(['fortify']);
    expect(on('avr32')).toEqual(['fortify']);
    expect(on('ia64')).toEqual(['pie', 'fortify']);
    expect(on('arm64')).toEqual(all);
    // A loose file: its ELF machine decides.
    const { package: _, ...loose } = row({ path: 'usr/bin/x', machine: 'hppa' });
    expect(lintianTags(loose)).toEqual(['fortify']);
  });
  it("fortify as lintian counts it: mem* calls count neither checked nor plain", () => {
    const fortify = (status: 'pass' | 'unknown', value: string | undefined, evidence: string): string[] =>
      lintianTags(row({ checks: { fortify: value === undefined ? { status, evidence } : { status, value, evidence } } }));
    expect(fortify('pass', 'partial', 'partial: protected (2): memcpy, memset; unprotected (3): getcwd, memcpy, read (the compiler…)')).toEqual(['fortify']);
    expect(fortify('pass', 'partial', 'partial: protected (2): memcpy, strcpy; unprotected (1): read (the compiler…)')).toEqual([]);
    expect(fortify('pass', 'partial', 'partial: protected (1): memcpy; unprotected (2): memmove, memset (the compiler…)')).toEqual([]);
    // A list cut short ("and N more") holds names beyond the six mem* ones: counted.
    expect(fortify('pass', 'partial', 'partial: protected (14): memcpy, memmove, memset, wmemcpy, wmemmove, wmemset, memcpy, memcpy, memcpy, memcpy, memcpy, memcpy and 2 more; unprotected (1): read')).toEqual([]);
    expect(fortify('pass', 'yes', 'only checked variants imported: protected (1): memcpy')).toEqual([]);
    expect(fortify('unknown', undefined, 'only memcpy imported, which the compiler calls plain whenever it proves the size fits')).toEqual([]);
  });

  it('only failures: pass, unknown and not-applicable give no tag', () => {
    const checks = { pie: { status: 'pass', evidence: '' }, relro: { status: 'unknown', evidence: '' }, bindnow: { status: 'not-applicable', evidence: '' }, fortify: fail() } as const;
    expect(lintianTags(row({ checks }))).toEqual(['fortify']);
  });
});

// The fixture deb's files are what `dpkg-deb -c` lists; checked here so the tags above are about
// the files we think they are.
it('the fixture .deb holds the files the expected tags name', () => {
  const listing = execFileSync('dpkg-deb', ['-c', DEB], { encoding: 'utf8' });
  for (const p of ['usr/bin/lazy', 'usr/bin/weak', 'usr/bin/weak-again', `${LIB}/libweak.so.1`]) expect(listing).toContain(`./${p}`);
});
