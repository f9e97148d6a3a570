/**
 * `npm run compare:debian -- [--options "-v"] [--jobs N] PATHS…`
 *
 * Runs Debian's hardening-check (the newest, `hardening-check-newest` from
 * ../shared/tools/reference-tools.sh, or $HARDENING_CHECK_REFERENCE) and ours on every ELF file
 * and static archive under PATHS, one file per invocation, and lists every file whose output
 * or exit status differs. The reference prints the `-v` function lines in hash order, so both
 * sides' runs of tab-indented lines are sorted before comparing. Symbolic links are skipped
 * (their targets are compared under their own names); other files are compared only when they
 * start with the ELF or ar magic, since the reference prints nothing for anything else.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { walk } from '../src/io/walk.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OURS = join(REPO, 'bin', 'hardening-check');

function findReference(): string {
  const env = process.env['HARDENING_CHECK_REFERENCE'];
  if (env !== undefined && env !== '') return env;
  for (const p of ['/opt/hardening-reference/bin/hardening-check-newest']) if (existsSync(p)) return p;
  throw new Error('the reference is not installed: run ../shared/tools/reference-tools.sh (or set HARDENING_CHECK_REFERENCE)');
}

/** True for files the reference analyses (ELF or ar magic). */
function isCandidate(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return false;
  }
  try {
    const b = Buffer.alloc(8);
    const n = readSync(fd, b, 0, 8, 0);
    if (n >= 4 && b.readUInt32BE(0) === 0x7f454c46) return true;
    return n === 8 && b.toString('latin1') === '!<arch>\n';
  } finally {
    closeSync(fd);
  }
}

interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly status: number;
}

function runTool(cmd: string, args: readonly string[]): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LANG: 'C' } });
    const chunks: Buffer[] = [];
    const errs: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => errs.push(c));
    child.on('close', (code) => resolve({ stdout: Buffer.concat(chunks).toString('utf8'), stderr: Buffer.concat(errs).toString('utf8'), status: code ?? -1 }));
    child.on('error', (e) => resolve({ stdout: '', stderr: e.message, status: -1 }));
  });
}

/** Sorts each run of consecutive tab-indented lines (the -v lines, in hash order in the reference). */
function normalise(out: string): string {
  const lines = out.split('\n');
  const result: string[] = [];
  let run: string[] = [];
  const flush = (): void => {
    result.push(...run.sort());
    run = [];
  };
  for (const l of lines) {
    if (l.startsWith('\t')) run.push(l);
    else {
      flush();
      result.push(l);
    }
  }
  flush();
  return result.join('\n');
}

function parseArgs(argv: readonly string[]): { options: string[]; jobs: number; paths: string[] } {
  const options: string[] = [];
  let jobs = cpus().length;
  const paths: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--options') options.push(...(argv[++i] ?? '').split(/\s+/).filter((x) => x !== ''));
    else if (a === '--jobs') jobs = Math.max(1, Number(argv[++i] ?? '1'));
    else paths.push(a);
  }
  return { options, jobs, paths };
}

async function main(): Promise<number> {
  const { options, jobs, paths } = parseArgs(process.argv.slice(2));
  if (paths.length === 0) {
    process.stderr.write('usage: npm run compare:debian -- [--options "-v"] [--jobs N] PATHS…\n');
    return 2;
  }
  const reference = findReference();
  const files: string[] = [];
  for (const e of walk(paths, { follow: false })) if (e.kind === 'file' && isCandidate(e.path)) files.push(e.path);
  process.stderr.write(`comparing ${files.length} files with options [${options.join(' ')}] using ${reference}\n`);
  let next = 0;
  let differ = 0;
  let done = 0;
  const started = Date.now();
  const worker = async (): Promise<void> => {
    for (;;) {
      const i = next++;
      const file = files[i];
      if (file === undefined) return;
      const [ref, ours] = await Promise.all([runTool(reference, [...options, file]), runTool(OURS, [...options, file])]);
      const a = normalise(ref.stdout);
      const b = normalise(ours.stdout);
      if (a !== b || ref.status !== ours.status) {
        differ++;
        process.stdout.write(`DIFFERS ${file} (exit ${ref.status} vs ${ours.status})\n`);
        if (ours.stderr !== '') process.stdout.write(`  our stderr: ${JSON.stringify(ours.stderr.slice(0, 300))}\n`);
        const al = a.split('\n');
        const bl = b.split('\n');
        for (let k = 0; k < Math.max(al.length, bl.length); k++) {
          if (al[k] !== bl[k]) process.stdout.write(`  reference: ${JSON.stringify(al[k] ?? null)}\n  ours:      ${JSON.stringify(bl[k] ?? null)}\n`);
        }
      }
      done++;
      if (done % 200 === 0) process.stderr.write(`  ${done}/${files.length} (${differ} differ, ${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
    }
  };
  await Promise.all(Array.from({ length: jobs }, worker));
  process.stdout.write(`${files.length} files compared, ${differ} differ\n`);
  return differ === 0 ? 0 : 1;
}

process.exitCode = await main();
