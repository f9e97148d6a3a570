/**
 * Runs one task over many inputs on worker threads and hands results back in input order as
 * soon as each prefix is complete, so output streams while later files are still analysed.
 * With `jobs <= 1` everything runs in this thread (no worker start-up cost for small jobs).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { loadTask, type TaskName } from './tasks.js';

/** A task's result, or the message of an exception it threw. */
/** Young-generation size of each worker, in MB (see runOnWorkers). */
const YOUNG_GENERATION_MB = 8;

export type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

export interface PoolOptions {
  readonly task: TaskName;
  /** Worker threads to use; 0 or 1 runs in-process. */
  readonly jobs: number;
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
    const task = await loadTask(opts.task);
    let i = 0;
    for await (const input of inputs) {
      let outcome: Outcome<O>;
      try {
        outcome = { ok: true, value: task(input) as O };
      } catch (e) {
        outcome = { ok: false, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
      }
      emit(i++, outcome);
    }
    return;
  }
  await runOnWorkers(inputs, opts, emit);
}

async function runOnWorkers<I, O>(inputs: AsyncIterable<I> | Iterable<I>, opts: PoolOptions, emit: (index: number, outcome: Outcome<O>) => void): Promise<void> {
  const iterator = (Symbol.asyncIterator in inputs ? inputs[Symbol.asyncIterator]() : (inputs as Iterable<I>)[Symbol.iterator]()) as AsyncIterator<I> | Iterator<I>;
  const pending = new Map<number, Outcome<O>>();
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
  const pull = (): Promise<{ id: number; input: I } | undefined> => {
    const p = pulling.then(async () => {
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

  const workerUrl = new URL('./worker.js', import.meta.url);
  const runWorker = async (): Promise<void> => {
    // A small young generation: the workers allocate many short-lived buffers and objects per
    // file, and V8's default nursery (tens of MB per isolate) is what pushed a scan of /usr
    // past 300 MB; collections get more frequent but each is cheaper.
    const w = new Worker(workerUrl, { workerData: { task: opts.task }, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
    try {
      for (;;) {
        const job = await pull();
        if (job === undefined) break;
        const outcome = await new Promise<Outcome<O>>((resolve) => {
          const onMessage = (m: { id: number; output?: O; error?: string }): void => {
            cleanup();
            resolve(m.error !== undefined ? { ok: false, error: m.error } : { ok: true, value: m.output as O });
          };
          const onError = (e: Error): void => {
            cleanup();
            resolve({ ok: false, error: `worker failed: ${e.message}` });
          };
          const cleanup = (): void => {
            w.off('message', onMessage);
            w.off('error', onError);
          };
          w.on('message', onMessage);
          w.on('error', onError);
          w.postMessage({ id: job.id, input: job.input });
        });
        pending.set(job.id, outcome);
        flush();
        if (!outcome.ok && outcome.error.startsWith('worker failed')) break;
      }
    } finally {
      await w.terminate();
    }
  };
  await Promise.all(Array.from({ length: opts.jobs }, runWorker));
  // A worker that died leaves its remaining inputs to the others; any still unanalysed are run here.
  if (!exhausted || pending.size > 0 || nextToEmit < nextId) {
    const task = await loadTask(opts.task);
    for (;;) {
      const job = await pull();
      if (job === undefined) break;
      try {
        pending.set(job.id, { ok: true, value: task(job.input) as O });
      } catch (e) {
        pending.set(job.id, { ok: false, error: String(e) });
      }
      flush();
    }
  }
  flush();
}
