/**
 * Shared pieces of the benchmarks: collecting the files to measure, and timing a command with
 * its CPU time and peak memory. Timing uses wall-clock time of whole commands; CPU time and peak
 * memory come from GNU time (user + system; maximum resident set size, which covers the largest process of the command's tree
 * (the reference runs readelf and objdump as children).
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { walk } from '../src/io/walk.js';

/** Regular files under `paths` whose first bytes match `accept` (symlinks are not followed). */
export function collectFiles(paths: readonly string[], accept: (head: Buffer) => boolean): { files: string[]; bytes: number } {
  const files: string[] = [];
  let bytes = 0;
  for (const e of walk(paths, { follow: false })) {
    if (e.kind !== 'file') continue;
    let fd: number;
    try {
      fd = openSync(e.path, 'r');
    } catch {
      continue;
    }
    try {
      const head = Buffer.alloc(8);
      const n = readSync(fd, head, 0, 8, 0);
      if (accept(head.subarray(0, n))) {
        files.push(e.path);
        bytes += e.size;
      }
    } finally {
      closeSync(fd);
    }
  }
  return { files, bytes };
}

export const isElf = (h: Buffer): boolean => h.length >= 4 && h.readUInt32BE(0) === 0x7f454c46;
export const isElfOrAr = (h: Buffer): boolean => isElf(h) || h.toString('latin1') === '!<arch>\n';

export interface Measurement {
  /** Wall-clock seconds. */
  readonly seconds: number;
  /** User + system CPU seconds of the command and its children: what a loaded machine does not distort. */
  readonly cpu: number;
  /** Peak resident set size in MiB (largest process of the tree), when GNU time is present. */
  readonly peakMiB: number | undefined;
  readonly status: number;
}

const GNU_TIME = '/usr/bin/time';

/** Runs `cmd args` with stdout discarded (it can be huge), measuring time, CPU time and peak memory. */
export function measure(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<Measurement> {
  const timed = existsSync(GNU_TIME);
  const argv = timed ? ['-f', '@@ %M %U %S', cmd, ...args] : [...args];
  const exe = timed ? GNU_TIME : cmd;
  return new Promise((resolve) => {
    const start = process.hrtime.bigint();
    const child = spawn(exe, argv, { stdio: ['ignore', 'ignore', 'pipe'], env });
    let err = '';
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString('utf8');
      if (err.length > 1 << 20) err = err.slice(-4096);
    });
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const m = /@@ (\d+) ([\d.]+) ([\d.]+)\s*$/.exec(err);
      resolve({
        seconds,
        cpu: m === null ? NaN : Number(m[2]) + Number(m[3]),
        peakMiB: m === null ? undefined : Number(m[1]) / 1024,
        status: code ?? -1,
      });
    });
  });
}

/**
 * Runs `argsFor(chunk)` for each chunk of `files` (`size` files each), `parallel` at a time:
 * wall time of the whole, CPU time summed, the largest peak, the worst exit status.
 */
export async function measureChunked(
  cmd: string,
  files: readonly string[],
  size: number,
  parallel: number,
  argsFor: (chunk: string[], index: number) => string[] = (c) => c,
): Promise<Measurement> {
  const chunks: string[][] = [];
  for (let i = 0; i < files.length; i += size) chunks.push(files.slice(i, i + size));
  let next = 0;
  let peak: number | undefined;
  let status = 0;
  let cpu = 0;
  const start = process.hrtime.bigint();
  const lane = async (): Promise<void> => {
    for (;;) {
      const index = next++;
      const c = chunks[index];
      if (c === undefined) return;
      const m = await measure(cmd, argsFor(c, index));
      if (m.peakMiB !== undefined) peak = Math.max(peak ?? 0, m.peakMiB);
      status = Math.max(status, m.status);
      cpu += m.cpu;
    }
  };
  await Promise.all(Array.from({ length: parallel }, lane));
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, cpu, peakMiB: peak, status };
}

export function fmtSeconds(s: number): string {
  return s < 1 ? `${(s * 1000).toFixed(0)} ms` : `${s.toFixed(2)} s`;
}

export function fmtMiB(m: number | undefined): string {
  return m === undefined ? 'n/a' : `${m.toFixed(0)} MiB`;
}

/** Median of a list of numbers. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}
