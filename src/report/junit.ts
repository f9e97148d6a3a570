/**
 * `--format junit`: JUnit XML for CI dashboards. Each analysed file is a test suite and each
 * hardening check a test case:
 *   failure  a required check failed (or was unknown under `unknownIs: fail`), not waived
 *   error    the file could not be analysed (an extra `analysis` case)
 *   skipped  not applicable, waived (with the reason), not required, or unknown
 *   passed   otherwise
 * Information checks become suite properties. Rows without checks that are not errors (links,
 * special files) are left out: they are not tests. Written at the end, since the root element
 * carries the totals.
 */
import { type CheckId } from '../checks/types.js';
import { type JudgedCheck, type JudgedFile, type UnknownIs } from '../policy/policy.js';
import { type CheckInfo, type ReportContext, type ReportWriter, type Sink } from './report-types.js';
import { xmlAttributes, xmlEscape } from './xml.js';

interface Totals {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

export class JunitReport implements ReportWriter {
  private readonly suites: string[] = [];
  private readonly totals: Totals = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  private readonly info: ReadonlyMap<CheckId, CheckInfo>;
  private readonly order: readonly CheckId[];
  private readonly unknownIs: UnknownIs;

  constructor(
    private readonly ctx: ReportContext,
    private readonly sink: Sink,
  ) {
    this.info = new Map(ctx.checks.map((c) => [c.id, c]));
    this.order = ctx.checks.map((c) => c.id);
    this.unknownIs = ctx.policy.unknownIs;
  }

  file(f: JudgedFile): void {
    if (f.verdict === 'skipped') return;
    const t: Totals = { tests: 0, failures: 0, errors: 0, skipped: 0 };
    const cases: string[] = [];
    const props: string[] = [];
    const prop = (name: string, value: string): void => {
      props.push(`      <property ${xmlAttributes({ name, value })}/>`);
    };
    prop('kind', f.kind);
    if (f.machine !== undefined) prop('machine', f.machine);
    if (f.error !== undefined) {
      t.tests++;
      t.errors++;
      cases.push(`    <testcase ${xmlAttributes({ classname: f.path, name: 'analysis' })}>\n      <error ${xmlAttributes({ message: f.error, type: 'analysis' })}/>\n    </testcase>`);
    }
    for (const id of [...new Set([...this.order, ...(Object.keys(f.checks) as CheckId[])])]) {
      const c = f.checks[id];
      if (c === undefined) continue;
      const info = this.info.get(id);
      if (info?.category === 'information') {
        prop(id, c.value ?? c.evidence);
        continue;
      }
      t.tests++;
      const name = info === undefined ? id : `${id}: ${info.title}`;
      cases.push(this.testcase(f.path, name, c, t));
    }
    this.totals.tests += t.tests;
    this.totals.failures += t.failures;
    this.totals.errors += t.errors;
    this.totals.skipped += t.skipped;
    this.suites.push(
      `  <testsuite ${xmlAttributes({ name: f.path, tests: t.tests, failures: t.failures, errors: t.errors, skipped: t.skipped })}>\n` +
        `    <properties>\n${props.join('\n')}\n    </properties>\n` +
        cases.map((c) => `${c}\n`).join('') +
        `  </testsuite>`,
    );
  }

  private testcase(path: string, name: string, c: JudgedCheck, t: Totals): string {
    const open = `    <testcase ${xmlAttributes({ classname: path, name })}`;
    const skipped = (message: string): string => {
      t.skipped++;
      return `${open}>\n      <skipped ${xmlAttributes({ message })}/>\n    </testcase>`;
    };
    if (c.waiver !== undefined && c.status !== 'pass') return skipped(`waived: ${c.waiver} (${c.status}: ${c.evidence})`);
    const failing = c.required === true && (c.status === 'fail' || (c.status === 'unknown' && this.unknownIs === 'fail'));
    if (failing) {
      t.failures++;
      const body = c.remedy === undefined ? c.evidence : `${c.evidence}\nfix: ${c.remedy}`;
      return `${open}>\n      <failure ${xmlAttributes({ message: `${c.status}: ${c.evidence}`, type: c.status })}>${xmlEscape(body)}</failure>\n    </testcase>`;
    }
    switch (c.status) {
      case 'pass':
        return `${open}/>`;
      case 'not-applicable':
        return skipped(`not applicable: ${c.evidence}`);
      case 'unknown':
        return skipped(`unknown: ${c.evidence}`);
      case 'fail':
        return skipped(`not required (fail: ${c.evidence})`);
    }
  }

  end(): void {
    const t = this.totals;
    const root = xmlAttributes({ name: `${this.ctx.tool.name} scan (profile ${this.ctx.policy.profile})`, tests: t.tests, failures: t.failures, errors: t.errors, skipped: t.skipped });
    this.sink.write(`<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ${root}>\n${this.suites.map((s) => `${s}\n`).join('')}</testsuites>\n`);
  }
}
