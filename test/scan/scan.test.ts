/**
 * The scan pipeline on a real tree of gcc-built files: what is reported, in which order, under
 * which name, and what the policy makes of it. Runs in this process (jobs 1); the worker path
 * is exercised through the CLI in cli.test.ts.
 */
import { realpathSync, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { Policy } from '../../src/policy/policy.js';
import { buildTree, type Tree } from './fixtures.js';
import { rows, scanInProcess } from './harness.js';

let T: Tree;

beforeAll(() => {
  T = buildTree();
});

const SP_FORTIFY = ['pie', 'relro', 'stack-protector', 'fortify'];

describe('walking a directory', () => {
  it('reports ELF files, archive members as ARCHIVE!MEMBER, links and special files, in sorted order; skips other files', async () => {
    const { files, summary } = await scanInProcess({ paths: [T.root] });
    expect(rows(files, T.root)).toEqual([
      ['bin/hardened', 'pie-executable', 'pass', []],
      ['bin/lazy', 'pie-executable', 'pass', []],
      ['bin/link-to-hardened', 'symlink', 'skipped', []],
      ['bin/weak', 'executable', 'fail', SP_FORTIFY],
      ['lib/libbroken.a', 'archive', 'error', []],
      ['lib/libbroken.a!pair_a.o', 'object', 'pass', []],
      ['lib/libbroken.a!pair_b.o', 'object', 'fail', ['fortify']],
      ['lib/libpair.a!pair_a.o', 'object', 'pass', []],
      ['lib/libpair.a!pair_b.o', 'object', 'fail', ['fortify']],
      ['zz-fifo', 'special', 'skipped', []],
    ]);
    expect(summary.files).toBe(10);
    expect(summary.analysed).toBe(7);
    expect(summary.verdicts).toEqual({ pass: 4, fail: 3, error: 1, skipped: 2 });
    expect(summary.exitStatus).toBe(1);
  });

  it('says what a row without checks is: link target, FIFO never opened, where an archive broke', async () => {
    const { files } = await scanInProcess({ paths: [T.root] });
    const byPath = new Map(files.map((f) => [f.path, f]));
    const link = byPath.get(T.link);
    expect(link?.target).toBe(realpathSync(T.hardened));
    expect(link?.note).toBe('symbolic link to an ELF file, not followed');
    expect(link?.checks).toEqual({});
    expect(byPath.get(T.fifo)?.note).toBe('fifo: not opened');
    expect(byPath.get(T.fifo)?.error).toBeUndefined();
    const broken = byPath.get(T.broken);
    // The corrupt header starts where the good archive ended.
    const at = statSync(T.archive).size;
    expect(broken?.error).toBe(`bad ar header magic "XX" in header at byte 0x${at.toString(16)}: expected "\`\\n"`);
    expect(broken?.note).toBe('2 members read before the error');
  });

  it('marks required checks and records the machine of each ELF row', async () => {
    const { files } = await scanInProcess({ paths: [T.weak] });
    const weak = files[0];
    expect(weak?.machine).toBe('x86-64');
    expect(weak?.checks.pie).toMatchObject({ status: 'fail', required: true });
    expect(weak?.checks.bindnow?.status).toBe('fail');
    expect(weak?.checks.bindnow?.required).toBeUndefined();
    expect(typeof weak?.checks.pie?.remedy).toBe('string');
  });

  it('follows links with follow, analysing the target under the link name', async () => {
    const { files } = await scanInProcess({ paths: [`${T.root}/bin`], follow: true });
    expect(rows(files, T.root)).toEqual([
      ['bin/hardened', 'pie-executable', 'pass', []],
      ['bin/lazy', 'pie-executable', 'pass', []],
      ['bin/link-to-hardened', 'pie-executable', 'pass', []],
      ['bin/weak', 'executable', 'fail', SP_FORTIFY],
    ]);
  });

  it('gives the same rows in the same order however the targets are batched', async () => {
    const one = await scanInProcess({ paths: [T.root] }, new Policy(), { batchCount: 1 });
    const all = await scanInProcess({ paths: [T.root] });
    expect(one.files).toEqual(all.files);
  });
});

describe('names given explicitly', () => {
  it('reports a non-ELF file, a missing path and a FIFO as errors, follows a named link; exit 3', async () => {
    const missing = `${T.root}/bin/missing`;
    const { files, summary } = await scanInProcess({ paths: [T.text, missing, T.fifo, T.link] });
    expect(rows(files, T.root)).toEqual([
      ['bin/notes.txt', 'not-elf', 'error', []],
      ['bin/missing', 'unreadable', 'error', []],
      ['zz-fifo', 'special', 'error', []],
      ['bin/link-to-hardened', 'pie-executable', 'pass', []],
    ]);
    expect(files.map((f) => f.error)).toEqual([
      'not an ELF file or static archive',
      'no such file or directory',
      'fifo: not opened (only regular files are scanned)',
      undefined,
    ]);
    expect(summary.exitStatus).toBe(3);
  });

  it('a failing file outweighs an unreadable one: exit 1', async () => {
    const { summary } = await scanInProcess({ paths: [T.text, T.weak] });
    expect(summary.verdicts).toEqual({ pass: 0, fail: 1, error: 1, skipped: 0 });
    expect(summary.exitStatus).toBe(1);
  });
});

describe('--files-from', () => {
  it('scans the listed paths (LF, CRLF, blank lines) after the command-line ones, walking listed directories', async () => {
    const list = `${T.hardened}\r\n\n${T.root}/lib\n${T.weak}`;
    const { files } = await scanInProcess({ paths: [T.lazy], filesFrom: '-' }, new Policy(), { stdin: Readable.from([list]) });
    expect(rows(files, T.root)).toEqual([
      ['bin/lazy', 'pie-executable', 'pass', []],
      ['bin/hardened', 'pie-executable', 'pass', []],
      ['lib/libbroken.a', 'archive', 'error', []],
      ['lib/libbroken.a!pair_a.o', 'object', 'pass', []],
      ['lib/libbroken.a!pair_b.o', 'object', 'fail', ['fortify']],
      ['lib/libpair.a!pair_a.o', 'object', 'pass', []],
      ['lib/libpair.a!pair_b.o', 'object', 'fail', ['fortify']],
      ['bin/weak', 'executable', 'fail', SP_FORTIFY],
    ]);
  });

  it('treats listed paths as named: a listed non-ELF file is reported', async () => {
    const { files } = await scanInProcess({ paths: [], filesFrom: '-' }, new Policy(), { stdin: Readable.from([`${T.text}\0${T.hardened}\0`]) });
    expect(rows(files, T.root)).toEqual([
      ['bin/notes.txt', 'not-elf', 'error', []],
      ['bin/hardened', 'pie-executable', 'pass', []],
    ]);
  });
});

describe('policy applied to the scan', () => {
  it('kurento requires immediate binding: the lazy binary fails it', async () => {
    const { files } = await scanInProcess({ paths: [T.hardened, T.lazy] }, new Policy({ profile: 'kurento' }));
    expect(rows(files, T.root)).toEqual([
      ['bin/hardened', 'pie-executable', 'pass', []],
      ['bin/lazy', 'pie-executable', 'fail', ['bindnow']],
    ]);
  });

  it('a waiver excuses a file from a check and every report sees its reason', async () => {
    const policy = new Policy({
      config: { require: [], ignore: [], waivers: [{ paths: ['bin/weak'], checks: ['pie', 'relro'], reason: 'legacy loader needs a fixed address' }] },
      locate: (p) => ({ relative: p.startsWith(`${T.root}/`) ? p.slice(T.root.length + 1) : undefined, absolute: p }),
    });
    const { files } = await scanInProcess({ paths: [T.weak] }, policy);
    expect(rows(files, T.root)).toEqual([['bin/weak', 'executable', 'fail', ['stack-protector', 'fortify']]]);
    expect(files[0]?.checks.pie).toMatchObject({ status: 'fail', required: true, waiver: 'legacy loader needs a fixed address' });
    expect(files[0]?.checks['stack-protector']?.waiver).toBeUndefined();
  });
});

describe('batches', () => {
  it('give an archive a batch of its own, so its rows never share a message with other files', async () => {
    const { runScan } = await import('../../src/scan/pipeline.js');
    const targets = [T.hardened, T.archive, T.weak, T.lazy].map((path) => ({ kind: 'file' as const, path, size: -1, explicit: true }));
    const groups: string[][] = [];
    await runScan(targets, { jobs: 1 }, (results) => groups.push(results.map((r) => r.path.slice(T.root.length + 1))));
    expect(groups).toEqual([['bin/hardened'], ['lib/libpair.a!pair_a.o', 'lib/libpair.a!pair_b.o'], ['bin/weak', 'bin/lazy']]);
  });
});

describe('hostile and broken input', () => {
  it('gives each bad file a row with the reason and goes on with the next', async () => {
    const { mkdtempSync, readFileSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'harden-bad-'));
    const good = readFileSync(T.hardened);
    const files: [string, Uint8Array][] = [
      ['a-empty', new Uint8Array(0)],
      ['b-magic-only', Uint8Array.from([0x7f, 0x45, 0x4c, 0x46])],
      ['c-truncated', good.subarray(0, 100)],
      ['d-garbage-tables', Buffer.concat([good.subarray(0, 64), Buffer.alloc(4096, 0xff)])],
      ['e-archive-huge-member', Buffer.from('!<arch>\nhuge.o/         0           0     0     644     9999999999`\n')],
    ];
    for (const [name, bytes] of files) writeFileSync(join(dir, name), bytes);
    const paths = [...files.map(([name]) => join(dir, name)), T.hardened];
    const { files: rowsOut, summary } = await scanInProcess({ paths });
    const name = (p: string): string => (p.startsWith(`${dir}/`) ? p.slice(dir.length + 1) : p);
    expect(rowsOut.map((f) => [name(f.path), f.kind, f.verdict])).toEqual([
      ['a-empty', 'not-elf', 'error'],
      ['b-magic-only', 'unreadable', 'error'],
      ['c-truncated', 'shared-library', 'error'],
      // Its program headers (0xff bytes) parse, but the section header table lies past the end:
      // a truncated file, analysed (its checks are there, and a required one fails) with the error.
      ['d-garbage-tables', 'shared-library', 'fail'],
      ['e-archive-huge-member', 'archive', 'error'],
      [T.hardened, 'pie-executable', 'pass'],
    ]);
    expect(rowsOut.map((f) => f.error)).toEqual([
      'empty file: not an ELF file',
      'bad e_ident 4 at byte 0x0: file too short for the ELF identification',
      'bad program header table size 728 (0x2d8) at byte 0x40: runs past the end of the file (100 bytes)',
      expect.stringMatching(/^truncated: the section header table at 0x[0-9a-f]+ \(\d+ x 64 bytes\) runs past the end of the file \(4160 bytes\)$/),
      expect.stringMatching(/^bad ar size "9999999999" in header at byte 0x8: member runs past the end of the file/),
      undefined,
    ]);
    // The truncated file's checks that need program headers say why they cannot decide.
    expect(rowsOut[2]?.checks.relro?.status).toBe('unknown');
    expect(Object.keys(rowsOut[3]?.checks ?? {}).length).toBeGreaterThan(10);
    expect(summary.verdicts.error).toBe(4);
    expect(summary.verdicts.fail).toBe(1);
    expect(summary.exitStatus).toBe(1);
  });
});
