/**
 * The analyses that can run in a worker thread, by name. A task takes a JSON-serialisable
 * input (a path and options) and returns a serialisable result, so the same function runs
 * in-process for small jobs and in workers for large ones.
 */
export type TaskName = 'reference-facts' | 'scan';

export type TaskFunction = (input: unknown) => unknown;

const LOADERS: Record<TaskName, () => Promise<TaskFunction>> = {
  'reference-facts': async () => (await import('../compat/file-facts.js')).referenceFactsTask,
  scan: async () => (await import('../scan/scan-task.js')).scanBatchTask,
};

/**
 * Loads a task, with Node's zlib for compressed debug sections wherever a task runs (a worker,
 * or the main thread for a small job; fflate stays for the page). Loaded here rather than by
 * the CLI entry, so that a scan's main thread, which only reports, never loads the
 * decompressors (~40 ms).
 */
export async function loadTask(name: TaskName): Promise<TaskFunction> {
  await import('../io/native-zlib.js');
  return LOADERS[name]();
}
