/** The report writer of each `--format`. */
import { CsvReport } from './csv.js';
import { HtmlReport } from './html.js';
import { JsonLinesReport, JsonReport } from './json.js';
import { JunitReport } from './junit.js';
import { LintianReport } from './lintian.js';
import { type ReportContext, type ReportFormat, type ReportWriter, type Sink } from './report-types.js';
import { SarifScanReport } from './scan-sarif.js';
import { TableReport } from './table.js';
import { TextReport } from './text.js';

/**
 * `diagnostics` receives what a format has no place for (lintian's lines name findings only:
 * files that could not be analysed are written there, one line each).
 */
export function createReport(format: ReportFormat, ctx: ReportContext, sink: Sink, diagnostics?: Sink): ReportWriter {
  switch (format) {
    case 'table':
      return new TableReport(ctx, sink);
    case 'text':
      return new TextReport(ctx, sink);
    case 'json':
      return new JsonReport(ctx, sink);
    case 'jsonl':
      return new JsonLinesReport(ctx, sink);
    case 'sarif':
      return new SarifScanReport(ctx, sink);
    case 'junit':
      return new JunitReport(ctx, sink);
    case 'html':
      return new HtmlReport(ctx, sink);
    case 'csv':
      return new CsvReport(ctx, sink);
    case 'lintian':
      return new LintianReport(sink, diagnostics);
  }
}

/** Formats that write each file as it is judged (the others write everything at the end). */
export function isStreamingFormat(format: ReportFormat): boolean {
  return format === 'table' || format === 'text' || format === 'jsonl' || format === 'csv' || format === 'json' || format === 'html' || format === 'lintian';
}
