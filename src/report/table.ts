/**
 * `--format table`: a row per file, a column per hardening check, streamed. Columns have fixed
 * widths so the rows line up without knowing the files in advance; the path comes last so a
 * long one does not push the columns. A column whose check the policy requires is starred.
 * Rows without checks (errors, links, special files) say what they are instead.
 */
import { type CheckId } from '../checks/types.js';
import { type JudgedFile } from '../policy/policy.js';
import { type ScanSummary } from '../policy/summary.js';
import { type ReportContext, type ReportWriter, type Sink } from './report-types.js';
import { checkGlyph, colors, type Colors, count, GLYPH, pad, verdictWord } from './style.js';

/** Short column headings; a check missing here is headed by its id in capitals. */
export const HEADINGS: Partial<Record<CheckId, string>> = {
  pie: 'PIE',
  relro: 'RELRO',
  bindnow: 'NOW',
  nx: 'NX',
  rwx: 'RWX',
  textrel: 'TEXTREL',
  rpath: 'RPATH',
  'stack-protector': 'SSP',
  fortify: 'FORTIFY',
  'stack-clash': 'CLASH',
  'cet-ibt': 'IBT',
  'cet-shstk': 'SHSTK',
  bti: 'BTI',
  pac: 'PAC',
  pic: 'PIC',
};

interface Column {
  readonly id: CheckId;
  readonly heading: string;
  readonly width: number;
}

const VERDICT_WIDTH = 5;

export class TableReport implements ReportWriter {
  private readonly pc: Colors;
  private readonly columns: readonly Column[];

  constructor(
    private readonly ctx: ReportContext,
    private readonly sink: Sink,
  ) {
    this.pc = colors(ctx.color);
    const required = new Set(ctx.policy.required);
    this.columns = ctx.checks
      .filter((c) => c.category === 'hardening')
      .map((c) => {
        const heading = (HEADINGS[c.id] ?? c.id.toUpperCase()) + (required.has(c.id) ? '*' : '');
        return { id: c.id, heading, width: heading.length };
      });
    const head = this.columns.map((c) => c.heading).join(' ');
    sink.write(this.pc.bold(`${head} ${pad('', VERDICT_WIDTH)} FILE`) + '\n');
  }

  file(f: JudgedFile): void {
    const pc = this.pc;
    const hasChecks = Object.keys(f.checks).length > 0;
    const cells = this.columns.map((c) => pad(hasChecks ? checkGlyph(f.checks[c.id], pc) : ' ', c.width)).join(' ');
    let tail = f.path;
    if (f.kind === 'symlink' && f.target !== undefined) tail += pc.dim(` -> ${f.target}`);
    const why = f.error ?? (hasChecks ? undefined : f.note);
    if (why !== undefined) tail += (f.error !== undefined ? pc.magenta : pc.dim)(`  (${why})`);
    else if (f.failed.length > 0) tail += pc.red(`  (${f.failed.join(', ')})`);
    this.sink.write(`${cells} ${pad(verdictWord(f.verdict, pc), VERDICT_WIDTH)} ${tail}\n`);
  }

  end(s: ScanSummary): void {
    const pc = this.pc;
    const legend = `${GLYPH.pass} pass  ${GLYPH.fail} fail  ${GLYPH.unknown} unknown  ${GLYPH['not-applicable']} not applicable  ${GLYPH.waived} waived  * required by ${this.ctx.policy.profile === 'none' && this.ctx.policy.required.length === 0 ? 'nothing' : 'the policy'}`;
    this.sink.write(`\n${pc.dim(legend)}\n${summaryLine(s, pc)}\n`);
  }
}

/** "2,512 files: 2,400 ok, 12 FAIL, 0 errors, 100 skipped": shared by table and text. */
export function summaryLine(s: ScanSummary, pc: Colors): string {
  const v = s.verdicts;
  const parts = [
    `${count(v.pass)} ok`,
    v.fail > 0 ? pc.bold(pc.red(`${count(v.fail)} failed`)) : '0 failed',
    v.error > 0 ? pc.magenta(`${count(v.error)} not analysed`) : '0 not analysed',
    `${count(v.skipped)} skipped`,
  ];
  const warn = s.unknownRequired > 0 ? `; ${pc.yellow(`${count(s.unknownRequired)} required checks unknown`)}` : '';
  return `${count(s.files)} ${s.files === 1 ? 'file' : 'files'}: ${parts.join(', ')}${warn}`;
}
