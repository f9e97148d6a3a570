/**
 * Runs one task over many inputs on worker threads and hands results back in input order as
 * soon as each prefix is complete, so output streams while later files are still analysed.
 * With `jobs <= 1` everything runs in this thread (no worker start-up cost for small jobs).
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ClaimRing, takeBack } from './claims.js';
import { loadTask, type TaskFunction, type TaskName } from './tasks.js';

/** Young-generation size of each worker, in MB (see runOnWorkers). */
const YOUNG_GENERATION_MB = 8;
/**
 * Jobs posted to a worker ahead of its answers. With one, a worker idles while the main thread
 * takes its result and formats it; with two, the next job is already waiting in its queue.
 */
const QUEUE_PER_WORKER = 2;
/** Claim slots per pool run: far more than the jobs ever in flight (a few per worker). */
const CLAIM_SLOTS = 1024;
interface Job<I> {
  readonly id: number;
  readonly input: I;
}

/** A job as posted to a worker, with its claim slot (-1: none; see claims.ts). */
interface Posted<I> extends Job<I> {
  readonly slot: number;
}

/** One worker's jobs, as the other workers see them (to take back one it has not started). */
interface Lane<I> {
  /** Posted and not yet answered, oldest first. */
  readonly queued: Posted<I>[];
  /** Jobs taken back from this worker, by id: their slots are freed once it answers them. */
  readonly takenBack: Map<number, number>;
  dead: boolean;
}

/** A task's result (with the milliseconds the task ran, when measured), or the message of an exception it threw. */
export type Outcome<T> = { readonly ok: true; readonly value: T; readonly ms?: number } | { readonly ok: false; readonly error: string };

export interface PoolOptions {
  readonly task: TaskName;
  /** Worker threads to use; 0 or 1 runs in-process. */
  readonly jobs: number;
  /**
   * The worker script (default: ./worker.js, which runs `task`). Tests give one that speaks
   * the same protocol and misbehaves on cue.
   */
  readonly workerUrl?: URL;
}

/** Runs `task` on `input` in this thread, timed; an exception becomes its message. */
function runHere<O>(task: TaskFunction, input: unknown): Outcome<O> {
  try {
    const start = performance.now();
    const value = task(input) as O;
    return { ok: true, value, ms: performance.now() - start };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
}

/**
 * Workers started before they are asked for, by task. A worker takes 100-250 ms to start on a
 * 2-core machine (a Node environment, then the analysis code; the longer while the main thread
 * is setting up too), and the main thread ~100 ms to set up a scan (options, policy, report):
 * started as soon as the command knows it has many files, the workers load while the main
 * thread does its own part, instead of after it.
 * They are unref'd until used, so unused ones never keep the process alive.
 */
const prestarted = new Map<TaskName, { readonly worker: Worker; readonly url: string }[]>();

/**
 * The commands' bundle (dist/bundle) carries the worker as one CommonJS file with V8's code
 * cache, started through worker-boot.cts (which says why); run from dist/src (the library,
 * the tests), this module starts the ES-module worker beside it.
 */
const BUNDLED_WORKER = new URL('./worker.cjs', import.meta.url);
const BOOT = new URL('./worker-boot.cjs', import.meta.url);
const DEFAULT_WORKER = existsSync(BUNDLED_WORKER) ? BOOT : new URL('./worker.js', import.meta.url);

function startWorker(task: TaskName, url: URL): Worker {
  const workerData = url.href === BOOT.href ? { task, script: fileURLToPath(BUNDLED_WORKER), cache: fileURLToPath(new URL('./worker.code-cache', import.meta.url)) } : { task };
  // A small young generation: the workers allocate many short-lived buffers and objects per
  // file, and V8's default nursery (tens of MB per isolate) is what pushed a scan of /usr
  // past 300 MB; collections get more frequent but each is cheaper.
  return new Worker(url, { workerData, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
}

/**
 * Starts workers for `task` now, up to `count` waiting, for a later `runOrdered` with the same
 * worker script to take. Returns the workers waiting.
 */
export function prestartWorkers(task: TaskName, count: number, workerUrl: URL = DEFAULT_WORKER): readonly Worker[] {
  const list = prestarted.get(task) ?? [];
  prestarted.set(task, list);
  while (list.length < count) {
    const worker = startWorker(task, workerUrl);
    worker.unref();
    const entry = { worker, url: workerUrl.href };
    // One that fails or exits before it is taken is dropped (runOrdered then starts another).
    worker.on('error', () => undefined);
    worker.once('exit', () => {
      const at = list.indexOf(entry);
      if (at >= 0) list.splice(at, 1);
    });
    list.push(entry);
  }
  return list.map((e) => e.worker);
}

/**
 * Stops the prestarted workers of `task` (of every task when undefined) that nobody took:
 * `runOrdered` calls it once it knows how many it needs (none, when the input turned out
 * small enough to run in this thread).
 */
export async function stopPrestarted(task?: TaskName): Promise<void> {
  const tasks = task === undefined ? [...prestarted.keys()] : [task];
  const idle = tasks.flatMap((t) => prestarted.get(t) ?? []);
  for (const t of tasks) prestarted.delete(t);
  await Promise.all(idle.map((e) => e.worker.terminate()));
}

function takePrestarted(task: TaskName, url: URL): Worker | undefined {
  const list = prestarted.get(task) ?? [];
  const at = list.findIndex((e) => e.url === url.href);
  const worker = at < 0 ? undefined : list.splice(at, 1)[0]?.worker;
  worker?.ref();
  return worker;
}

/** Default job count: every core the process may use. */
export function defaultJobs(): number {
  return Math.max(1, availableParallelism());
}

/**
 * Runs `task` over `inputs`, calling `emit(index, outcome)` in index order. Resolves when
 * every input has been emitted. Inputs are consumed lazily (a walker can feed them).
 */
export async function runOrdered<I, O>(inputs: AsyncIterable<I> | Iterable<I>, opts: PoolOptions, emit: (index: number, outcome: Outcome<O>) => void): Promise<void> {
  if (opts.jobs <= 1) {
    void stopPrestarted(opts.task);
    const task = await loadTask(opts.task);
    let i = 0;
    for await (const input of inputs) emit(i++, runHere<O>(task, input));
    return;
  }
  await runOnWorkers(inputs, opts, emit);
}

async function runOnWorkers<I, O>(inputs: AsyncIterable<I> | Iterable<I>, opts: PoolOptions, emit: (index: number, outcome: Outcome<O>) => void): Promise<void> {
  const iterator = (Symbol.asyncIterator in inputs ? inputs[Symbol.asyncIterator]() : (inputs as Iterable<I>)[Symbol.iterator]()) as AsyncIterator<I> | Iterator<I>;
  const pending = new Map<number, Outcome<O>>();
  /** Jobs a dead worker had queued behind the one it died on: the next pull serves them first. */
  const retry: Job<I>[] = [];
  let nextToEmit = 0;
  let nextId = 0;
  let exhausted = false;
  let pulling: Promise<void> = Promise.resolve();

  const flush = (): void => {
    for (;;) {
      const o = pending.get(nextToEmit);
      if (o === undefined) return;
      pending.delete(nextToEmit);
      emit(nextToEmit++, o);
    }
  };

  // Inputs are pulled one at a time, serialised, so a lazy walker is never asked twice at once.
  const pull = (): Promise<Job<I> | undefined> => {
    const p = pulling.then(async () => {
      const again = retry.shift();
      if (again !== undefined) return again;
      if (exhausted) return undefined;
      const r = await iterator.next();
      if (r.done === true) {
        exhausted = true;
        return undefined;
      }
      return { id: nextId++, input: r.value };
    });
    pulling = p.then(() => undefined);
    return p;
  };

  const ring = new ClaimRing(CLAIM_SLOTS);
  const lanes: Lane<I>[] = [];

  /**
   * A job another worker has queued but not started, taken back for `thief` (see claims.ts):
   * the last one of the longest queue. The first job of a queue is running, or about to.
   */
  const takeBackFor = (thief: Lane<I>): Job<I> | undefined => {
    const victims = lanes.filter((l) => l !== thief && !l.dead && l.queued.length > 1).sort((a, b) => b.queued.length - a.queued.length);
    for (const lane of victims) {
      for (let at = lane.queued.length - 1; at >= 1; at--) {
        const job = lane.queued[at];
        if (job === undefined || job.slot < 0 || !takeBack(ring.claims, job.slot)) continue;
        lane.queued.splice(at, 1);
        lane.takenBack.set(job.id, job.slot);
        return { id: job.id, input: job.input };
      }
    }
    return undefined;
  };

  const runWorker = async (): Promise<void> => {
    const url = opts.workerUrl ?? DEFAULT_WORKER;
    const w = takePrestarted(opts.task, url) ?? startWorker(opts.task, url);
    // Jobs posted and not yet answered. Answers are taken as they come (in the message
    // handler, not in the loop below): the loop may be waiting on `pull`, which waits on
    // earlier results being reported, so reporting must not wait on the loop.
    const lane: Lane<I> = { queued: [], takenBack: new Map(), dead: false };
    lanes.push(lane);
    const queued = lane.queued;
    let died: string | undefined;
    let wakeLoop: (() => void) | undefined;
    const post = (job: Job<I>): void => {
      const slot = ring.queue();
      queued.push({ ...job, slot });
      w.postMessage(slot < 0 ? { id: job.id, input: job.input } : { id: job.id, input: job.input, claims: ring.claims, slot });
    };
    const settle = (id: number, outcome: Outcome<O>): void => {
      const at = queued.findIndex((j) => j.id === id);
      if (at < 0) return;
      const [job] = queued.splice(at, 1);
      if (job !== undefined && job.slot >= 0) ring.free(job.slot);
      pending.set(id, outcome);
      flush();
      wakeLoop?.();
    };
    w.on('message', (m: { id: number; output?: O; error?: string; ms?: number; skipped?: boolean }) => {
      // A job taken back from this worker: it skipped it (or ran it anyway, speaking an older
      // protocol); either way the answer that counts comes from the worker that took it.
      const gone = lane.takenBack.get(m.id);
      if (gone !== undefined) {
        lane.takenBack.delete(m.id);
        ring.free(gone);
        return;
      }
      if (m.skipped === true) return;
      settle(m.id, m.error !== undefined ? { ok: false, error: m.error } : { ok: true, value: m.output as O, ms: m.ms });
    });
    const onDeath = (why: string): void => {
      if (died !== undefined) return;
      died = why;
      lane.dead = true;
      // The oldest job is the one it died on; the rest never started and go to other workers.
      const [first, ...rest] = queued;
      queued.length = first === undefined ? 0 : 1;
      for (const j of rest) if (j.slot >= 0) ring.free(j.slot);
      for (const slot of lane.takenBack.values()) ring.free(slot);
      lane.takenBack.clear();
      retry.push(...rest.map((j) => ({ id: j.id, input: j.input })));
      if (first !== undefined) settle(first.id, { ok: false, error: `worker failed: ${why}` });
      wakeLoop?.();
    };
    w.on('error', (e: Error) => onDeath(e.message));
    w.on('exit', (code: number) => onDeath(`exited with status ${code}`));
    const answerArrives = (): Promise<void> => new Promise<void>((resolve) => (wakeLoop = resolve));
    try {
      while (died === undefined) {
        if (queued.length >= QUEUE_PER_WORKER) {
          await answerArrives();
          continue;
        }
        const job = await pull();
        if (job === undefined) break;
        if (died !== undefined) {
          retry.push(job);
          break;
        }
        post(job);
      }
      // Out of input: answer what is queued here, and once idle, run what another worker has
      // queued but not started rather than wait for it.
      while (died === undefined) {
        if (queued.length === 0) {
          const job = takeBackFor(lane);
          if (job === undefined) break;
          post(job);
        }
        await answerArrives();
      }
    } finally {
      w.removeAllListeners('exit');
      await w.terminate();
    }
  };
  const running = Array.from({ length: opts.jobs }, runWorker);
  void stopPrestarted(opts.task);
  await Promise.all(running);
  // A worker that died leaves its remaining inputs to the others; any still unanalysed are run here.
  if (!exhausted || retry.length > 0 || pending.size > 0 || nextToEmit < nextId) {
    const task = await loadTask(opts.task);
    for (;;) {
      const job = await pull();
      if (job === undefined) break;
      pending.set(job.id, runHere<O>(task, job.input));
      flush();
    }
  }
  flush();
}
