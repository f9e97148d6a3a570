/**
 * JSON rows judged and rendered where the files were analysed (src/scan/rendered-rows.ts) must
 * be exactly what the main thread would have written: the same text, the same summary, the same
 * exit status, for every policy; and a policy with waivers must not be rendered there.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Policy, type UnknownIs } from '../../src/policy/policy.js';
import { type ProfileName } from '../../src/policy/profiles.js';
import { SummaryBuilder, type ScanSummary } from '../../src/policy/summary.js';
import { JsonLinesReport, JsonReport } from '../../src/report/json.js';
import { type ReportWriter } from '../../src/report/report-types.js';
import { scanTargets } from '../../src/scan/inputs.js';
import { renderRows } from '../../src/scan/rendered-rows.js';
import { type FileResult } from '../../src/scan/result.js';
import { scan } from '../../src/scan/scan.js';
import { buildTree, type Tree } from './fixtures.js';
import { CHECK_INFO, context } from './harness.js';

let T: Tree;

beforeAll(() => {
  T = buildTree();
});

const ORDER = CHECK_INFO.map((c) => c.id);

/** The same report with `jsonRows` hidden: the scan then judges and writes every file here. */
function objectsOnly(r: ReportWriter): ReportWriter {
  return { file: (f) => r.file(f), end: (s) => r.end(s) };
}

interface Run {
  readonly text: string;
  readonly summary: ScanSummary;
  /** Rows that reached the report already rendered. */
  readonly rendered: number;
}

async function run(format: 'json' | 'jsonl', policy: Policy, rendered: boolean): Promise<Run> {
  let text = '';
  const sink = { write: (s: string): void => void (text += s) };
  const report = format === 'json' ? new JsonReport(context(policy), sink) : new JsonLinesReport(context(policy), sink);
  let count = 0;
  const rows = report.rows.bind(report);
  report.rows = (json: string, n: number): void => {
    count += n;
    rows(json, n);
  };
  // Rows written through `file` also go through `rows`: count only what arrived rendered.
  const file = report.file.bind(report);
  report.file = (f) => {
    count--;
    file(f);
  };
  const inputs = scanTargets({ paths: [T.root, `${T.root}/missing`, T.text], pids: [], follow: false });
  const summary = await scan(inputs, policy, rendered ? report : objectsOnly(report), { order: ORDER, jobs: 1, batchCount: 3 });
  return { text, summary, rendered: Math.max(0, count) };
}

describe('rows rendered by the analysis', () => {
  const cases: [ProfileName, UnknownIs][] = [
    ['none', 'warn'],
    ['debian', 'warn'],
    ['openssf', 'fail'],
  ];
  for (const format of ['json', 'jsonl'] as const) {
    for (const [profile, unknownIs] of cases) {
      it(`${format}, profile ${profile}, unknown is ${unknownIs}: the same text and summary as judging here`, async () => {
        const policy = new Policy({ profile, unknownIs });
        const here = await run(format, policy, false);
        const there = await run(format, policy, true);
        expect(here.rendered).toBe(0);
        expect(there.rendered).toBe(here.summary.files);
        expect(there.text).toBe(here.text);
        expect(there.summary).toEqual(here.summary);
        // The tree has passing, failing, unreadable and skipped rows: under debian every verdict occurs.
        if (profile === 'debian') expect(Object.values(here.summary.verdicts).every((n) => n > 0)).toBe(true);
      });
    }
  }

  it('a policy with waivers is judged here, and the waiver is in the rows', async () => {
    const policy = new Policy({ profile: 'debian', config: { require: [], ignore: [], waivers: [{ paths: ['**/weak'], checks: ['pie'], reason: 'fixed address' }] } });
    expect(policy.portable()).toBeUndefined();
    const r = await run('jsonl', policy, true);
    expect(r.rendered).toBe(0);
    const weak = r.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { path: string; checks: { pie?: { waiver?: string } } })
      .find((o) => o.path === T.weak);
    expect(weak?.checks.pie?.waiver).toBe('fixed address');
  });

  it('the summary of rendered batches adds up to the summary of their files', () => {
    const policy = new Policy({ profile: 'openssf' });
    const rows: FileResult[] = [
      { path: '/a', kind: 'pie-executable', machine: 'x86-64', checks: { pie: { status: 'pass', evidence: 'e' }, nx: { status: 'unknown', evidence: 'e' } } },
      { path: '/b', kind: 'executable', machine: 'x86-64', checks: { pie: { status: 'fail', evidence: 'e', remedy: 'r' }, rpath: { status: 'pass', evidence: 'e' } } },
      { path: '/c', kind: 'unreadable', error: 'EACCES', checks: {} },
      { path: '/d', kind: 'symlink', note: 'link', checks: {} },
    ];
    const whole = new SummaryBuilder();
    for (const r of rows) whole.add(policy.judge(r));
    const merged = new SummaryBuilder();
    const portable = policy.portable();
    expect(portable).toBeDefined();
    if (portable === undefined) return;
    for (const part of [rows.slice(0, 1), rows.slice(1, 3), rows.slice(3)]) merged.merge(renderRows(part, { order: ORDER, policy: portable, separator: '\n' }).summary);
    expect(merged.build(ORDER)).toEqual(whole.build(ORDER));
    // /a's required nx is unknown (a warning under openssf), /b's pie failed.
    expect(merged.build(ORDER)).toMatchObject({ files: 4, analysed: 2, unknownRequired: 1, verdicts: { pass: 1, fail: 1, error: 1, skipped: 1 }, exitStatus: 1 });
  });
});
