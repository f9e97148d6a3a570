/**
 * `harden scan` on real packages built from gcc fixtures (fixtures.ts): every ELF member is
 * reported as `PKG!path` with exactly the row (kind, verdict, every check's evidence) the same
 * file gets when scanned loose after `dpkg-deb -x` / extraction; .deb with each compression,
 * .rpm with each payload compression, tarballs with each compressor.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type JudgedFile } from '../../src/policy/policy.js';
import { scanFileErrors } from '../report/schemas.js';
import { HARDEN } from '../scan/harness.js';
import { buildDeb, buildRpm, buildTarball, buildTree, DEB_COMPRESSIONS, LIB, PACKAGE, RPM_PAYLOADS, TARBALLS, VERSION, type Work } from './fixtures.js';
import { brief, comparable, scanPaths } from './run.js';

let W: Work;
beforeAll(() => {
  W = buildTree();
});
afterAll(() => rmSync(W.dir, { recursive: true, force: true }));

const FAILS_WEAK = ['pie', 'relro', 'stack-protector', 'fortify'];

/** The rows of the tree, by path inside the package, in sorted order (archive order may differ). */
const EXPECTED: [string, string, string, string[]][] = [
  ['usr/bin/hardened', 'pie-executable', 'pass', []],
  ['usr/bin/lazy', 'pie-executable', 'pass', []],
  ['usr/bin/static', 'static-executable', 'fail', ['pie']],
  ['usr/bin/weak', 'executable', 'fail', FAILS_WEAK],
  ['usr/bin/weak-again', 'executable', 'fail', FAILS_WEAK],
  [`${LIB}/libmemchk.so.1`, 'shared-library', 'pass', []],
  [`${LIB}/libpair.a!pair_a.o`, 'object', 'pass', []],
  [`${LIB}/libpair.a!pair_b.o`, 'object', 'fail', ['fortify']],
  [`${LIB}/libweak.so.1`, 'shared-library', 'fail', ['stack-protector', 'fortify']],
  ['usr/share/hc-test/inner.tar.gz!bin/weak', 'executable', 'fail', FAILS_WEAK],
];

const sorted = <T extends [string, ...unknown[]]>(rows: T[]): T[] => [...rows].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));

/** The package's rows and the extracted tree's rows, compared as JSON with the paths mapped. */
async function compareWithExtracted(pkg: string, extracted: string): Promise<JudgedFile[]> {
  const inPkg = await scanPaths([pkg]);
  const loose = (await scanPaths([extracted])).filter((f) => f.kind !== 'symlink');
  const a = inPkg.map((f) => comparable(f, `${pkg}!`, '')).sort((x, y) => String(x['path']).localeCompare(String(y['path'])));
  const b = loose.map((f) => comparable(f, `${extracted}/`, '')).sort((x, y) => String(x['path']).localeCompare(String(y['path'])));
  expect(a).toEqual(b);
  return inPkg;
}

describe('.deb', () => {
  it.each(DEB_COMPRESSIONS)('-Z%s: every ELF member as PKG!path, with the rows of the files dpkg-deb -x extracts', async (z) => {
    const deb = buildDeb(W, z);
    const out = W.path(`x-${z}`);
    mkdirSync(out);
    execFileSync('dpkg-deb', ['-x', deb, out]);
    const files = await compareWithExtracted(deb, out);
    expect(sorted(brief(files, `${deb}!`))).toEqual(EXPECTED);
    // Archive order: the order dpkg-deb -c lists the members in.
    const listed = execFileSync('dpkg-deb', ['-c', deb], { encoding: 'utf8' })
      .split('\n')
      .map((l) => (l.split(/\s+/).slice(5).join(' ').split(/ (->|link to) /)[0] ?? '').replace(/^\.\//, ''));
    const order = files.map((f) => listed.indexOf(f.path.slice(deb.length + 1).split('!')[0]!));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect(order).toEqual([...order].sort((x, y) => x - y));
  });

  it('gives each member row the package: name, version, architecture; schema-valid JSON', async () => {
    const deb = buildDeb(W, 'xz');
    const files = await scanPaths([deb]);
    const weak = files.find((f) => f.path === `${deb}!usr/bin/weak`);
    expect(weak?.package).toEqual({ path: deb, format: 'deb', name: PACKAGE, version: VERSION, architecture: 'amd64' });
    // A package inside: its members name the inner one (a tarball: its file name).
    const inner = files.find((f) => f.path.endsWith('inner.tar.gz!bin/weak'));
    expect(inner?.package).toEqual({ path: `${deb}!usr/share/hc-test/inner.tar.gz`, format: 'tar', name: 'inner' });
    for (const f of files) expect(scanFileErrors(comparable(f, '', '')), f.path).toBe('');
    for (const f of files) expect(scanFileErrors({ ...comparable(f, '', ''), package: f.package }), f.path).toBe('');
  });

  it('a package without ELF files is one skipped row that says so', async () => {
    const empty = W.path('empty-root');
    mkdirSync(`${empty}/DEBIAN`, { recursive: true });
    mkdirSync(`${empty}/usr/share/doc/x`, { recursive: true });
    execFileSync('sh', ['-c', `printf 'Package: docs\\nVersion: 1\\nArchitecture: all\\nMaintainer: T <t@example.org>\\nDescription: d\\n d\\n' > ${empty}/DEBIAN/control; echo hi > ${empty}/usr/share/doc/x/README`]);
    const deb = W.path('docs_1_all.deb');
    execFileSync('dpkg-deb', ['--root-owner-group', '-Zxz', '--build', empty, deb], { stdio: 'ignore' });
    const files = await scanPaths([deb]);
    expect(brief(files, '')).toEqual([[deb, 'package', 'skipped', []]]);
    expect(files[0]?.note).toBe('Debian package with no ELF file (1 file)');
    expect(files[0]?.package).toMatchObject({ name: 'docs', version: '1', architecture: 'all' });
  });
});

describe('.rpm', () => {
  it.each(Object.keys(RPM_PAYLOADS) as (keyof typeof RPM_PAYLOADS)[])('%s payload: the rows of the files as installed, hard links under both names', async (c) => {
    const rpm = buildRpm(W, c);
    await compareWithExtracted(rpm, W.root);
    const files = await scanPaths([rpm]);
    expect(sorted(brief(files, `${rpm}!`))).toEqual(EXPECTED);
    expect(files.find((f) => f.path === `${rpm}!usr/bin/weak`)?.package).toEqual({ path: rpm, format: 'rpm', name: PACKAGE, version: '1:2.3-4', architecture: 'x86_64' });
  });
});

describe('tarballs', () => {
  it.each(Object.keys(TARBALLS) as (keyof typeof TARBALLS)[])('.%s: the rows of the files as extracted', async (suffix) => {
    const tarball = buildTarball(W, suffix);
    await compareWithExtracted(tarball, W.root);
    const files = await scanPaths([tarball]);
    expect(sorted(brief(files, `${tarball}!`))).toEqual(EXPECTED);
    expect(files.find((f) => f.path === `${tarball}!usr/bin/weak`)?.package).toEqual({ path: tarball, format: 'tar', name: 'hc-test-2.3' });
  });
});

describe('what is opened as a package', () => {
  it('while walking, only files named like packages: a .gz man page holding an ELF file is not decompressed', async () => {
    const files = await scanPaths([W.root]);
    const paths = files.map((f) => f.path.slice(W.root.length + 1));
    expect(paths).toContain('usr/share/hc-test/inner.tar.gz!bin/weak');
    expect(paths.filter((p) => p.includes('weak.1.gz'))).toEqual([]);
  });

  it('named on the command line, by content: the .gz is opened and its ELF content reported', async () => {
    const gz = `${W.root}/usr/share/man/man1/weak.1.gz`;
    const files = await scanPaths([gz]);
    expect(brief(files, '')).toEqual([[`${gz}!weak.1`, 'executable', 'fail', FAILS_WEAK]]);
    expect(files[0]?.package).toEqual({ path: gz, format: 'compressed', name: 'weak.1' });
  });

  it('a named compressed file whose content is not ELF is reported like a named non-ELF file', async () => {
    const gz = W.path('notes.txt.xz');
    execFileSync('sh', ['-c', `echo 'just text' | xz > ${gz}`]);
    const files = await scanPaths([gz]);
    expect(brief(files, '')).toEqual([[gz, 'not-elf', 'error', []]]);
    expect(files[0]?.error).toBe('xz data whose content is not an ELF file or static archive');
  });

  it('a .deb is a package whatever its name (its ar magic is read anyway), never a static archive', async () => {
    const deb = buildDeb(W, 'gzip');
    const renamed = W.path('renamed.a');
    execFileSync('cp', [deb, renamed]);
    const files = await scanPaths([renamed]);
    expect(sorted(brief(files, `${renamed}!`))).toEqual(EXPECTED);
  });
});

/** A tarball with 8 MiB of zeros (gzip ratio ~1000) between two ELF files. */
function buildBomb(): string {
  const bomb = W.path('bomb.tar.gz');
  if (existsSync(bomb)) return bomb;
  const dir = W.path('bomb');
  mkdirSync(dir);
  execFileSync('sh', ['-c', `cp ${W.root}/usr/bin/weak ${dir}/a-weak && head -c 8388608 /dev/zero > ${dir}/b-zeros && cp ${W.root}/usr/bin/hardened ${dir}/c-hardened && tar -czf ${bomb} -C ${dir} a-weak b-zeros c-hardened`]);
  return bomb;
}

describe('hostile packages: a clear error per package or member, and the scan goes on', () => {
  it('a truncated .deb: a row for the package that says where it broke; the next input is scanned', async () => {
    const deb = buildDeb(W, 'none');
    const cut = W.path('cut.deb');
    execFileSync('sh', ['-c', `head -c ${Math.floor(statSync(deb).size * 0.6)} ${deb} > ${cut}`]);
    const next = buildTarball(W, 'tar.gz');
    const files = await scanPaths([cut, next]);
    expect(brief(files.slice(0, 1), '')).toEqual([[cut, 'package', 'error', []]]);
    expect(files[0]?.error).toMatch(/^bad ar size "\d+" in header at byte 0x[0-9a-f]+: member runs past the end of the file/);
    expect(files.filter((f) => f.path.startsWith(`${next}!`)).length).toBe(EXPECTED.length);
  });

  it('a truncated tarball: the error and how many members were read, then the members read before the damage', async () => {
    const tarball = buildTarball(W, 'tar');
    const cut = W.path('cut.tar');
    // Cut inside usr/bin/static (the largest file): the members before it are whole.
    const offset = readFileSync(tarball).indexOf(Buffer.from('usr/bin/static\0'));
    expect(offset).toBeGreaterThan(0);
    execFileSync('sh', ['-c', `head -c ${offset + 4096} ${tarball} > ${cut}`]);
    const files = await scanPaths([cut]);
    expect(files[0]).toMatchObject({ path: cut, kind: 'package', verdict: 'error' });
    expect(files[0]?.note).toMatch(/^\d+ members read before the error$/);
    const before = brief(files.slice(1), `${cut}!`);
    expect(before.length).toBeGreaterThan(0);
    for (const r of before) expect(EXPECTED).toContainEqual(r);
    expect(before.map((r) => r[0])).not.toContain('usr/bin/static');
    expect(files[0]?.error).toMatch(/^truncated: needs \d+ bytes at offset 0x[0-9a-f]+, only \d+ left$/);
  });

  it('a member over maxMemberBytes is a row with the limit named; the other members are scanned', async () => {
    const tarball = buildTarball(W, 'tar.xz');
    const big = readFileSync(`${W.root}/usr/bin/static`).length;
    const files = await scanPaths([tarball], { limits: { maxMemberBytes: big - 1 } });
    const rows = brief(files, `${tarball}!`);
    expect(rows.find((r) => r[0] === 'usr/bin/static')).toEqual(['usr/bin/static', 'unreadable', 'error', []]);
    expect(files.find((f) => f.path.endsWith('!usr/bin/static'))?.error).toMatch(/exceeds limit maxMemberBytes=/);
    expect(sorted(rows.filter((r) => r[0] !== 'usr/bin/static'))).toEqual(EXPECTED.filter((r) => r[0] !== 'usr/bin/static'));
  });

  it('a decompression bomb ends the package with an error naming the limit; the next input is scanned', async () => {
    // The decompressor works in chunks: with a bomb this small, members before it in the same
    // chunk are not reached either (the truncated tarball above shows members before damage).
    const bomb = buildBomb();
    const next = buildDeb(W, 'zstd');
    const files = await scanPaths([bomb, next], { limits: { maxCompressionRatio: 20 } });
    expect(files[0]).toMatchObject({ path: bomb, kind: 'package', verdict: 'error' });
    expect(files[0]?.error).toMatch(/exceeds limit maxCompressionRatio=20/);
    expect(files.some((f) => f.path === `${bomb}!c-hardened`)).toBe(false);
    expect(files.filter((f) => f.path.startsWith(`${next}!`)).length).toBe(EXPECTED.length);
  });

  it('harden scan reads the limits from HARDEN_LIMITS: the bomb is a row naming the limit (exit 3); a bad value is a usage error', () => {
    const bomb = buildBomb();
    const run = (limits: string) => spawnSync(HARDEN, ['scan', '--no-config', '-f', 'jsonl', bomb], { encoding: 'utf8', env: { ...process.env, HARDEN_LIMITS: limits } });
    const hit = run('maxCompressionRatio=20');
    expect(hit.status).toBe(3);
    const row = JSON.parse(hit.stdout.split('\n')[0]!) as { path: string; kind: string; error: string };
    expect(row).toMatchObject({ path: bomb, kind: 'package' });
    expect(row.error).toMatch(/exceeds limit maxCompressionRatio=20/);
    // Within the default limits the same tarball is fine.
    expect(run('').status).toBe(1);
    const bad = run('maxCompressionRatio=lots');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^harden scan: HARDEN_LIMITS: limit maxCompressionRatio: "lots" is not a whole number/);
  });

  it('maxDecompressedBytes stops a payload that decompresses to more', async () => {
    const deb = buildDeb(W, 'gzip');
    const files = await scanPaths([deb], { limits: { maxDecompressedBytes: 256 * 1024 } });
    expect(files[0]).toMatchObject({ path: deb, kind: 'package', verdict: 'error' });
    expect(files[0]?.error).toMatch(/exceeds limit maxDecompressedBytes=262144/);
  });

  it('garbage named like a package is skipped while walking and reported when named', async () => {
    const dir = W.path('garbage');
    mkdirSync(dir);
    execFileSync('sh', ['-c', `echo 'not a package' > ${dir}/junk.deb && printf '\\037\\213\\010\\000garbage' > ${dir}/bad.tar.gz`]);
    const walked = await scanPaths([dir]);
    expect(brief(walked, `${dir}/`)).toEqual([['bad.tar.gz', 'package', 'error', []]]);
    expect(walked[0]?.error).toBeTruthy();
    const named = await scanPaths([`${dir}/junk.deb`]);
    expect(brief(named, `${dir}/`)).toEqual([['junk.deb', 'not-elf', 'error', []]]);
  });
});
