/**
 * Within one scan, a file reached under several hard links is analysed once per thread and its
 * row reused with each name (src/scan/scan-task.ts); the rows must be exactly what analysing
 * each name gives, and a file rewritten in place (same inode) must be analysed afresh by the
 * next scan.
 */
import { copyFileSync, linkSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/limits.js';
import { type FileResult } from '../../src/scan/result.js';
import { scanBatch, scanTarget } from '../../src/scan/scan-task.js';
import { type ScanTarget } from '../../src/scan/target.js';
import { gcc } from '../helpers/gcc.js';
import { HARDENED_FLAGS, PROGRAM, WEAK_FLAGS } from './fixtures.js';

let dir: string;
let hardened: string;
let weak: string;

const file = (path: string): ScanTarget => ({ kind: 'file', path, size: -1, explicit: false });
const withoutPath = (r: FileResult | undefined): Omit<FileResult, 'path'> | undefined => {
  if (r === undefined) return undefined;
  const { path: _, ...rest } = r;
  return rest;
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'harden-links-'));
  hardened = gcc(PROGRAM, HARDENED_FLAGS, 'hardened');
  weak = gcc(PROGRAM, WEAK_FLAGS, 'weak');
});

describe('hard links', () => {
  it('every name of a hardlinked file gets its own path and the verdicts the file has', () => {
    const a = join(dir, 'a');
    copyFileSync(hardened, a);
    const names = [a, join(dir, 'b'), join(dir, 'c')];
    for (const n of names.slice(1)) linkSync(a, n);
    // One batch and separate batches (how a large file travels): the same rows either way.
    const together = scanBatch({ targets: names.map(file), scan: 1 });
    const apart = names.flatMap((n) => scanBatch({ targets: [file(n)], scan: 1 }));
    expect(together.map((r) => r.path)).toEqual(names);
    expect(apart).toEqual(together);
    // Each row equals a fresh analysis (no reuse) of a copy that is no link of the others.
    const copy = join(dir, 'copy');
    copyFileSync(hardened, copy);
    const fresh = scanTarget(file(copy), DEFAULT_LIMITS)[0];
    for (const r of together) expect(withoutPath(r)).toEqual(withoutPath(fresh));
    expect(together[0]?.checks.pie?.status).toBe('pass');
  });

  it('a file rewritten in place (same inode) is analysed again by the next scan', () => {
    const f = join(dir, 'rewritten');
    copyFileSync(hardened, f);
    const before = scanBatch({ targets: [file(f)], scan: 2 })[0];
    writeFileSync(f, readFileSync(weak));
    const after = scanBatch({ targets: [file(f)], scan: 3 })[0];
    expect(before?.checks.pie?.status).toBe('pass');
    expect(after?.checks.pie?.status).toBe('fail');
  });
});
