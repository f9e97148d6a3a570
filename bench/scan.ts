/**
 * `npm run bench -- [options] PATHS…`
 *
 * Times `harden scan` (every check) against the peers over the same ELF files, side by side in
 * one run, and prints wall time, ratios and peak memory:
 *   cat                      reading the files' bytes once (the floor: what I/O alone costs)
 *   harden scan              over the file list (--files-from), then over PATHS as a directory
 *                            walk (non-ELF files, links and static archives included)
 *   hardening-check          Debian's (devscripts), files as arguments
 *   checksec --listfile      checksec.sh
 *   scanelf -f               pax-utils: headers, TEXTREL, RPATH, BIND, canary symbol
 *
 * The peers are single-threaded scripts. Each slice of theirs is timed two ways, a row and a
 * ratio for each: in one process, as a user runs them (and as `cat` is timed), and in chunks,
 * one chunk per core at a time, so that they get the machine as ours does (`--peer-chunks N[,N]`
 * picks the ways: processes at a time). Debian's hardening-check and checksec take seconds per
 * file: by default they run on an evenly spaced sample (--sample N, 0 for all) and their time
 * is scaled to the whole list; the report says so. The page cache is warmed first (cat), so
 * every tool reads from memory. Ours is timed --runs times (default 3), the median taken.
 * On a shared machine the speed of the whole machine drifts by tens of percent within a
 * minute, so nothing is compared with a figure taken minutes apart: over the file list each
 * run of ours follows a run of cat (cat's figure is the median of those), and is followed by
 * one slice of the peers' sample (every Nth file of it, N = --runs), so that checksec and
 * Debian's hardening-check are timed in the same minutes as ours, a slice after each run.
 * Peak memory is GNU time's maximum resident set size (the largest process of a chunk).
 *
 * Options: --runs N, --sample N, --jobs N (passed to harden), --peer-chunks N[,N] (peer
 * processes at a time, one timing per value; default 1 and the number of cores), --skip
 * TOOL[,TOOL] (cat, walk, hardening-check, checksec, scanelf).
 */
import { cpus, loadavg, tmpdir } from 'node:os';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { collectFiles, fmtMiB, fmtSeconds, isElf, type Measurement, measure, measureChunked, median } from './lib.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const HARDEN = join(REPO, 'bin', 'harden');

interface Row {
  readonly tool: string;
  readonly files: number;
  readonly seconds: number;
  /** Seconds for the whole list, when measured on a sample. */
  readonly scaled?: number;
  readonly cpu: number;
  readonly peakMiB: number | undefined;
  readonly note: string;
}

interface Options {
  runs: number;
  sample: number;
  jobs: number | undefined;
  /** Peer processes run at a time, one timing per value (default: 1 and the number of cores). */
  peerChunks: number[] | undefined;
  skip: Set<string>;
  paths: string[];
}

function parseArgs(argv: readonly string[]): Options | string {
  const o: Options = { runs: 3, sample: 200, jobs: undefined, peerChunks: undefined, skip: new Set(), paths: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    const next = (): string => argv[++i] ?? '';
    if (a === '--runs') o.runs = Math.max(1, Number(next()));
    else if (a === '--sample') o.sample = Math.max(0, Number(next()));
    else if (a === '--jobs') o.jobs = Math.max(1, Number(next()));
    else if (a === '--peer-chunks') o.peerChunks = next().split(',').map((n) => Math.max(1, Math.floor(Number(n)) || 1));
    else if (a === '--skip') for (const t of next().split(',')) o.skip.add(t.trim());
    else if (a.startsWith('-')) return `unknown option ${a}`;
    else o.paths.push(a);
  }
  return o.paths.length === 0 ? 'no PATHS' : o;
}

/** `parts` slices of `files`, file i in slice i mod parts: each spans the whole list. */
function slices(files: readonly string[], parts: number): string[][] {
  const out: string[][] = Array.from({ length: parts }, () => []);
  files.forEach((f, i) => out[i % parts]?.push(f));
  return out;
}

/** A peer timed over the sample, one slice after each run of ours. */
interface Peer {
  readonly tool: string;
  readonly cmd: string;
  readonly argsFor?: (chunk: string[], index: number) => string[];
  /** Processes run at a time. */
  readonly parallel: number;
  /** One measurement per slice, in run order (slice r after run r; empty slices come last). */
  readonly runs: Measurement[];
}

/** Every `step`-th file, so a sample spans the list (small and large files, every directory). */
function sample(files: readonly string[], n: number): string[] {
  if (n === 0 || n >= files.length) return [...files];
  const step = files.length / n;
  return Array.from({ length: n }, (_, i) => files[Math.floor(i * step)] ?? '');
}

async function main(): Promise<number> {
  const opts = parseArgs(process.argv.slice(2));
  if (typeof opts === 'string') {
    process.stderr.write(`bench: ${opts}\nusage: npm run bench -- [--runs N] [--sample N] [--jobs N] [--peer-chunks N[,N]] [--skip TOOL,…] PATHS…\n`);
    return 2;
  }
  const cores = cpus().length;
  const parallels = opts.peerChunks ?? [...new Set([1, cores])];
  const howRun = (parallel: number): string => (parallel === 1 ? 'one process at a time' : `${parallel} processes at a time`);
  const { files, bytes } = collectFiles(opts.paths, isElf);
  const tmp = mkdtempSync(join(tmpdir(), 'harden-bench-'));
  const list = join(tmp, 'files');
  writeFileSync(list, files.join('\n') + '\n');
  const out = (s: string): void => {
    process.stdout.write(`${s}\n`);
  };
  out(`corpus: ${files.length} ELF files, ${(bytes / 2 ** 20).toFixed(0)} MiB, under ${opts.paths.join(' ')}; ${cores} cores`);

  const rows: Row[] = [];
  // Warm the page cache; cat is then timed before each run of ours over the list.
  const cat = (): Promise<Measurement> => measureChunked('cat', files, 1000, 1);
  await cat();
  const catRuns: Measurement[] = [];

  const sampled = sample(files, opts.sample);
  const scale = files.length / sampled.length;
  const sampleNote = sampled.length < files.length ? `${sampled.length}-file sample, scaled ×${scale.toFixed(1)}` : 'all files';
  const sampleSlices = slices(sampled, opts.runs);
  const peers: Peer[] = [];
  // A row per tool and way of running it, named by the way when there are several.
  const named = (tool: string, parallel: number): string => (parallels.length > 1 ? `${tool} (${parallel === 1 ? 'one process' : `${parallel} at a time`})` : tool);
  const checksecArgs = (c: string[], i: number): string[] => {
    const f = join(tmp, `checksec-${i}`);
    writeFileSync(f, c.join('\n') + '\n');
    return [`--listfile=${f}`, '--format=csv'];
  };
  for (const parallel of parallels) {
    if (!opts.skip.has('hardening-check')) peers.push({ tool: named('hardening-check (Debian)', parallel), cmd: 'hardening-check', parallel, runs: [] });
    if (!opts.skip.has('checksec')) peers.push({ tool: named('checksec --listfile', parallel), cmd: 'checksec', argsFor: checksecArgs, parallel, runs: [] });
  }
  const peerSlice = async (r: number): Promise<void> => {
    const slice = sampleSlices[r] ?? [];
    if (slice.length === 0) return;
    for (const p of peers) {
      // Chunks small enough that every process has one, as many files each as before at most;
      // or, one at a time, the slice in one process.
      const size = p.parallel === 1 ? slice.length : Math.min(50, Math.ceil(slice.length / p.parallel));
      p.runs.push(await measureChunked(p.cmd, slice, size, p.parallel, p.argsFor));
    }
  };

  const jobs = opts.jobs === undefined ? [] : ['--jobs', String(opts.jobs)];
  const ours = async (
    args: string[],
    before?: () => Promise<void>,
    after?: (run: number) => Promise<void>,
  ): Promise<{ seconds: number; cpu: number; all: number[]; peak: number | undefined }> => {
    const times: number[] = [];
    const cpus: number[] = [];
    let peak: number | undefined;
    for (let r = 0; r < opts.runs; r++) {
      await before?.();
      const m = await measure(HARDEN, ['scan', '--format', 'jsonl', '--no-config', '--profile', 'none', ...jobs, ...args]);
      if (m.status !== 0 && m.status !== 3) out(`harden scan exited ${m.status}`);
      times.push(m.seconds);
      cpus.push(m.cpu);
      if (m.peakMiB !== undefined) peak = Math.max(peak ?? 0, m.peakMiB);
      await after?.(r);
    }
    return { seconds: median(times), cpu: median(cpus), all: times, peak };
  };
  const listed = await ours(
    ['--files-from', list],
    async () => {
      if (!opts.skip.has('cat')) catRuns.push(await cat());
    },
    peerSlice,
  );
  if (catRuns.length > 0) {
    const peaks = catRuns.map((m) => m.peakMiB ?? 0);
    rows.push({
      tool: 'cat',
      files: files.length,
      seconds: median(catRuns.map((m) => m.seconds)),
      cpu: median(catRuns.map((m) => m.cpu)),
      peakMiB: Math.max(...peaks),
      note: `reads every byte once; median of ${catRuns.map((m) => fmtSeconds(m.seconds)).join(', ')}`,
    });
  }
  rows.push({ tool: 'harden scan --files-from', files: files.length, seconds: listed.seconds, cpu: listed.cpu, peakMiB: listed.peak, note: `every check; median of ${listed.all.map(fmtSeconds).join(', ')}` });
  if (!opts.skip.has('walk')) {
    const walked = await ours(opts.paths);
    rows.push({ tool: 'harden scan PATHS', files: files.length, seconds: walked.seconds, cpu: walked.cpu, peakMiB: walked.peak, note: 'directory walk: also sniffs non-ELF files, scans archive members' });
  }

  for (const p of peers) {
    const seconds = p.runs.reduce((n, m) => n + m.seconds, 0);
    const cpu = p.runs.reduce((n, m) => n + m.cpu, 0);
    const peaks = p.runs.flatMap((m) => (m.peakMiB === undefined ? [] : [m.peakMiB]));
    const note = `${sampleNote}; ${p.runs.length} slices, one after each run of ours; ${howRun(p.parallel)}`;
    rows.push({ tool: p.tool, files: sampled.length, seconds, scaled: seconds * scale, cpu: cpu * scale, peakMiB: peaks.length > 0 ? Math.max(...peaks) : undefined, note });
  }
  if (!opts.skip.has('scanelf')) {
    const m = await measure('scanelf', ['-BCa', '-s', '__stack_chk_fail', '-f', list]);
    rows.push({ tool: 'scanelf -f', files: files.length, seconds: m.seconds, cpu: m.cpu, peakMiB: m.peakMiB, note: 'headers, TEXTREL, RPATH, BIND, canary symbol only' });
  }

  const base = listed.seconds;
  out('');
  const width = Math.max(26, ...rows.map((r) => r.tool.length));
  out(`${'tool'.padEnd(width)} ${'files'.padStart(6)} ${'wall'.padStart(10)} ${'all files'.padStart(10)} ${'vs ours'.padStart(9)} ${'cpu (all)'.padStart(10)} ${'peak'.padStart(8)}  note`);
  for (const r of rows) {
    const whole = r.scaled ?? r.seconds;
    out(
      `${r.tool.padEnd(width)} ${String(r.files).padStart(6)} ${fmtSeconds(r.seconds).padStart(10)} ${fmtSeconds(whole).padStart(10)} ${`${(whole / base).toFixed(2)}x`.padStart(9)} ${fmtSeconds(r.cpu).padStart(10)} ${fmtMiB(r.peakMiB).padStart(8)}  ${r.note}`,
    );
  }
  const catRow = rows.find((r) => r.tool === 'cat');
  out('');
  if (catRow !== undefined) {
    const pairs = listed.all.map((s, i) => s / (catRuns[i]?.seconds ?? Number.NaN));
    out(`harden scan / cat: ${(base / catRow.seconds).toFixed(2)}x wall (target: at most 4x); run by run: ${pairs.map((x) => `${x.toFixed(2)}x`).join(', ')}`);
  }
  // On a machine shared with other work, wall time measures the others too; CPU time does not.
  out(`load average at the end: ${loadavg()[0]?.toFixed(1) ?? '?'} on ${cores} cores`);
  for (const checksec of rows.filter((r) => r.tool.startsWith('checksec'))) {
    const peer = peers.find((p) => p.tool === checksec.tool);
    out(`checksec / harden scan${peer === undefined ? '' : `, ${howRun(peer.parallel)}`}: ${((checksec.scaled ?? checksec.seconds) / base).toFixed(0)}x wall, ${(checksec.cpu / listed.cpu).toFixed(0)}x CPU (target: at least 100x)`);
    // Each slice scaled to the whole list against the run of ours just before it: how the
    // ratio moves with the machine (slices hold different files, so they differ a little anyway).
    const byRun = (peer?.runs ?? []).map((m, r) => (m.seconds * (files.length / (sampleSlices[r]?.length ?? Number.NaN))) / (listed.all[r] ?? Number.NaN));
    if (byRun.length > 1) out(`  run by run (each slice scaled, against the run before it): ${byRun.map((x) => `${x.toFixed(0)}x`).join(', ')}`);
  }
  out(`harden scan peak memory: ${fmtMiB(listed.peak)} (target: under 300 MiB)`);
  return 0;
}

process.exitCode = await main();
