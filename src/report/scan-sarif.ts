/**
 * `--format sarif`: SARIF 2.1.0 for code-scanning dashboards. One rule per check (with its
 * description and remedy as help), one result per finding:
 *   error    a required check failed (or was unknown under `unknownIs: fail`)
 *   warning  a check failed that the policy does not require
 *   note     a required check was unknown (`unknownIs: warn`)
 * Passing and not-applicable checks are not results. A waived finding is still a result, with
 * an external suppression whose justification is the waiver's reason, so dashboards show it
 * as suppressed rather than losing it. Files that could not be analysed are tool execution
 * notifications. An archive member is located at its archive, with the member as a logical
 * location. Built on the generic SARIF writer (sarif.ts), to which it adds what a scan needs:
 * suppressions, the invocation and the policy. Written at the end.
 */
import { type CheckId } from '../checks/types.js';
import { type JudgedCheck, type JudgedFile } from '../policy/policy.js';
import { type ScanSummary } from '../policy/summary.js';
import { type CheckInfo, type ReportContext, type ReportWriter, type Sink } from './report-types.js';
import { type SarifLevel, type SarifResult, type SarifRule, toSarif } from './sarif.js';

/** Where a row is: its file, and for an archive member the member as a logical location. */
function where(path: string): Pick<SarifResult, 'uri' | 'logicalLocation'> {
  const bang = path.indexOf('!');
  if (bang < 0) return { uri: path };
  return { uri: path.slice(0, bang), logicalLocation: { name: path.slice(bang + 1), fullyQualifiedName: path, kind: 'module' } };
}

/** "Read-only relocations (RELRO)" → "ReadOnlyRelocationsRelro": SARIF's rule name style. */
function pascalName(title: string): string {
  return title
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== '')
    .map((w) => w[0]?.toUpperCase() + w.slice(1).toLowerCase())
    .join('');
}

export class SarifScanReport implements ReportWriter {
  private readonly results: SarifResult[] = [];
  /** The waiver reason of each result, by index (SARIF suppressions; the generic writer has none). */
  private readonly waivers: (string | undefined)[] = [];
  private readonly notifications: Record<string, unknown>[] = [];
  private readonly rules: readonly CheckInfo[];
  private readonly ruleIds: ReadonlySet<CheckId>;

  constructor(
    private readonly ctx: ReportContext,
    private readonly sink: Sink,
  ) {
    this.rules = ctx.checks.filter((c) => c.category === 'hardening');
    this.ruleIds = new Set(this.rules.map((c) => c.id));
  }

  file(f: JudgedFile): void {
    if (f.error !== undefined) {
      const loc = where(f.path);
      this.notifications.push({
        level: 'error',
        message: { text: `${f.path}: ${f.error}` },
        // Notifications take full locations; the file is named by URI as results name it.
        locations: [{ physicalLocation: { artifactLocation: { uri: toUri(loc.uri) } } }],
      });
    }
    for (const [id, c] of Object.entries(f.checks) as [CheckId, JudgedCheck][]) {
      const level = this.level(c);
      if (level === undefined || !this.ruleIds.has(id)) continue;
      const title = this.rules.find((r) => r.id === id)?.title ?? id;
      const verdict = c.status === 'unknown' ? 'unknown' : 'failed';
      const properties: Record<string, string | boolean> = { status: c.status, required: c.required === true, kind: f.kind };
      if (f.machine !== undefined) properties['machine'] = f.machine;
      if (c.value !== undefined) properties['value'] = c.value;
      this.results.push({
        ruleId: id,
        level,
        message: `${f.path}: ${title}: ${verdict}: ${c.evidence}${c.remedy !== undefined ? ` Fix: ${c.remedy}` : ''}`,
        ...where(f.path),
        properties,
      });
      this.waivers.push(c.waiver);
    }
  }

  private level(c: JudgedCheck): SarifLevel | undefined {
    const required = c.required === true;
    if (c.status === 'fail') return required ? 'error' : 'warning';
    if (c.status === 'unknown' && required) return this.ctx.policy.unknownIs === 'fail' ? 'error' : 'note';
    return undefined;
  }

  end(summary: ScanSummary): void {
    const required = new Set(this.ctx.policy.required);
    const rules: SarifRule[] = this.rules.map((c) => ({
      id: c.id,
      name: pascalName(c.title),
      shortDescription: c.title,
      fullDescription: c.description,
      helpText: `${c.description}\n\nFix: ${c.remedy}`,
      defaultLevel: required.has(c.id) ? 'error' : 'warning',
    }));
    const log = toSarif(this.ctx.tool, rules, this.results, this.ctx.cwd === undefined ? {} : { baseUri: this.ctx.cwd });
    // What the generic writer leaves out and a scan needs: waivers as suppressions, the
    // invocation (exit status, files that could not be analysed), the policy.
    const runs = log.runs.map((run) => ({
      ...run,
      invocations: [
        {
          executionSuccessful: true,
          exitCode: summary.exitStatus,
          ...(this.ctx.commandLine === undefined ? {} : { commandLine: this.ctx.commandLine.join(' ') }),
          ...(this.notifications.length === 0 ? {} : { toolExecutionNotifications: this.notifications }),
        },
      ],
      results: run.results.map((r, i) => {
        const reason = this.waivers[i];
        return reason === undefined ? r : { ...r, suppressions: [{ kind: 'external', status: 'accepted', justification: reason }] };
      }),
      properties: {
        profile: this.ctx.policy.profile,
        required: this.ctx.policy.required,
        unknownIs: this.ctx.policy.unknownIs,
        summary: { files: summary.files, verdicts: summary.verdicts },
      },
    }));
    this.sink.write(`${JSON.stringify({ ...log, runs }, null, 2)}\n`);
  }
}

/** A path as a URI for notifications (results get theirs from the generic writer). */
function toUri(path: string): string {
  const encoded = path
    .split('/')
    .map((seg) => encodeURIComponent(seg))
    .join('/');
  return path.startsWith('/') ? `file://${encoded}` : encoded.replace(/^(\.\/)+/, '');
}
