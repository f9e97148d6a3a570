/**
 * Every output format on the judged results of a real scan (the fixture tree of
 * test/scan/fixtures.ts, with a waiver): JSON and JSON Lines validated against the published
 * schema, SARIF against the SARIF 2.1.0 schema, JUnit totals against its elements, CSV records
 * parsed back, and the human formats' layout.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type JudgedFile, Policy } from '../../src/policy/policy.js';
import { type ScanSummary, SummaryBuilder } from '../../src/policy/summary.js';
import { createReport } from '../../src/report/create-report.js';
import { CSV_COLUMNS } from '../../src/report/csv.js';
import { rowObject } from './row-object.js';
import { type ReportContext, type ReportFormat } from '../../src/report/report-types.js';
import { visibleLength } from '../../src/report/style.js';
import { xmlEscape } from '../../src/report/xml.js';
import { buildTree, type Tree } from '../scan/fixtures.js';
import { CHECK_INFO, context, scanInProcess } from '../scan/harness.js';
import { sarifErrors, scanFileErrors, scanJsonErrors } from './schemas.js';

let T: Tree;
let policy: Policy;
let files: JudgedFile[];
let summary: ScanSummary;
let ctx: ReportContext;
const WAIVER = 'fixed-address test program, "never" shipped';

beforeAll(async () => {
  T = buildTree();
  // A name that CSV must quote and XML and URIs must escape.
  mkdirSync(join(T.root, 'odd dir'));
  copyFileSync(T.weak, join(T.root, 'odd dir', 'a,b "c" <d>&e'));
  policy = new Policy({
    config: { require: ['nx'], ignore: [], waivers: [{ paths: ['/**/bin/weak'], checks: ['pie'], reason: WAIVER }] },
    configPath: '/etc/harden.config.json',
  });
  ({ files, summary } = await scanInProcess({ paths: [T.root] }, policy));
  ctx = context(policy, { commandLine: ['harden', 'scan', T.root], cwd: T.root });
});

function render(format: ReportFormat, list: readonly JudgedFile[] = files, c: ReportContext = ctx): string {
  let out = '';
  const report = createReport(format, c, { write: (s) => (out += s) });
  const b = new SummaryBuilder();
  for (const f of list) {
    b.add(f);
    report.file(f);
  }
  report.end(b.build(c.checks.map((x) => x.id)));
  return out;
}

describe('json', () => {
  it('is valid against docs/schema/scan-result-v1.json and holds every row and the summary', () => {
    const doc = JSON.parse(render('json')) as { schemaVersion: number; tool: unknown; policy: unknown; files: unknown[]; summary: { files: number; exitStatus: number } };
    expect(scanJsonErrors(doc)).toBe('');
    expect(doc.schemaVersion).toBe(1);
    expect(doc.tool).toEqual({ name: 'harden', version: '0.1.0' });
    expect(doc.policy).toEqual({ profile: 'debian', required: ['pie', 'relro', 'stack-protector', 'fortify', 'nx'], unknownIs: 'warn', config: '/etc/harden.config.json' });
    expect(doc.files).toEqual(files.map((f) => rowObject(f, CHECK_INFO.map((c) => c.id))));
    expect(doc.files).toHaveLength(11);
    expect(doc.summary).toMatchObject({ files: 11, exitStatus: summary.exitStatus });
  });

  it('shows the waiver reason and marks required checks', () => {
    const doc = JSON.parse(render('json')) as { files: { path: string; checks: Record<string, { required?: boolean; waiver?: string }> }[] };
    const weak = doc.files.find((f) => f.path === T.weak);
    expect(weak?.checks['pie']).toMatchObject({ status: 'fail', required: true, waiver: WAIVER });
    expect(weak?.checks['nx']?.required).toBe(true);
    expect(weak?.checks['bindnow']?.required).toBeUndefined();
  });

  it('is valid for a scan of nothing', () => {
    const doc = JSON.parse(render('json', [])) as unknown;
    expect(scanJsonErrors(doc)).toBe('');
    expect(doc).toMatchObject({ files: [], summary: { files: 0, exitStatus: 0 } });
  });

  it('the schema rejects what the contract forbids', () => {
    const doc = JSON.parse(render('json')) as { files: Record<string, unknown>[] };
    const bad = structuredClone(doc);
    (bad.files[0] as Record<string, unknown>)['verdict'] = 'error';
    expect(scanJsonErrors(bad)).not.toBe(''); // an error verdict needs an error message
    const extra = structuredClone(doc);
    (extra.files[0] as Record<string, unknown>)['surprise'] = 1;
    expect(scanJsonErrors(extra)).not.toBe('');
  });
});

describe('jsonl', () => {
  it('writes one schema-valid file object per line, the same objects as json', () => {
    const lines = render('jsonl').split('\n');
    expect(lines.pop()).toBe('');
    const objects = lines.map((l) => JSON.parse(l) as unknown);
    for (const o of objects) expect(scanFileErrors(o)).toBe('');
    expect(objects).toEqual((JSON.parse(render('json')) as { files: unknown[] }).files);
  });
});

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string } }; logicalLocations?: { fullyQualifiedName: string }[] }[];
  suppressions?: { kind: string; justification: string }[];
}

describe('sarif', () => {
  interface Run {
    tool: { driver: { rules: { id: string; help: { text: string } }[] } };
    originalUriBaseIds?: Record<string, { uri: string }>;
    results: SarifResult[];
    invocations: { exitCode: number; toolExecutionNotifications?: { message: { text: string } }[] }[];
  }
  const parse = (): { runs: Run[] } => JSON.parse(render('sarif')) as { runs: Run[] };

  it('is valid SARIF 2.1.0', () => {
    expect(sarifErrors(JSON.parse(render('sarif')))).toBe('');
  });

  it('has one rule per hardening check, with help text, and results that point at their rule', () => {
    const run = parse().runs[0];
    const rules = run?.tool.driver.rules ?? [];
    expect(rules.map((r) => r.id)).toEqual(CHECK_INFO.filter((c) => c.category === 'hardening').map((c) => c.id));
    for (const r of rules) expect(r.help.text.length).toBeGreaterThan(20);
    for (const res of run?.results ?? []) expect(rules[res.ruleIndex]?.id).toBe(res.ruleId);
  });

  it('reports each failed check (error when required, warning otherwise) and each unknown required one (note)', () => {
    const results = parse().runs[0]?.results ?? [];
    const expected: [string, string, string][] = [];
    for (const f of files) {
      for (const [id, c] of Object.entries(f.checks)) {
        if (CHECK_INFO.find((i) => i.id === id)?.category !== 'hardening') continue;
        if (c.status === 'fail') expected.push([f.path, id, c.required === true ? 'error' : 'warning']);
        else if (c.status === 'unknown' && c.required === true) expected.push([f.path, id, 'note']);
      }
    }
    const got = results.map((r) => [r.locations[0]?.logicalLocations?.[0]?.fullyQualifiedName ?? r.message.text.split(': ')[0], r.ruleId, r.level]);
    expect(got).toEqual(expected);
    expect(expected.length).toBeGreaterThan(10);
  });

  it('keeps a waived finding as a suppressed result with the reason, and locates members at their archive', () => {
    const results = parse().runs[0]?.results ?? [];
    const pie = results.find((r) => r.ruleId === 'pie' && r.message.text.startsWith(`${T.weak}:`));
    expect(pie?.suppressions).toEqual([{ kind: 'external', status: 'accepted', justification: WAIVER }]);
    const member = results.find((r) => r.ruleId === 'fortify' && r.locations[0]?.logicalLocations !== undefined);
    expect(member?.locations[0]?.physicalLocation.artifactLocation).toEqual({ uri: 'lib/libbroken.a', uriBaseId: 'SRCROOT' });
    expect(member?.locations[0]?.logicalLocations?.[0]?.fullyQualifiedName).toBe(`${T.broken}!pair_b.o`);
  });

  it('lists files that could not be analysed as tool notifications', () => {
    const inv = parse().runs[0]?.invocations[0];
    expect(inv?.exitCode).toBe(summary.exitStatus);
    expect(inv?.toolExecutionNotifications?.map((n) => n.message.text.split(': ')[0])).toEqual([T.broken]);
  });

  it('locates files under the working directory relative to SRCROOT, special characters escaped', () => {
    const run = parse().runs[0];
    expect(run?.originalUriBaseIds).toEqual({ SRCROOT: { uri: `file://${T.root}/` } });
    const odd = run?.results.find((r) => r.message.text.startsWith(`${T.root}/odd dir/`));
    expect(odd?.locations[0]?.physicalLocation.artifactLocation).toEqual({ uri: 'odd%20dir/a%2Cb%20%22c%22%20%3Cd%3E%26e', uriBaseId: 'SRCROOT' });
  });
});

/** Tags balance, attributes are quoted, text holds no raw `<` or bare `&`. */
function wellFormed(xml: string): string {
  const body = xml.replace(/^<\?xml[^>]*\?>\n/, '');
  const stack: string[] = [];
  const re = /<(\/?)([A-Za-z][\w-]*)((?:\s+[\w-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let m: RegExpExecArray | null;
  let end = 0;
  while ((m = re.exec(body)) !== null) {
    end = re.lastIndex;
    const [, close, name, , selfClose, text] = m;
    if (text !== undefined) {
      if (/&(?!(amp|lt|gt|quot|apos);)/.test(text)) return `bare & in ${JSON.stringify(text.slice(0, 40))}`;
      continue;
    }
    if (close === '/') {
      if (stack.pop() !== name) return `unbalanced </${name ?? ''}>`;
    } else if (selfClose !== '/') stack.push(name ?? '');
  }
  if (end !== body.length) return `cannot parse at ${JSON.stringify(body.slice(end, end + 40))}`;
  return stack.length === 0 ? '' : `unclosed <${stack.join('>, <')}>`;
}

describe('junit', () => {
  it('is well-formed, one suite per analysed file, totals matching the elements', () => {
    const xml = render('junit');
    expect(wellFormed(xml)).toBe('');
    const count = (re: RegExp): number => (xml.match(re) ?? []).length;
    const root = /<testsuites name="harden scan \(profile debian\)" tests="(\d+)" failures="(\d+)" errors="(\d+)" skipped="(\d+)">/.exec(xml);
    expect(root).not.toBeNull();
    const [tests, failures, errors, skipped] = (root ?? []).slice(1).map(Number);
    expect(tests).toBe(count(/<testcase /g));
    expect(failures).toBe(count(/<failure /g));
    expect(errors).toBe(count(/<error /g));
    expect(skipped).toBe(count(/<skipped /g));
    // Symlink and FIFO rows are not tests; every other row is a suite.
    expect(count(/<testsuite /g)).toBe(files.filter((f) => f.verdict !== 'skipped').length);
    expect(failures).toBe(files.reduce((n, f) => n + f.failed.length, 0));
    expect(errors).toBe(1);
  });

  it('escapes names and reports a waived check as skipped with its reason', () => {
    const xml = render('junit');
    expect(xml).toContain(`<testsuite name="${T.root}/odd dir/a,b &quot;c&quot; &lt;d&gt;&amp;e"`);
    expect(xml).toContain(`<skipped message="waived: fixed-address test program, &quot;never&quot; shipped (fail: `);
    expect(xmlEscape('a\u0001b<')).toBe('a\ufffdb&lt;');
  });
});

/** RFC 4180 records. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? '';
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else field += ch;
  }
  return records;
}

describe('csv', () => {
  it('has a header and one record per file and check, fields quoted where needed', () => {
    const records = parseCsv(render('csv'));
    expect(records[0]).toEqual([...CSV_COLUMNS]);
    const expected = files.reduce((n, f) => n + Math.max(1, Object.keys(f.checks).length), 0);
    expect(records.length - 1).toBe(expected);
    for (const r of records) expect(r).toHaveLength(CSV_COLUMNS.length);
    const odd = records.find((r) => r[0] === `${T.root}/odd dir/a,b "c" <d>&e` && r[6] === 'pie');
    expect(odd?.slice(1, 8)).toEqual(['executable', 'x86-64', 'fail', '', '', 'pie', 'fail']);
    const waived = records.find((r) => r[0] === T.weak && r[6] === 'pie');
    expect(waived?.[8]).toBe('yes');
    expect(waived?.[9]).toBe(WAIVER);
    const broken = records.find((r) => r[0] === T.broken);
    expect(broken?.slice(3, 7)).toEqual(['error', broken?.[4], '2 members read before the error', '']);
    expect(broken?.[4]).toMatch(/^bad ar header magic/);
  });
});

describe('table', () => {
  it('aligns every row: the verdict and path start in the same column', () => {
    const lines = render('table').split('\n');
    const head = lines[0] ?? '';
    expect(head).toMatch(/^PIE\* RELRO\* NOW NX\* RWX TEXTREL /);
    const at = head.indexOf('FILE');
    const rowLines = lines.slice(1, 1 + files.length);
    expect(rowLines).toHaveLength(files.length);
    for (const [i, line] of rowLines.entries()) {
      const f = files[i];
      expect(line.slice(at, at + (f?.path.length ?? 0))).toBe(f?.path);
      expect(visibleLength(line.slice(0, at))).toBe(at);
    }
    const unknown = files.reduce((n, f) => n + f.unknown.length, 0);
    expect(unknown).toBeGreaterThan(0);
    expect(lines.at(-2)).toBe(`11 files: 4 ok, 4 failed, 1 not analysed, 2 skipped; ${unknown} required checks unknown`);
  });

  it('shows the waived check with ~ and the failed ones in the row', () => {
    const line = render('table')
      .split('\n')
      .find((l) => l.endsWith(`${T.weak}  (relro, stack-protector, fortify)`));
    expect(line?.startsWith('~    ✗      ✗   ✓   ✓   ✓       ✓     ✗    ✗        ')).toBe(true);
  });
});

describe('text', () => {
  it('gives the evidence of each check, the fix of a failure, the reason of a waiver', () => {
    const text = render('text');
    const block = text.split('\n\n').find((b) => b.startsWith(`${T.weak} (`)) ?? '';
    expect(block.split('\n')[0]).toBe(`${T.weak} (executable, x86-64): FAIL (required: relro, stack-protector, fortify)`);
    expect(block).toMatch(/\n {2}~ pie\* +Position Independent Executable: .+\n {20,}waived: fixed-address test program, "never" shipped\n/);
    expect(block).toMatch(/\n {2}✗ relro\* +Read-only relocations \(RELRO\): .+\n {20,}fix: .+/);
    expect(block).not.toMatch(/waived: .*\n\s+fix:/);
  });
});
