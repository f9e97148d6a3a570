/**
 * Rows judged and rendered where they were analysed. For the JSON formats, a scan's main thread
 * would otherwise receive every result as an object (a structured clone of ~3 KB per ELF file),
 * judge it, build its JSON object and stringify it: on /usr's 3,590 ELF files (12 MB of JSON
 * Lines) the main thread's CPU went from 0.48-0.62 s to 0.34-0.39 s when the workers took this
 * over. It is CPU taken from the workers on a machine with as many workers as cores, and the
 * one part of a scan that does not spread over more cores. A worker does the same steps with
 * the same code (`Policy.judge`, `fileObject`, `JSON.stringify`) and sends text plus the
 * batch's summary counts, which the main thread writes and adds up.
 *
 * Only for a policy without waivers (`Policy.portable`): waiver globs are matched against paths
 * located relative to the config file. Other scans judge in the main thread as before.
 */
import { type CheckId } from '../checks/types.js';
import { Policy, type PortablePolicy } from '../policy/policy.js';
import { SummaryBuilder, type SummaryCounts } from '../policy/summary.js';
import { fileObject } from '../report/json.js';
import { type FileResult } from './result.js';

/** How a batch's rows are to be rendered (it travels with the batch). */
export interface RenderSpec {
  /** Check ids in the order the report lists them (`JsonRows.order`). */
  readonly order: readonly CheckId[];
  readonly policy: PortablePolicy;
}

/** A batch's results as the report writes them, and their totals for the summary. */
export interface RenderedRows {
  readonly rendered: true;
  /** One `fileObject` JSON text per result, in order. */
  readonly rows: readonly string[];
  readonly summary: SummaryCounts;
}

/** The judging policy of the last spec seen: every batch of a scan carries an equal one. */
let cached: { spec: PortablePolicy; policy: Policy } | undefined;

function policyFor(p: PortablePolicy): Policy {
  const c = cached;
  if (c !== undefined && c.spec.unknownIs === p.unknownIs && c.spec.required.length === p.required.length && c.spec.required.every((id, i) => p.required[i] === id)) {
    return c.policy;
  }
  const policy = Policy.fromPortable(p);
  cached = { spec: p, policy };
  return policy;
}

export function renderRows(results: readonly FileResult[], spec: RenderSpec): RenderedRows {
  const policy = policyFor(spec.policy);
  const summary = new SummaryBuilder();
  const rows: string[] = [];
  for (const r of results) {
    const judged = policy.judge(r);
    summary.add(judged);
    rows.push(JSON.stringify(fileObject(judged, spec.order)));
  }
  return { rendered: true, rows, summary: summary.counts() };
}

export function isRendered(x: readonly FileResult[] | RenderedRows): x is RenderedRows {
  return !Array.isArray(x);
}
