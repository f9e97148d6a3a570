/**
 * `node dist/bench/code-scan.js [--runs N] [FILE…]`
 *
 * Times the machine-code recognisers over every executable section of each FILE (default: the
 * largest libLLVM in /usr/lib/x86_64-linux-gnu, else the largest .so there): reading the
 * sections, `hasDebianProbeLoop`, `findX86StackProbes`, and `findAarch64StackProbes` (on x86
 * bytes it finds nothing, but the search cost is the same as on real AArch64 code). Each is
 * run `--runs` times (default 5) and the median is printed, with MB/s. CPU time is printed
 * next to wall time: on a shared, loaded machine it is the better measure of our own cost.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { findAarch64StackProbes, findX86StackProbes, hasDebianProbeLoop } from '../src/code/index.js';
import { ElfFile } from '../src/elf/index.js';
import { FileSource } from '../src/io/file-source.js';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

function defaultFile(): string | undefined {
  const dir = '/usr/lib/x86_64-linux-gnu';
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return undefined;
  }
  const sized = names
    .filter((n) => n.includes('.so'))
    .map((n) => {
      try {
        const st = statSync(join(dir, n));
        return st.isFile() ? { n, size: st.size } : undefined;
      } catch {
        return undefined;
      }
    })
    .filter((x): x is { n: string; size: number } => x !== undefined)
    .sort((a, b) => b.size - a.size);
  const llvm = sized.find((x) => x.n.startsWith('libLLVM'));
  const pick = llvm ?? sized[0];
  return pick === undefined ? undefined : join(dir, pick.n);
}

interface Timing {
  wall: number;
  cpu: number;
}

function time(runs: number, f: () => void): Timing {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c = process.cpuUsage();
    const t = performance.now();
    f();
    wall.push(performance.now() - t);
    const d = process.cpuUsage(c);
    cpu.push((d.user + d.system) / 1000);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

function main(): number {
  const argv = process.argv.slice(2);
  let runs = 5;
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--runs') runs = Math.max(1, Number(argv[++i]));
    else files.push(a);
  }
  if (files.length === 0) {
    const d = defaultFile();
    if (d === undefined) {
      console.error('no file given and no shared library found');
      return 2;
    }
    files.push(d);
  }
  for (const path of files) {
    const src = FileSource.open(path);
    try {
      let sections: { addr: number; bytes: Uint8Array }[] = [];
      const readMs = time(runs, () => {
        const elf = ElfFile.open(src);
        sections = elf.codeSections.map((s) => ({ addr: Number(s.addr), bytes: elf.sectionData(s, 'maxCodeBytes') }));
      });
      const bytes = sections.reduce((n, s) => n + s.bytes.length, 0);
      const mb = bytes / 1e6;
      const line = (name: string, t: Timing): string =>
        `  ${name.padEnd(24)} wall ${t.wall.toFixed(1).padStart(7)} ms  cpu ${t.cpu.toFixed(1).padStart(7)} ms  ${(mb / (t.cpu / 1000)).toFixed(0).padStart(6)} MB/s (cpu)`;
      let found = '';
      const debMs = time(runs, () => {
        found = sections.some((s) => hasDebianProbeLoop(s.bytes, s.addr)) ? 'yes' : 'unknown';
      });
      let counts = '';
      const x86Ms = time(runs, () => {
        const r = sections.map((s) => findX86StackProbes(s.bytes, s.addr));
        const sum = (k: 'allocaLoops' | 'fixedFrame' | 'unprobedFrames'): number => r.reduce((n, x) => n + x[k].length, 0);
        counts = `${sum('allocaLoops')} alloca loops, ${sum('fixedFrame')} fixed frames, ${sum('unprobedFrames')} unprobed`;
      });
      const a64Ms = time(runs, () => {
        for (const s of sections) findAarch64StackProbes(s.bytes, s.addr);
      });
      console.log(`${path}: ${sections.length} executable sections, ${mb.toFixed(1)} MB of code (median of ${runs})`);
      console.log(line('read sections', readMs));
      console.log(`${line('hasDebianProbeLoop', debMs)}  -> ${found}`);
      console.log(`${line('findX86StackProbes', x86Ms)}  -> ${counts}`);
      console.log(line('findAarch64StackProbes', a64Ms));
    } finally {
      src.close();
    }
  }
  return 0;
}

process.exitCode = main();
