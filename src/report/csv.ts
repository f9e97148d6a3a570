/**
 * `--format csv`: one row per file and check (RFC 4180), so a spreadsheet or `csvgrep` can
 * filter by check, status or waiver with the evidence beside it. A file without checks (an
 * error, a link) has one row with the check columns empty. Streamed.
 */
import { type CheckId } from '../checks/types.js';
import { type JudgedFile } from '../policy/policy.js';
import { type ReportContext, type ReportWriter, type Sink } from './report-types.js';

export const CSV_COLUMNS = ['path', 'kind', 'machine', 'verdict', 'error', 'note', 'check', 'status', 'required', 'waiver', 'value', 'evidence', 'remedy'] as const;

export function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export class CsvReport implements ReportWriter {
  private readonly order: readonly CheckId[];

  constructor(
    ctx: ReportContext,
    private readonly sink: Sink,
  ) {
    this.order = ctx.checks.map((c) => c.id);
    sink.write(`${CSV_COLUMNS.join(',')}\r\n`);
  }

  file(f: JudgedFile): void {
    const base = [f.path, f.kind, f.machine ?? '', f.verdict, f.error ?? '', f.note ?? ''];
    const rows: string[][] = [];
    const ids = [...new Set([...this.order, ...(Object.keys(f.checks) as CheckId[])])];
    for (const id of ids) {
      const c = f.checks[id];
      if (c === undefined) continue;
      rows.push([...base, id, c.status, c.required === true ? 'yes' : 'no', c.waiver ?? '', c.value ?? '', c.evidence, c.remedy ?? '']);
    }
    if (rows.length === 0) rows.push([...base, '', '', '', '', '', '', '']);
    this.sink.write(rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n');
  }

  end(): void {}
}
