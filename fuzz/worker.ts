/**
 * The fuzzing loop in a worker thread, so that the runner (main.ts) can stop it when an input
 * hangs (a synchronous loop cannot be interrupted from inside) and survive when an input
 * exhausts the heap. Before each execution the input is copied into shared memory: whatever
 * happens to the worker, the runner still has the bytes that did it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { BlockCoverage } from './coverage.js';
import { runFuzz } from './engine.js';
import { TARGETS, type Target } from './oracle.js';
import { loadSeeds } from './seeds.js';
import { CURRENT, type WorkerInput, type WorkerMessage, writeCurrent } from './shared.js';

const input = workerData as WorkerInput;
const port = parentPort;
if (port === null) throw new Error('fuzz/worker.ts runs as a worker thread');
const shared = input.shared;
const seeds = loadSeeds(input.targets, { root: input.root, system: input.system });
const coverage = input.coverage ? new BlockCoverage((url) => url.startsWith('file://') && /\/src\//.test(url) && !/\/fuzz\/|node_modules/.test(url)) : null;
const stats = runFuzz({
  seeds,
  targets: input.targets,
  seed: input.seed,
  ...(input.runs === undefined ? {} : { runs: input.runs }),
  ...(input.seconds === undefined ? {} : { seconds: input.seconds }),
  coverage,
  slowMs: input.slowMs,
  memoryBound: input.memoryBound,
  progressMs: input.progressMs,
  onFinding: (finding) => port.postMessage({ type: 'finding', finding } satisfies WorkerMessage),
  onProgress: (s) => port.postMessage({ type: 'progress', stats: s } satisfies WorkerMessage),
  beforeExec: (target: Target, bytes, origin, tight) => writeCurrent(shared, TARGETS.indexOf(target), bytes, origin, tight),
});
new Int32Array(shared, 0, CURRENT.HEADER_INTS)[CURRENT.STATE] = 0;
coverage?.close();
port.postMessage({ type: 'done', stats } satisfies WorkerMessage);
