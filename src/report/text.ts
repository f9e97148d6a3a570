/**
 * `--format text`: per file, every check with its evidence, the remedy of each failure and the
 * reason of each waiver; streamed. Hardening checks first (starred when required), then the
 * information checks (`i`) with the value found.
 */
import { type CheckId } from '../checks/types.js';
import { type JudgedFile } from '../policy/policy.js';
import { type ScanSummary } from '../policy/summary.js';
import { type CheckInfo, type ReportContext, type ReportWriter, type Sink } from './report-types.js';
import { checkGlyph, colors, type Colors, pad, verdictWord } from './style.js';
import { summaryLine } from './table.js';

export class TextReport implements ReportWriter {
  private readonly pc: Colors;
  private readonly info: ReadonlyMap<CheckId, CheckInfo>;
  private readonly width: number;
  private first = true;

  constructor(
    ctx: ReportContext,
    private readonly sink: Sink,
  ) {
    this.pc = colors(ctx.color);
    this.info = new Map(ctx.checks.map((c) => [c.id, c]));
    this.width = Math.max(...ctx.checks.map((c) => c.id.length), 8) + 2;
  }

  file(f: JudgedFile): void {
    const pc = this.pc;
    const lines: string[] = [];
    const what = [f.kind, f.machine].filter((s) => s !== undefined).join(', ');
    lines.push(`${pc.bold(f.path)} (${what}): ${verdictWord(f.verdict, pc)}${f.failed.length > 0 ? pc.red(` (required: ${f.failed.join(', ')})`) : ''}`);
    if (f.target !== undefined) lines.push(`  -> ${f.target}`);
    if (f.error !== undefined) lines.push(`  ${pc.magenta('error:')} ${f.error}`);
    if (f.note !== undefined) lines.push(`  ${pc.dim(f.note)}`);
    const ids = Object.keys(f.checks) as CheckId[];
    const hardening = ids.filter((id) => this.info.get(id)?.category !== 'information');
    const information = ids.filter((id) => this.info.get(id)?.category === 'information');
    const indent = ' '.repeat(4 + this.width);
    for (const id of hardening) {
      const c = f.checks[id];
      if (c === undefined) continue;
      const title = this.info.get(id)?.title;
      const name = pad(`${id}${c.required === true ? '*' : ''}`, this.width);
      const value = c.value !== undefined && !c.evidence.startsWith(`${c.value}:`) ? `${c.value}: ` : '';
      lines.push(`  ${checkGlyph(c, pc)} ${name}${title !== undefined ? `${title}: ` : ''}${value}${c.evidence}`);
      if (c.waiver !== undefined) lines.push(`${indent}${pc.cyan('waived:')} ${c.waiver}`);
      if (c.remedy !== undefined && (c.status === 'fail' || c.status === 'unknown') && c.waiver === undefined) lines.push(`${indent}${pc.dim('fix:')} ${c.remedy}`);
    }
    for (const id of information) {
      const c = f.checks[id];
      if (c === undefined) continue;
      const value = c.value !== undefined && !c.evidence.startsWith(`${c.value}:`) ? `${c.value}: ` : '';
      lines.push(`  ${pc.blue('i')} ${pad(id, this.width)}${value}${c.evidence}`);
    }
    this.sink.write(`${this.first ? '' : '\n'}${lines.join('\n')}\n`);
    this.first = false;
  }

  end(s: ScanSummary): void {
    this.sink.write(`\n${summaryLine(s, this.pc)}\n`);
  }
}
