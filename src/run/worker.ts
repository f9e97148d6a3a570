/**
 * Worker-thread entry: loads one task by name, then answers `{id, input}` messages, in the
 * order they came, with `{id, output, ms}` (ms: how long the task ran, for the caller's batch
 * sizing) or `{id, error}` for an exception the task did not turn into a result.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadTask, type TaskName } from './tasks.js';

interface Request {
  readonly id: number;
  readonly input: unknown;
}

const port = parentPort;
if (port === null) throw new Error('worker.ts must run in a worker thread');
const task = await loadTask((workerData as { task: TaskName }).task);
port.on('message', (req: Request) => {
  try {
    const start = performance.now();
    const output = task(req.input);
    port.postMessage({ id: req.id, output, ms: performance.now() - start });
  } catch (e) {
    port.postMessage({ id: req.id, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
  }
});
