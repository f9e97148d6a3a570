/**
 * What every output format of `harden scan` shares: the context a report is written in, the
 * sink it writes to, and the two calls it receives (one per judged file, in scan order, then
 * the summary). Streaming formats write each file as it comes; the others write at the end.
 */
import { type CheckCategory, type CheckId } from '../checks/types.js';
import { type JudgedFile, type UnknownIs } from '../policy/policy.js';
import { type ProfileName } from '../policy/profiles.js';
import { type ScanSummary } from '../policy/summary.js';

/** What reports need to know about a check (from src/checks/registry.ts). */
export interface CheckInfo {
  readonly id: CheckId;
  readonly title: string;
  readonly category: CheckCategory;
  readonly description: string;
  readonly remedy: string;
}

export interface PolicyInfo {
  readonly profile: ProfileName;
  readonly required: readonly CheckId[];
  readonly unknownIs: UnknownIs;
  /** Absolute path of the config file used, if any. */
  readonly config: string | undefined;
}

export interface ReportContext {
  readonly tool: { readonly name: string; readonly version: string };
  /** Every check, in the order reports list them. */
  readonly checks: readonly CheckInfo[];
  readonly policy: PolicyInfo;
  /** Use ANSI colours (table and text formats). */
  readonly color: boolean;
  /** The command line, for formats that record the invocation (SARIF). */
  readonly commandLine?: readonly string[];
  /** Working directory, for formats that resolve relative paths (SARIF). */
  readonly cwd?: string;
}

export interface Sink {
  write(text: string): void;
}

export interface ReportWriter {
  file(f: JudgedFile): void;
  end(summary: ScanSummary): void;
  /** Set by the formats whose rows are `fileRowJson` text (json, jsonl): see `JsonRows`. */
  readonly jsonRows?: JsonRows;
}

/**
 * A report that writes each file as `fileRowJson(file, file, order)` (json-row.ts) can take that
 * text ready-made: a worker thread that judged the files renders them (src/scan/rendered-rows.ts)
 * and sends a batch's rows as one text, which the main thread only writes. `rows(text, 1)` with
 * the row of `f` must give the same output as `file(f)`.
 */
export interface JsonRows {
  /** Check ids in the order the rows list them. */
  readonly order: readonly CheckId[];
  /** What the report writes between two rows. */
  readonly separator: string;
  /** Writes `count` rows, given as their texts joined by `separator`. */
  rows(text: string, count: number): void;
}

export const REPORT_FORMATS = ['table', 'text', 'json', 'jsonl', 'sarif', 'junit', 'csv', 'html', 'lintian'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function isReportFormat(s: string): s is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(s);
}
