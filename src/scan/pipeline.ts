/**
 * The scan pipeline: targets (lazily walked) are grouped into batches, the batches are analysed
 * on worker threads (src/run/pool.ts), and the results come back in input order, batch by
 * batch, while later batches are still being analysed.
 *
 * Why batches: a directory like /usr holds ~150,000 files of which ~2% are ELF; one message per
 * file would make the main thread the bottleneck (a message costs ~100 µs, an entry in it ~2).
 * A batch closes at a count or at a byte weight: files whose size is known (named, listed)
 * travel by weight, so a large ELF file travels nearly alone; files met while walking are not
 * stat'ed by the walk (the worker learns their size when it opens them), and for them the
 * count adapts to how long batches take (batch-sizer.ts). Archives and packages (by name) travel
 * alone: their results are a row per member, and a batch of them would be one huge message.
 *
 * Why sometimes no workers: starting a worker and loading the checks costs tens of
 * milliseconds; a scan whose input fits in one batch runs in this thread.
 */
import { defaultJobs, runOrdered } from '../run/pool.js';
import { type Limits } from '../limits.js';
import { type RenderedRows, type RenderSpec } from './rendered-rows.js';
import { type FileResult } from './result.js';
import { BatchSizer } from './batch-sizer.js';
import { type ScanBatch } from './scan-task.js';
import { type ScanTarget, targetWeight, travelsAlone } from './target.js';

export interface PipelineOptions {
  /** Worker threads; undefined: one per core. 1 runs everything in this thread. */
  readonly jobs?: number;
  readonly limits?: Partial<Limits>;
  /** Most targets in one batch (fixed; default: adapts, starting at 64). */
  readonly batchCount?: number;
  /** Batch weight limit: file bytes plus a fixed cost per target. */
  readonly batchWeight?: number;
  /** Checked before each target is taken: true stops the scan early (e.g. stdout closed). */
  readonly stopped?: () => boolean;
  /** Rows judged and rendered by the workers (rendered-rows.ts); results then come as `RenderedRows`. */
  readonly render?: RenderSpec;
}

const BATCH_COUNT = 64;
/**
 * Most batches dispatched but not yet reported, per worker. Results are reported in input
 * order, so while one worker is on a slow file (a 100 MB library, an archive of 2,000 objects)
 * the others' results wait in memory; this bounds the wait: a free worker runs at most this
 * many batches ahead, then idles until the slow one is done. Two bounds, because results
 * differ in size: a batch of ELF files gives ~200 KB of results, an archive or package (which
 * travels alone) thousands of rows. Measured on /usr: 32 batches of any kind ahead let waiting
 * archive results push the peak past 500 MB; with 4 of any kind, a worker idled ~90 ms twice a
 * scan of /usr's ELF files while the other was on chromium (283 MB), which 16 avoids.
 */
const AHEAD_PER_WORKER = 16;
const ALONE_AHEAD_PER_WORKER = 4;
const BATCH_WEIGHT = 8 * 1024 * 1024;
/** What opening and sniffing one file costs, in bytes of analysis it is worth. */
const TARGET_COST = 16 * 1024;

/** Numbers the scans of this process (a batch says which scan it belongs to: see ScanBatch). */
let scans = 0;

async function* batches(targets: AsyncIterable<ScanTarget> | Iterable<ScanTarget>, opts: PipelineOptions, sizer: BatchSizer): AsyncGenerator<ScanBatch> {
  const maxWeight = opts.batchWeight ?? BATCH_WEIGHT;
  let current: ScanTarget[] = [];
  let weight = 0;
  const scan = ++scans;
  const { limits, render } = opts;
  const make = (targets: ScanTarget[]): ScanBatch => ({ targets, scan, ...(limits === undefined ? {} : { limits }), ...(render === undefined ? {} : { render }) });
  for await (const t of targets) {
    if (opts.stopped?.() === true) return;
    // An archive or package gets a batch of its own, so its many rows never share a message.
    if (travelsAlone(t) && current.length > 0) {
      yield make(current);
      current = [];
      weight = 0;
    }
    current.push(t);
    if (travelsAlone(t)) weight = maxWeight;
    weight += targetWeight(t) + TARGET_COST;
    if (current.length >= sizer.count || weight >= maxWeight) {
      yield make(current);
      current = [];
      weight = 0;
    }
  }
  if (current.length > 0) yield make(current);
}

/** Yields `first` values, then the rest of `it`. */
async function* prepend<T>(first: readonly T[], it: AsyncIterator<T>): AsyncGenerator<T> {
  yield* first;
  for (;;) {
    const r = await it.next();
    if (r.done === true) return;
    yield r.value;
  }
}

/**
 * Scans `targets`, calling `onResults` with each batch's results, in input order. Resolves when
 * every target has been reported (or the scan was stopped). With `render`, a batch's results
 * come rendered, except those of a batch lost with its worker, which come as objects.
 */
export async function runScan(
  targets: AsyncIterable<ScanTarget> | Iterable<ScanTarget>,
  opts: PipelineOptions,
  onResults: (results: readonly FileResult[] | RenderedRows, targetsDone: number) => void,
): Promise<void> {
  const fixed = opts.batchCount !== undefined;
  const sizer = new BatchSizer(opts.batchCount ?? BATCH_COUNT, fixed ? opts.batchCount : undefined, fixed ? opts.batchCount : undefined);
  const it = batches(targets, opts, sizer)[Symbol.asyncIterator]();
  const head: ScanBatch[] = [];
  for (let i = 0; i < 2; i++) {
    const r = await it.next();
    if (r.done === true) break;
    head.push(r.value);
  }
  const jobs = head.length < 2 ? 1 : Math.max(1, opts.jobs ?? defaultJobs());
  const maxAhead = Math.max(2, jobs * AHEAD_PER_WORKER);
  const maxAloneAhead = Math.max(2, jobs * ALONE_AHEAD_PER_WORKER);
  // Batches by index until their results arrive, so a batch lost with its worker can still be
  // reported target by target.
  const inFlight = new Map<number, { batch: ScanBatch; start: number; alone: boolean }>();
  let produced = 0;
  let reported = 0;
  let aloneAhead = 0;
  let wake: (() => void) | undefined;
  async function* tracked(): AsyncGenerator<ScanBatch> {
    for await (const b of prepend(head, it)) {
      const alone = b.targets.some(travelsAlone);
      while (produced - reported >= maxAhead || (alone && aloneAhead >= maxAloneAhead)) await new Promise<void>((resolve) => (wake = resolve));
      // Dispatch time: the fallback measure when the pool cannot time the task itself.
      inFlight.set(produced++, { batch: b, start: performance.now(), alone });
      if (alone) aloneAhead++;
      yield b;
    }
  }
  await runOrdered<ScanBatch, FileResult[] | RenderedRows>(tracked(), { task: 'scan', jobs }, (index, outcome) => {
    const flight = inFlight.get(index);
    inFlight.delete(index);
    reported++;
    if (flight?.alone === true) aloneAhead--;
    wake?.();
    wake = undefined;
    const targets = flight?.batch.targets ?? [];
    // Archives travel alone and take long for a single target: they say nothing about the rest.
    if (flight !== undefined && !flight.alone) {
      // The task's own time when the pool measured it; else from dispatch (queueing included).
      const ms = outcome.ok && outcome.ms !== undefined ? outcome.ms : performance.now() - flight.start;
      sizer.observe(targets.length, ms);
    }
    if (outcome.ok) {
      onResults(outcome.value, targets.length);
    } else {
      onResults(
        targets.map((t) => ({ path: t.path, kind: 'unreadable', error: `analysis failed: ${outcome.error}`, checks: {} })),
        targets.length,
      );
    }
  });
}
