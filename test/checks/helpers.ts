/** Shared by the check tests: run the analysis on a path or on bytes built in memory. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyseElf, type AnalyseOptions, type ElfAnalysis } from '../../src/checks/index.js';
import { type CheckId } from '../../src/checks/types.js';
import { ElfFile } from '../../src/elf/index.js';
import { BufferSource } from '../../src/io/byte-source.js';
import { FileSource } from '../../src/io/file-source.js';
import { REPO } from '../helpers/gcc.js';

export function analysePath(path: string, options: AnalyseOptions = {}): ElfAnalysis {
  const src = FileSource.open(path);
  try {
    return analyseElf(ElfFile.open(src), options);
  } finally {
    src.close();
  }
}

export function analyseBytes(bytes: Uint8Array, options: AnalyseOptions = {}): ElfAnalysis {
  return analyseElf(ElfFile.open(new BufferSource(bytes, 'crafted')), options);
}

/** One check's verdict, failing the test when the check did not run. */
export function verdictOf(a: ElfAnalysis, id: CheckId): { status: string; evidence: string; remedy?: string; value?: string } {
  const v = a.checks[id];
  if (v === undefined) throw new Error(`check ${id} did not run`);
  return v;
}

/** Shorthand: the verdict of one check on a file. */
export function check(path: string, id: CheckId): { status: string; evidence: string; remedy?: string; value?: string } {
  return verdictOf(analysePath(path, { checks: [id] }), id);
}

export interface ManifestFixture {
  readonly path: string;
  readonly arch: string;
  readonly variant: string;
  readonly kind: string;
  readonly facts?: Record<string, unknown>;
}

/** Fixtures of a committed manifest, or undefined (with the reason printed) when absent. */
export function manifest(dir: 'cross' | 'toolchains'): { root: string; fixtures: ManifestFixture[] } | undefined {
  const root = join(REPO, 'test', 'fixtures', dir);
  const file = join(root, 'manifest.json');
  if (!existsSync(file)) {
    console.log(`skipping test/fixtures/${dir}: no manifest.json`);
    return undefined;
  }
  const m = JSON.parse(readFileSync(file, 'utf8')) as { fixtures: ManifestFixture[] };
  return { root, fixtures: m.fixtures.filter((f) => existsSync(join(root, f.path))) };
}
