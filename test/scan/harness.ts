/** Runs scans in this process (keeping what the report receives) or through the built CLI. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { type Readable } from 'node:stream';
import { CHECKS } from '../../src/checks/registry.js';
import { type JudgedFile, Policy } from '../../src/policy/policy.js';
import { type ScanSummary } from '../../src/policy/summary.js';
import { type CheckInfo, type ReportContext, type ReportWriter } from '../../src/report/report-types.js';
import { type InputSpec, scanTargets } from '../../src/scan/inputs.js';
import { scan } from '../../src/scan/scan.js';
import { REPO } from '../helpers/gcc.js';

export class Capture implements ReportWriter {
  readonly files: JudgedFile[] = [];
  summary: ScanSummary | undefined;
  file(f: JudgedFile): void {
    this.files.push(f);
  }
  end(s: ScanSummary): void {
    this.summary = s;
  }
}

export const CHECK_INFO: readonly CheckInfo[] = CHECKS.map((c) => ({ id: c.id, title: c.title, category: c.category, description: c.description, remedy: c.remedy }));

export function context(policy: Policy, extra: Partial<ReportContext> = {}): ReportContext {
  return {
    tool: { name: 'harden', version: '0.1.0' },
    checks: CHECK_INFO,
    policy: { profile: policy.profile, required: policy.required, unknownIs: policy.unknownIs, config: policy.configPath },
    color: false,
    ...extra,
  };
}

export async function scanInProcess(
  spec: Partial<InputSpec>,
  policy: Policy = new Policy(),
  opts: { stdin?: Readable; batchCount?: number } = {},
): Promise<{ files: JudgedFile[]; summary: ScanSummary }> {
  const capture = new Capture();
  const full: InputSpec = { paths: spec.paths ?? [], pids: spec.pids ?? [], follow: spec.follow ?? false, ...(spec.filesFrom === undefined ? {} : { filesFrom: spec.filesFrom }) };
  const summary = await scan(scanTargets(full, opts.stdin), policy, capture, {
    order: CHECK_INFO.map((c) => c.id),
    jobs: 1,
    ...(opts.batchCount === undefined ? {} : { batchCount: opts.batchCount }),
  });
  return { files: capture.files, summary };
}

/** [path relative to `root`, kind, verdict, failed] of each row: the shape most tests compare. */
export function rows(files: readonly JudgedFile[], root: string): [string, string, string, string[]][] {
  return files.map((f) => [f.path.startsWith(`${root}/`) ? f.path.slice(root.length + 1) : f.path, f.kind, f.verdict, [...f.failed]]);
}

/** Runs the built `harden` (dist/, as users run it) and returns its output and exit status. */
export function harden(args: readonly string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): { out: string; err: string; status: number } {
  const r = spawnSync(HARDEN, args, {
    encoding: 'utf8',
    cwd: opts.cwd,
    env: { ...process.env, NO_COLOR: '', ...opts.env },
    input: opts.input,
    maxBuffer: 1 << 28,
  });
  return { out: r.stdout, err: r.stderr, status: r.status ?? -1 };
}

export const HARDEN = join(REPO, 'bin', 'harden');
