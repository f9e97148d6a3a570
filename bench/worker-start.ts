/**
 * `node dist/bench/worker-start.js [--runs N] [--workers W]`
 *
 * How long W scan workers (default: one per core) take to be ready, started the way the pool
 * starts them: from the module tree tsc writes (dist/src/run/worker.js), from the commands'
 * one-file CommonJS bundle without its code cache, and with it (dist/bundle/worker.cjs through
 * worker-boot.cjs, as the commands start them). "Ready" is the answer to a first, empty batch:
 * the worker's Node environment is up and the scan task is loaded. The variants are alternated,
 * `--runs` times each (default 9), and the medians printed. Run with the commands' V8 flags
 * (engine-tuning.ts), without which V8 would refuse the cache.
 */
import '../src/run/engine-tuning.js';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { median } from './lib.js';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  const v = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  return Number.isInteger(v) && v > 0 ? v : fallback;
}

async function ready(url: URL, workers: number, data: Record<string, string> = {}): Promise<number> {
  const start = performance.now();
  const started = Array.from({ length: workers }, () => new Worker(url, { workerData: { task: 'scan', ...data } }));
  await Promise.all(
    started.map(
      (w) =>
        new Promise<void>((resolve, reject) => {
          w.once('message', () => resolve());
          w.once('error', reject);
          w.postMessage({ id: 0, input: { targets: [] } });
        }),
    ),
  );
  const ms = performance.now() - start;
  await Promise.all(started.map((w) => w.terminate()));
  return ms;
}

const runs = option('--runs', 9);
const workers = option('--workers', availableParallelism());
const bundle = (name: string): string => fileURLToPath(new URL(`../bundle/${name}`, import.meta.url));
const boot = new URL('../bundle/worker-boot.cjs', import.meta.url);
const variants: { name: string; url: URL; data: Record<string, string> }[] = [
  { name: 'modules (dist/src/run/worker.js)', url: new URL('../src/run/worker.js', import.meta.url), data: {} },
  { name: 'bundle, no code cache', url: boot, data: { script: bundle('worker.cjs'), cache: bundle('no-such.code-cache') } },
  { name: 'bundle with its code cache', url: boot, data: { script: bundle('worker.cjs'), cache: bundle('worker.code-cache') } },
];
const times = variants.map(() => [] as number[]);
for (let r = 0; r < runs; r++) {
  for (const [i, v] of variants.entries()) times[i]?.push(await ready(v.url, workers, v.data));
}
console.log(`${workers} workers, ${runs} alternated runs each: median ms until ready`);
for (const [i, v] of variants.entries()) {
  const t = times[i] ?? [];
  console.log(`  ${v.name.padEnd(36)} ${median(t).toFixed(0).padStart(5)} ms  (${t.map((x) => x.toFixed(0)).join(', ')})`);
}
