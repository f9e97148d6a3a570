/**
 * `node dist/bench/warm-up.js [--passes N] [--v8-defaults] PATHS…`
 *
 * How much of a scan is the JavaScript engine warming up: analyses the ELF files under PATHS
 * in this one thread (the scan task the workers run, without workers), N times over (default
 * 3), and prints each pass's wall time and the CPU the process used during it (every thread:
 * the compiler and the garbage collector work beside the main thread). The first pass runs
 * cold code: interpreted, then compiled by the optimising compiler as it gets hot; later
 * passes run what is already compiled. Each worker of a real scan is an isolate of its own
 * and pays the first pass's premium for its share of the files.
 *
 * The engine settings of the commands (src/run/engine-tuning.ts) are applied first, unless
 * `--v8-defaults`: those settings suit one pass (a scan), V8's own suit many.
 */
import '../src/io/native-zlib.js';
import { collectFiles, fmtSeconds, isElf } from './lib.js';

interface Options {
  readonly passes: number;
  readonly v8Defaults: boolean;
  readonly paths: string[];
}

function parseArgs(argv: readonly string[]): Options | string {
  let passes = 3;
  let v8Defaults = false;
  const paths: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--passes') {
      passes = Number(argv[++i]);
      if (!Number.isInteger(passes) || passes < 1) return '--passes takes a positive integer';
    } else if (a === '--v8-defaults') {
      v8Defaults = true;
    } else if (a.startsWith('-')) {
      return `unknown option ${a}`;
    } else {
      paths.push(a);
    }
  }
  return paths.length === 0 ? 'no PATHS' : { passes, v8Defaults, paths };
}

async function main(): Promise<number> {
  const opts = parseArgs(process.argv.slice(2));
  if (typeof opts === 'string') {
    process.stderr.write(`warm-up: ${opts}\nusage: node dist/bench/warm-up.js [--passes N] [--v8-defaults] PATHS…\n`);
    return 2;
  }
  // Before the scan code is loaded, so that every function it compiles sees the settings.
  if (!opts.v8Defaults) await import('../src/run/engine-tuning.js');
  const { scanBatch } = await import('../src/scan/scan-task.js');
  const { files } = collectFiles(opts.paths, isElf);
  process.stdout.write(`${files.length} ELF files under ${opts.paths.join(' ')}; one thread; ${opts.v8Defaults ? "V8's default settings" : 'the commands\' engine settings'}\n\npass      wall       cpu (all threads)\n`);
  const targets = files.map((path) => ({ kind: 'file' as const, path, size: -1, explicit: true }));
  for (let pass = 1; pass <= opts.passes; pass++) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    let rows = 0;
    // The same batches a scan's workers get (minus hard-link reuse: every pass analyses every file).
    for (let i = 0; i < targets.length; i += 64) rows += scanBatch({ targets: targets.slice(i, i + 64) }).length;
    const wall = (performance.now() - start) / 1000;
    const used = process.cpuUsage(cpu);
    process.stdout.write(`${String(pass).padEnd(6)}${fmtSeconds(wall).padStart(8)}  ${fmtSeconds((used.user + used.system) / 1e6).padStart(8)}   (${rows} rows)\n`);
  }
  return 0;
}

process.exitCode = await main();
