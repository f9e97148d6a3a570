/**
 * One scan from end to end, as the CLI and the library API run it: targets → analysis (worker
 * pipeline) → policy → report, streaming, with the summary built on the way. For the JSON
 * formats under a policy without waivers, the policy and the rendering run in the workers too
 * (rendered-rows.ts): this thread then only writes rows and adds up their counts.
 */
import { type CheckId } from '../checks/types.js';
import { type Policy } from '../policy/policy.js';
import { type ScanSummary, SummaryBuilder } from '../policy/summary.js';
import { type ReportWriter } from '../report/report-types.js';
import { type PipelineOptions, runScan } from './pipeline.js';
import { isRendered } from './rendered-rows.js';
import { type ScanTarget } from './target.js';

export interface ScanOptions extends PipelineOptions {
  /** Check ids in report order (for the summary). */
  readonly order: readonly CheckId[];
  /** Called after each batch of results has been reported (flush output, move a progress bar). */
  readonly onBatch?: (targetsDone: number) => void;
}

export async function scan(targets: AsyncIterable<ScanTarget> | Iterable<ScanTarget>, policy: Policy, report: ReportWriter, opts: ScanOptions): Promise<ScanSummary> {
  const summary = new SummaryBuilder();
  // JSON rows are judged and rendered by the workers when nothing but the policy decides them.
  const rows = report.jsonRows;
  const portable = policy.portable();
  const render = rows === undefined || portable === undefined ? undefined : { order: rows.order, policy: portable, separator: rows.separator };
  await runScan(targets, render === undefined ? opts : { ...opts, render }, (results, done) => {
    if (isRendered(results)) {
      summary.merge(results.summary);
      rows?.rows(results.text, results.count);
    } else {
      for (const r of results) {
        const judged = policy.judge(r);
        summary.add(judged);
        report.file(judged);
      }
    }
    opts.onBatch?.(done);
  });
  const s = summary.build(opts.order);
  report.end(s);
  return s;
}
