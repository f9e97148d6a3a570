/**
 * Rows judged and rendered where they were analysed. For the JSON formats, a scan's main thread
 * would otherwise receive every result as an object (a structured clone of ~3 KB per ELF file),
 * judge it, build its JSON object and stringify it: on /usr's 3,590 ELF files (12 MB of JSON
 * Lines) the main thread's CPU went from 0.48-0.62 s to 0.34-0.39 s when the workers took this
 * over. It is CPU taken from the workers on a machine with as many workers as cores, and the
 * one part of a scan that does not spread over more cores. A worker judges with the same policy
 * (`Policy.verdictOf`: what `judge` decides, without copying the checks to mark them), writes
 * each row with the report's writer (`fileRowJson`, asking the policy which checks are
 * required) and sends text plus the batch's summary counts, which the main thread writes and
 * adds up.
 *
 * Only for a policy without waivers (`Policy.portable`): waiver globs are matched against paths
 * located relative to the config file. Other scans judge in the main thread as before.
 */
import { type CheckId } from '../checks/types.js';
import { Policy, type PortablePolicy } from '../policy/policy.js';
import { SummaryBuilder, type SummaryCounts } from '../policy/summary.js';
import { fileRowJson } from '../report/json-row.js';
import { type FileResult } from './result.js';

/** How a batch's rows are to be rendered (it travels with the batch). */
export interface RenderSpec {
  /** Check ids in the order the report lists them (`JsonRows.order`). */
  readonly order: readonly CheckId[];
  readonly policy: PortablePolicy;
  /** What the report writes between two rows (`JsonRows.separator`). */
  readonly separator: string;
}

/** A batch's results as the report writes them, and their totals for the summary. */
export interface RenderedRows {
  readonly rendered: true;
  /**
   * The JSON rows (`fileRowJson`), one per result, in order, joined by the spec's separator: a
   * batch travels to the main thread as one flat string (each row, built piece by piece, would
   * otherwise be flattened and sent as a string of its own) and is written as it comes.
   */
  readonly text: string;
  /** How many rows `text` holds. */
  readonly count: number;
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
  const required = (id: CheckId): boolean => policy.isRequired(id);
  for (let i = 0; i < results.length; i++) {
    const r = results[i];
    if (r === undefined) continue;
    const judged = policy.verdictOf(r);
    summary.add({ verdict: judged.verdict, unknown: judged.unknown, checks: r.checks });
    rows.push(fileRowJson(r, judged, spec.order, required));
  }
  return { rendered: true, text: rows.join(spec.separator), count: rows.length, summary: summary.counts() };
}

export function isRendered(x: readonly FileResult[] | RenderedRows): x is RenderedRows {
  return !Array.isArray(x);
}
