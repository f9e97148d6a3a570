/**
 * `node dist/bench/worker-start.js [--runs N] [--workers W]`
 *
 * How long W scan workers (default: one per core) take to be ready, started the way the pool
 * starts them, from the module tree tsc writes (dist/src/run/worker.js) and from the bundle
 * the commands use (dist/bundle/worker.js, vite.cli.config.ts). "Ready" is the answer to a
 * first, empty batch: the worker's Node environment is up and the scan task is loaded. The two
 * are alternated, `--runs` times each (default 9), and the medians printed.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { median } from './lib.js';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  const v = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  return Number.isInteger(v) && v > 0 ? v : fallback;
}

async function ready(url: URL, workers: number): Promise<number> {
  const start = performance.now();
  const started = Array.from({ length: workers }, () => new Worker(url, { workerData: { task: 'scan' } }));
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
const variants = [
  { name: 'modules (dist/src/run/worker.js)', url: new URL('../src/run/worker.js', import.meta.url) },
  { name: 'bundle (dist/bundle/worker.js)', url: new URL('../bundle/worker.js', import.meta.url) },
];
const times = variants.map(() => [] as number[]);
for (let r = 0; r < runs; r++) {
  for (const [i, v] of variants.entries()) times[i]?.push(await ready(v.url, workers));
}
console.log(`${workers} workers, ${runs} alternated runs each: median ms until ready`);
for (const [i, v] of variants.entries()) {
  const t = times[i] ?? [];
  console.log(`  ${v.name.padEnd(36)} ${median(t).toFixed(0).padStart(5)} ms  (${t.map((x) => x.toFixed(0)).join(', ')})`);
}
