/** Scans in this process with chosen limits, and compares package rows with loose-file rows. */
import { CHECKS } from '../../src/checks/registry.js';
import { type JudgedFile, Policy } from '../../src/policy/policy.js';
import { rowObject } from '../report/row-object.js';
import { type Limits } from '../../src/limits.js';
import { scanTargets } from '../../src/scan/inputs.js';
import { scan } from '../../src/scan/scan.js';
import { Capture } from '../scan/harness.js';

const ORDER = CHECKS.map((c) => c.id);

export async function scanPaths(paths: readonly string[], opts: { limits?: Partial<Limits>; policy?: Policy } = {}): Promise<JudgedFile[]> {
  const capture = new Capture();
  await scan(scanTargets({ paths, pids: [], follow: false }), opts.policy ?? new Policy(), capture, {
    order: ORDER,
    jobs: 1,
    ...(opts.limits === undefined ? {} : { limits: opts.limits }),
  });
  return capture.files;
}

/** A row as the JSON shows it, without `package`, with `from` at the start of its path replaced by `to`. */
export function comparable(f: JudgedFile, from: string, to: string): Record<string, unknown> {
  const o = rowObject(f, ORDER);
  delete o['package'];
  if (f.path.startsWith(from)) o['path'] = to + f.path.slice(from.length);
  return o;
}

/** [path after `prefix`, kind, verdict, failed] */
export function brief(files: readonly JudgedFile[], prefix: string): [string, string, string, string[]][] {
  return files.map((f) => [f.path.startsWith(prefix) ? f.path.slice(prefix.length) : f.path, f.kind, f.verdict, [...f.failed]]);
}
