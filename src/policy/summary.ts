/**
 * Totals of a scan, built one judged file at a time (so a streamed scan keeps no list of
 * files), and the exit status they give:
 *   0  every required check passed (or was waived, or is not applicable)
 *   1  a required check failed
 *   3  a file could not be analysed, and nothing required failed
 * (2, a usage error, is decided before any file is scanned.)
 */
import { type CheckId, type Status } from '../checks/types.js';
import { type FileVerdict, type JudgedFile } from './policy.js';

export type StatusCounts = Record<Status | 'waived', number>;

export interface ScanSummary {
  /** Rows reported (files, members, links...). */
  readonly files: number;
  /** Rows with check results (ELF files and members). */
  readonly analysed: number;
  readonly verdicts: Readonly<Record<FileVerdict, number>>;
  /** Per check: how many files got each status, and how many were waived. */
  readonly checks: Readonly<Partial<Record<CheckId, StatusCounts>>>;
  /** Required checks that were unknown and did not fail a file (`unknownIs: warn`). */
  readonly unknownRequired: number;
  readonly exitStatus: 0 | 1 | 3;
}

/** The running totals of a `SummaryBuilder`, as plain data (they cross threads: see `merge`). */
export interface SummaryCounts {
  readonly files: number;
  readonly analysed: number;
  readonly unknownRequired: number;
  readonly verdicts: Readonly<Record<FileVerdict, number>>;
  readonly checks: Readonly<Partial<Record<CheckId, StatusCounts>>>;
}

export class SummaryBuilder {
  private files = 0;
  private analysed = 0;
  private unknownRequired = 0;
  private readonly verdicts: Record<FileVerdict, number> = { pass: 0, fail: 0, error: 0, skipped: 0 };
  private readonly checks: Partial<Record<CheckId, StatusCounts>> = {};

  /** The totals so far, for `merge` into another builder (a worker judges a batch, the main thread adds it up). */
  counts(): SummaryCounts {
    return { files: this.files, analysed: this.analysed, unknownRequired: this.unknownRequired, verdicts: this.verdicts, checks: this.checks };
  }

  /** Adds totals taken with `counts()`: the same as adding their files one by one. */
  merge(c: SummaryCounts): void {
    this.files += c.files;
    this.analysed += c.analysed;
    this.unknownRequired += c.unknownRequired;
    for (const v of Object.keys(this.verdicts) as FileVerdict[]) this.verdicts[v] += c.verdicts[v];
    for (const [id, from] of Object.entries(c.checks) as [CheckId, StatusCounts][]) {
      const into = (this.checks[id] ??= { pass: 0, fail: 0, unknown: 0, 'not-applicable': 0, waived: 0 });
      for (const k of Object.keys(into) as (keyof StatusCounts)[]) into[k] += from[k];
    }
  }

  /** Adds one row: its verdict, its unknown required checks and every check's status. */
  add(f: Pick<JudgedFile, 'verdict' | 'unknown' | 'checks'>): void {
    this.files++;
    this.verdicts[f.verdict]++;
    this.unknownRequired += f.unknown.length;
    let any = false;
    // Indexed, as in Policy.verdictOf (per row, often in code V8 has not optimised yet).
    const ids = Object.keys(f.checks) as CheckId[];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      const c = id === undefined ? undefined : f.checks[id];
      if (id === undefined || c === undefined) continue;
      any = true;
      const counts = (this.checks[id] ??= { pass: 0, fail: 0, unknown: 0, 'not-applicable': 0, waived: 0 });
      counts[c.status]++;
      if (c.waiver !== undefined) counts.waived++;
    }
    if (any) this.analysed++;
  }

  /** `order` lists check ids in the order reports show them. */
  build(order: readonly CheckId[]): ScanSummary {
    const checks: Partial<Record<CheckId, StatusCounts>> = {};
    for (const id of order) {
      const c = this.checks[id];
      if (c !== undefined) checks[id] = c;
    }
    for (const [id, c] of Object.entries(this.checks) as [CheckId, StatusCounts][]) if (checks[id] === undefined) checks[id] = c;
    const exitStatus = this.verdicts.fail > 0 ? 1 : this.verdicts.error > 0 ? 3 : 0;
    return { files: this.files, analysed: this.analysed, verdicts: { ...this.verdicts }, checks, unknownRequired: this.unknownRequired, exitStatus };
  }
}
