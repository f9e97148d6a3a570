/**
 * What the page has scanned: the rows of each dropped file, in drop order, judged by the policy
 * the user picked (changing the profile re-judges without re-reading any file). The summary and
 * the downloads come from the CLI's own pieces (SummaryBuilder, JsonReport, SarifScanReport), so
 * a download is the document `harden scan -f json|sarif` writes for the same files.
 */
import { CHECKS } from '../src/checks/registry.js';
import { type CheckId } from '../src/checks/types.js';
import { type JudgedFile, type Policy } from '../src/policy/policy.js';
import { type ScanSummary, SummaryBuilder } from '../src/policy/summary.js';
import { JsonReport } from '../src/report/json.js';
import { type CheckInfo, type ReportContext, type ReportWriter, type Sink } from '../src/report/report-types.js';
import { SarifScanReport } from '../src/report/scan-sarif.js';
import { type FileResult } from '../src/scan/result.js';

export const CHECK_INFO: readonly CheckInfo[] = CHECKS.map((c) => ({ id: c.id, title: c.title, category: c.category, description: c.description, remedy: c.remedy }));
const ORDER: readonly CheckId[] = CHECK_INFO.map((c) => c.id);

export type Download = 'json' | 'sarif';

export class Session {
  /** Per dropped file, its rows once scanned. */
  private readonly slots: (readonly FileResult[] | undefined)[] = [];

  /** Reserves the place of a file about to be scanned; returns its index. */
  reserve(): number {
    return this.slots.push(undefined) - 1;
  }

  fill(index: number, rows: readonly FileResult[]): void {
    this.slots[index] = rows;
  }

  clear(): void {
    this.slots.length = 0;
  }

  get total(): number {
    return this.slots.length;
  }

  get done(): number {
    return this.slots.filter((s) => s !== undefined).length;
  }

  /** The rows scanned so far, judged, in drop order. */
  judged(policy: Policy): JudgedFile[] {
    const out: JudgedFile[] = [];
    for (const rows of this.slots) if (rows !== undefined) for (const r of rows) out.push(policy.judge(r));
    return out;
  }
}

export function summarize(files: readonly JudgedFile[]): ScanSummary {
  const b = new SummaryBuilder();
  for (const f of files) b.add(f);
  return b.build(ORDER);
}

export function reportContext(policy: Policy, version: string): ReportContext {
  return {
    tool: { name: 'harden', version },
    checks: CHECK_INFO,
    policy: { profile: policy.profile, required: policy.required, unknownIs: policy.unknownIs, config: policy.configPath },
    color: false,
  };
}

/** The report document of `files`, written by the CLI's writer for that format. */
export function renderDownload(format: Download, ctx: ReportContext, files: readonly JudgedFile[]): string {
  const parts: string[] = [];
  const sink: Sink = { write: (text) => void parts.push(text) };
  const writer: ReportWriter = format === 'json' ? new JsonReport(ctx, sink) : new SarifScanReport(ctx, sink);
  for (const f of files) writer.file(f);
  writer.end(summarize(files));
  return parts.join('');
}
