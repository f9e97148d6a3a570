/**
 * Worker-thread entry: loads one task by name, then answers `{id, input}` messages, in the
 * order they came, with `{id, output, ms}` (ms: how long the task ran, for the caller's batch
 * sizing) or `{id, error}` for an exception the task did not turn into a result; or, when the
 * message's claim slot says the pool took the job back for another worker, `{id, skipped}`.
 *
 * The commands run it bundled as one CommonJS file (vite.worker.config.ts, started through
 * worker-boot.cts), which is why it has no top-level await. Imported outside a worker (the
 * build's code-cache script does, to compile the code it caches), it only exports `loadTask`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { claimJob, type ClaimSlot } from './claims.js';
import { loadTask, type TaskFunction, type TaskName } from './tasks.js';

export { loadTask };

interface Request extends ClaimSlot {
  readonly id: number;
  readonly input: unknown;
}

function answer(port: NonNullable<typeof parentPort>, task: TaskFunction, req: Request): void {
  // The pool may have given the job to an idle worker meanwhile (claims.ts).
  if (!claimJob(req)) {
    port.postMessage({ id: req.id, skipped: true });
    return;
  }
  try {
    const start = performance.now();
    const output = task(req.input);
    port.postMessage({ id: req.id, output, ms: performance.now() - start });
  } catch (e) {
    port.postMessage({ id: req.id, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
  }
}

const port = parentPort;
if (port !== null) {
  const ready = loadTask((workerData as { task: TaskName }).task);
  // Callbacks on one promise run in the order they were added: answers keep the requests'
  // order. A task that cannot load rejects here, unhandled, which ends the worker with an
  // error, as the pool expects of a worker that cannot work.
  port.on('message', (req: Request) => {
    void ready.then((task) => answer(port, task, req));
  });
}
