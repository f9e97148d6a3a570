/**
 * How the human formats (table, text) show statuses: one glyph each, coloured when colour is
 * on. A failing check that the policy requires is red; one it does not require is yellow, so
 * the eye finds what breaks the build first. Without colour the glyphs still differ.
 */
import picocolors from 'picocolors';
import { type JudgedCheck, type FileVerdict } from '../policy/policy.js';

export type Colors = ReturnType<typeof picocolors.createColors>;

export function colors(enabled: boolean): Colors {
  return picocolors.createColors(enabled);
}

export const GLYPH = {
  pass: '✓',
  fail: '✗',
  unknown: '?',
  'not-applicable': '-',
  waived: '~',
} as const;

/** The glyph of a check, coloured by what it means for the policy. */
export function checkGlyph(c: JudgedCheck | undefined, pc: Colors): string {
  if (c === undefined) return ' ';
  if (c.waiver !== undefined && c.status !== 'pass' && c.status !== 'not-applicable') return pc.cyan(GLYPH.waived);
  switch (c.status) {
    case 'pass':
      return pc.green(GLYPH.pass);
    case 'fail':
      return c.required === true ? pc.bold(pc.red(GLYPH.fail)) : pc.yellow(GLYPH.fail);
    case 'unknown':
      return c.required === true ? pc.yellow(GLYPH.unknown) : pc.dim(GLYPH.unknown);
    case 'not-applicable':
      return pc.dim(GLYPH['not-applicable']);
  }
}

export function verdictWord(v: FileVerdict, pc: Colors): string {
  switch (v) {
    case 'pass':
      return pc.green('ok');
    case 'fail':
      return pc.bold(pc.red('FAIL'));
    case 'error':
      return pc.magenta('ERROR');
    case 'skipped':
      return pc.dim('skip');
  }
}

/** Width of a string as a terminal shows it: escapes take no room. */
export function visibleLength(s: string): number {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\x1b\[[0-9;]*m/g, '').length;
}

export function pad(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - visibleLength(s)));
}

/** "1,234": counts in summaries. */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}
