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

export async function loadTask(name: TaskName): Promise<TaskFunction> {
  return LOADERS[name]();
}
