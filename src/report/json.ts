/**
 * The JSON contract (docs/schema/scan-result-v1.json, documented in docs/scan.md):
 *   {"schemaVersion": 1, "tool", "policy", "files": [...], "summary"}
 * `jsonl` writes the same file objects (written by json-row.ts), one a line. The document is
 * streamed: the head, then each file as it is judged (one per line), then the summary, so memory
 * stays flat on a scan of any size and the output is valid JSON once the scan ends.
 *
 * Versioning: fields are only ever added within a schema version; a change that removes or
 * changes the meaning of a field increments `schemaVersion`.
 */
import { type CheckId } from '../checks/types.js';
import { type JudgedFile } from '../policy/policy.js';
import { type ScanSummary } from '../policy/summary.js';
import { fileRowJson } from './json-row.js';
import { type JsonRows, type ReportContext, type ReportWriter, type Sink } from './report-types.js';

export const SCHEMA_VERSION = 1;

export function policyObject(ctx: ReportContext): Record<string, unknown> {
  return { profile: ctx.policy.profile, required: ctx.policy.required, unknownIs: ctx.policy.unknownIs, config: ctx.policy.config ?? null };
}

export function summaryObject(s: ScanSummary): Record<string, unknown> {
  return { files: s.files, analysed: s.analysed, verdicts: s.verdicts, unknownRequired: s.unknownRequired, checks: s.checks, exitStatus: s.exitStatus };
}

function indent(json: string, by: string): string {
  return json.replace(/\n/g, `\n${by}`);
}

export class JsonReport implements ReportWriter, JsonRows {
  private count = 0;
  readonly order: readonly CheckId[];
  readonly jsonRows: JsonRows = this;

  constructor(
    ctx: ReportContext,
    private readonly sink: Sink,
  ) {
    this.order = ctx.checks.map((c) => c.id);
    const head = [
      `  "schemaVersion": ${SCHEMA_VERSION}`,
      `  "tool": ${JSON.stringify(ctx.tool)}`,
      `  "policy": ${indent(JSON.stringify(policyObject(ctx), null, 2), '  ')}`,
    ];
    sink.write(`{\n${head.join(',\n')},\n  "files": [`);
  }

  readonly separator = ',\n    ';

  file(f: JudgedFile): void {
    this.rows(fileRowJson(f, f, this.order), 1);
  }

  rows(text: string, count: number): void {
    if (count === 0) return;
    this.sink.write(`${this.count === 0 ? '\n' : ',\n'}    ${text}`);
    this.count += count;
  }

  end(summary: ScanSummary): void {
    this.sink.write(`${this.count === 0 ? '' : '\n  '}],\n  "summary": ${indent(JSON.stringify(summaryObject(summary), null, 2), '  ')}\n}\n`);
  }
}

export class JsonLinesReport implements ReportWriter, JsonRows {
  readonly order: readonly CheckId[];
  readonly jsonRows: JsonRows = this;

  constructor(
    ctx: ReportContext,
    private readonly sink: Sink,
  ) {
    this.order = ctx.checks.map((c) => c.id);
  }

  readonly separator = '\n';

  file(f: JudgedFile): void {
    this.rows(fileRowJson(f, f, this.order), 1);
  }

  rows(text: string, count: number): void {
    if (count > 0) this.sink.write(`${text}\n`);
  }

  end(): void {
    // One object per file and nothing else: the summary is the exit status and other formats'.
  }
}
