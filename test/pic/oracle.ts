/**
 * The linker as the oracle of the PIC audit: link an object (or a whole archive) with
 * `<cc> -shared` and see whether the linker refuses it, or accepts it only by giving the
 * library text relocations (some linkers warn, aarch64 ld says nothing: DT_TEXTREL in the
 * output is what counts), or (MIPS) warns that a non-abicalls object went in. Outcomes are
 * cached in test/.cache/pic-link, keyed by the input's contents, so a re-run does not link again.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ElfFile } from '../../src/elf/index.js';
import { relocationTable } from '../../src/elf/reloc-types/index.js';
import { auditSharedLink, type SharedLinkAudit } from '../../src/elf/reloc-types/shared-link.js';
import { FileSource } from '../../src/io/file-source.js';
import { CACHE } from '../helpers/gcc.js';

export interface LinkOutcome {
  /** The linker refused, or the library would have text relocations, or (MIPS) it mixed in non-abicalls code. */
  readonly refused: boolean;
  readonly how: 'error' | 'textrel' | 'non-abicalls' | 'ok';
  /** Relocation types the linker's messages name. */
  readonly named: readonly string[];
  readonly stderr: string;
}

/** `cc -shared -o obj.so inputs...`, judged. `wholeArchive` wraps an archive so every member goes in. */
export function linkShared(input: string, compiler: string, wholeArchive = false): LinkOutcome {
  const key = createHash('sha256').update(readFileSync(input)).update(compiler).update(String(wholeArchive)).digest('hex').slice(0, 16);
  const dir = join(CACHE, 'pic-link');
  mkdirSync(dir, { recursive: true });
  const cache = join(dir, `${key}.json`);
  if (existsSync(cache)) return JSON.parse(readFileSync(cache, 'utf8')) as LinkOutcome;
  const so = join(dir, `${key}-${basename(input)}.so`);
  const args = wholeArchive ? ['-shared', '-o', so, '-Wl,--whole-archive', input, '-Wl,--no-whole-archive'] : ['-shared', '-o', so, input];
  const r = spawnSync(compiler, args, { encoding: 'utf8' });
  const stderr = r.stderr ?? '';
  let how: LinkOutcome['how'] = 'ok';
  if (r.status !== 0) how = 'error';
  else if (hasTextrel(so)) how = 'textrel';
  else if (stderr.includes('linking abicalls files with non-abicalls files')) how = 'non-abicalls';
  const named = [...new Set([...stderr.matchAll(/\b(R_[A-Z0-9_]+)\b/g)].map((m) => m[1] ?? ''))].filter((n) => n !== '');
  const outcome: LinkOutcome = { refused: how !== 'ok', how, named, stderr };
  writeFileSync(cache, JSON.stringify(outcome));
  return outcome;
}

function hasTextrel(so: string): boolean {
  const r = spawnSync('readelf', ['-dW', so], { encoding: 'utf8' });
  return /\(TEXTREL\)|FLAGS\)\s.*TEXTREL/.test(r.stdout ?? '');
}

/** The audit of an object with every offending relocation described (for comparing with ld's messages). */
export function auditObject(path: string): SharedLinkAudit {
  const src = FileSource.open(path);
  try {
    const elf = ElfFile.open(src);
    const table = relocationTable(elf.header.machine, elf.header.is64);
    if (table === undefined) throw new Error(`no table for ${path}`);
    return auditSharedLink(elf, table, { maxSamples: 10_000 });
  } finally {
    src.close();
  }
}
