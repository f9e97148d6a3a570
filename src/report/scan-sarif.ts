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
 * location. Written at the end.
 */
import { type CheckId } from '../checks/types.js';
import { type JudgedCheck, type JudgedFile } from '../policy/policy.js';
import { type ScanSummary } from '../policy/summary.js';
import { type CheckInfo, type ReportContext, type ReportWriter, type Sink } from './report-types.js';

type Level = 'error' | 'warning' | 'note';

interface ArtifactLocation {
  readonly uri: string;
  readonly uriBaseId?: string;
}

const SRCROOT = '%SRCROOT%';

/** A path as a SARIF URI: relative ones against %SRCROOT% (the working directory). */
export function artifactLocation(path: string): ArtifactLocation {
  const encoded = path
    .split('/')
    .map((seg) => encodeURIComponent(seg))
    .join('/');
  if (path.startsWith('/')) return { uri: `file://${encoded}` };
  return { uri: encoded.replace(/^(\.\/)+/, ''), uriBaseId: SRCROOT };
}

function directoryUri(dir: string): string {
  const encoded = dir
    .split('/')
    .map((seg) => encodeURIComponent(seg))
    .join('/');
  return `file://${encoded.endsWith('/') ? encoded : `${encoded}/`}`;
}

export class SarifScanReport implements ReportWriter {
  private readonly results: Record<string, unknown>[] = [];
  private readonly notifications: Record<string, unknown>[] = [];
  private readonly ruleIndex: ReadonlyMap<CheckId, number>;
  private readonly rules: readonly CheckInfo[];

  constructor(
    private readonly ctx: ReportContext,
    private readonly sink: Sink,
  ) {
    this.rules = ctx.checks.filter((c) => c.category === 'hardening');
    this.ruleIndex = new Map(this.rules.map((c, i) => [c.id, i]));
  }

  private location(path: string): Record<string, unknown> {
    const bang = path.indexOf('!');
    const outer = bang < 0 ? path : path.slice(0, bang);
    const loc: Record<string, unknown> = { physicalLocation: { artifactLocation: artifactLocation(outer) } };
    if (bang >= 0) loc['logicalLocations'] = [{ fullyQualifiedName: path, name: path.slice(bang + 1), kind: 'module' }];
    return loc;
  }

  file(f: JudgedFile): void {
    if (f.error !== undefined) {
      this.notifications.push({
        level: 'error',
        message: { text: `${f.path}: ${f.error}` },
        locations: [this.location(f.path)],
      });
    }
    for (const [id, c] of Object.entries(f.checks) as [CheckId, JudgedCheck][]) {
      const level = this.level(c);
      if (level === undefined) continue;
      const index = this.ruleIndex.get(id);
      const title = index === undefined ? id : (this.rules[index]?.title ?? id);
      const text = `${f.path}: ${title}: ${c.status === 'unknown' ? 'unknown' : 'failed'}: ${c.evidence}${c.remedy !== undefined ? ` Fix: ${c.remedy}` : ''}`;
      const result: Record<string, unknown> = { ruleId: id };
      if (index !== undefined) result['ruleIndex'] = index;
      result['level'] = level;
      result['message'] = { text };
      result['locations'] = [this.location(f.path)];
      if (c.waiver !== undefined) result['suppressions'] = [{ kind: 'external', status: 'accepted', justification: c.waiver }];
      const props: Record<string, unknown> = { status: c.status, required: c.required === true, kind: f.kind };
      if (f.machine !== undefined) props['machine'] = f.machine;
      if (c.value !== undefined) props['value'] = c.value;
      result['properties'] = props;
      this.results.push(result);
    }
  }

  private level(c: JudgedCheck): Level | undefined {
    const required = c.required === true;
    if (c.status === 'fail') return required ? 'error' : 'warning';
    if (c.status === 'unknown' && required) return this.ctx.policy.unknownIs === 'fail' ? 'error' : 'note';
    return undefined;
  }

  end(summary: ScanSummary): void {
    const required = new Set(this.ctx.policy.required);
    const rules = this.rules.map((c) => ({
      id: c.id,
      name: c.title.replace(/[^A-Za-z0-9]+(.)?/g, (_m: string, ch: string | undefined) => (ch ?? '').toUpperCase()),
      shortDescription: { text: c.title },
      fullDescription: { text: c.description },
      help: { text: `${c.description}\n\nFix: ${c.remedy}`, markdown: `${c.description}\n\n**Fix:** ${c.remedy}` },
      defaultConfiguration: { level: required.has(c.id) ? 'error' : 'warning' },
      properties: { tags: ['security', 'hardening'], required: required.has(c.id) },
    }));
    const invocation: Record<string, unknown> = {
      executionSuccessful: true,
      exitCode: summary.exitStatus,
    };
    if (this.ctx.commandLine !== undefined) invocation['commandLine'] = this.ctx.commandLine.join(' ');
    if (this.notifications.length > 0) invocation['toolExecutionNotifications'] = this.notifications;
    const run: Record<string, unknown> = {
      tool: { driver: { name: this.ctx.tool.name, version: this.ctx.tool.version, semanticVersion: this.ctx.tool.version, rules } },
      invocations: [invocation],
    };
    if (this.ctx.cwd !== undefined) run['originalUriBaseIds'] = { [SRCROOT]: { uri: directoryUri(this.ctx.cwd) } };
    run['results'] = this.results;
    run['properties'] = { profile: this.ctx.policy.profile, required: this.ctx.policy.required, unknownIs: this.ctx.policy.unknownIs, summary: { files: summary.files, verdicts: summary.verdicts } };
    const log = { $schema: 'https://json.schemastore.org/sarif-2.1.0.json', version: '2.1.0', runs: [run] };
    this.sink.write(`${JSON.stringify(log, null, 2)}\n`);
  }
}
