/**
 * The directory walk under the scan (src/io/walk.ts): order, names, links, special files,
 * cycles, and the cheap mode the scan uses (no stat of regular files).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { walk, type WalkEntry } from '../../src/io/walk.js';

let root = '';

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'harden-walk-'));
  mkdirSync(join(root, 'd', 'sub'), { recursive: true });
  writeFileSync(join(root, 'd', 'b.txt'), 'bb');
  writeFileSync(join(root, 'd', 'A'), 'a');
  writeFileSync(join(root, 'd', 'sub', 'c'), 'ccc');
  symlinkSync('sub', join(root, 'd', 'link-dir'));
  symlinkSync('b.txt', join(root, 'd', 'link-file'));
  symlinkSync('nowhere', join(root, 'd', 'link-dangling'));
  symlinkSync('..', join(root, 'd', 'sub', 'up'));
  execFileSync('mkfifo', [join(root, 'd', 'fifo')]);
});

function list(entries: Iterable<WalkEntry>): string[] {
  return [...entries].map((e) => {
    const p = e.path.startsWith(root) ? e.path.slice(root.length + 1) : e.path;
    switch (e.kind) {
      case 'file':
        return `file ${p} ${e.size}`;
      case 'symlink':
        return `link ${p} -> ${e.target.startsWith(root) ? e.target.slice(root.length + 1) : e.target}`;
      case 'special':
        return `special ${p} ${e.type}`;
      case 'error':
        return `error ${p}: ${e.message}`;
    }
  });
}

describe('walk', () => {
  it('yields entries sorted by name, reports links and special files without following or opening them', () => {
    expect(list(walk([join(root, 'd')], { follow: false }))).toEqual([
      'file d/A 1',
      'file d/b.txt 2',
      'special d/fifo fifo',
      'link d/link-dangling -> (no such file or directory)',
      'link d/link-dir -> d/sub',
      'link d/link-file -> d/b.txt',
      'file d/sub/c 3',
      'link d/sub/up -> d',
    ]);
  });

  it('gives the same entries without stat-ing regular files, their size then -1', () => {
    const cheap = list(walk([join(root, 'd')], { follow: false, statFiles: false }));
    const full = list(walk([join(root, 'd')], { follow: false }));
    expect(cheap).toEqual(full.map((l) => (l.startsWith('file ') ? l.replace(/ \d+$/, ' -1') : l)));
  });

  it('follows links when asked, and cuts the cycle a link to a parent makes', () => {
    expect(list(walk([join(root, 'd')], { follow: true, statFiles: false }))).toEqual([
      'file d/A -1',
      'file d/b.txt -1',
      'special d/fifo fifo',
      'error d/link-dangling: no such file or directory',
      'file d/link-dir/c -1',
      'error d/link-dir/up: directory cycle (already being walked)',
      'file d/link-file 2',
      'file d/sub/c -1',
      'error d/sub/up: directory cycle (already being walked)',
    ]);
  });

  it('names children as path.join does, and follows a link named as a root', () => {
    const cwd = process.cwd();
    process.chdir(root);
    try {
      expect(list(walk(['./d/sub/', 'd/link-file'], { follow: false }))).toEqual(['d/sub/c 3', 'link d/sub/up -> d', 'file d/link-file 2'].map((s) => (s.startsWith('d/') ? `file ${s}` : s)));
    } finally {
      process.chdir(cwd);
    }
  });
});
