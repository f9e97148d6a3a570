/**
 * The compile flags recorded in the file (facts/recorded-flags.ts), summarised: the options every
 * unit shares, then those only some units have, with counts. Path-mapping and debug-format
 * options are left out of the summary (they say nothing about hardening). Information.
 */
import { type CheckContext } from './context.js';
import { distinctOptionLists, type RecordedFlags } from './facts/recorded-flags.js';
import { type CheckDefinition, type Verdict } from './types.js';
import { notApplicable, pass, unknown } from './verdict.js';

const NOISE = /^-(f(debug|file|macro|profile)-prefix-map=|g(dwarf|record|z|split|column|strict|$)|gno-|gdwarf|I|iquote|isystem|MD|MF|MT|MMD|dumpbase|dumpdir|auxbase|o$)/;

/** At most this many characters in the value (the evidence keeps the rest). */
const MAX_VALUE = 600;

export function summariseFlags(r: RecordedFlags): { value: string; detail: string } {
  const units = r.units;
  if (units.length === 0) {
    const opts = (r.commandLine ?? []).filter((o) => !NOISE.test(o));
    return { value: opts.join(' '), detail: `.GCC.command.line: ${opts.length} options (merged from every unit)` };
  }
  const freq = new Map<string, number>();
  const lists = distinctOptionLists(r);
  for (const [options, n] of lists) {
    for (const o of new Set(options)) if (!NOISE.test(o)) freq.set(o, (freq.get(o) ?? 0) + n);
  }
  // Keep the first unit's order for the shared options.
  const order: string[] = [];
  const placed = new Set<string>();
  for (const options of lists.keys()) for (const o of options) if (freq.has(o) && !placed.has(o)) (placed.add(o), order.push(o));
  const common = order.filter((o) => freq.get(o) === units.length);
  const varying = order.filter((o) => (freq.get(o) ?? 0) < units.length);
  let value = common.join(' ');
  if (varying.length > 0) value += `${value === '' ? '' : '; '}in some units: ${varying.map((o) => `${o} (${freq.get(o) ?? 0}/${units.length})`).join(' ')}`;
  if (value.length > MAX_VALUE) value = `${value.slice(0, MAX_VALUE - 1)}…`;
  const compilers = [...new Set(units.map((u) => [u.compiler, u.version].filter((x) => x !== undefined).join(' ')))].filter((c) => c !== '');
  const what = units.every((u) => u.source === '.GCC.command.line') ? ['distinct command line', 'distinct command lines'] : ['compiled unit', 'compiled units'];
  const detail = `${units.length} ${units.length === 1 ? what[0] : what[1]}${compilers.length > 0 ? ` (${compilers.join(', ')})` : ''}`;
  return { value, detail };
}

export const compileFlagsCheck: CheckDefinition<CheckContext> = {
  id: 'compile-flags',
  title: 'Recorded compile flags',
  category: 'information',
  description: 'The compiler options recorded in the file (DW_AT_producer with -g, .GCC.command.line with -frecord-gcc-switches): the only reliable source for stack-protector strength, stack-clash protection and optimisation level. -D options such as _FORTIFY_SOURCE are never recorded.',
  remedy: 'build with -g (gcc records its options by default with -grecord-gcc-switches) or -frecord-gcc-switches',
  evaluate(ctx): Verdict {
    if (ctx.kind === 'core') return notApplicable(ctx.kindInfo.evidence);
    const r = ctx.recorded;
    const problems = r.errors.length > 0 ? `; problems: ${r.errors.slice(0, 3).join('; ')}${r.errors.length > 3 ? ` and ${r.errors.length - 3} more` : ''}` : '';
    const others = [r.assemblerUnits > 0 ? `${r.assemblerUnits} assembler units` : '', r.anonymousUnits > 0 ? `${r.anonymousUnits} units without a producer` : ''].filter((x) => x !== '').join(', ');
    if (r.units.length === 0 && (r.commandLine === undefined || r.commandLine.length === 0)) {
      const where = r.sources.length > 0 ? `${r.sources.join(', ')} read, but no compiler options found${others === '' ? '' : ` (${others})`}` : 'no .debug_info and no .GCC.command.line';
      return unknown(`${where}${problems}`, compileFlagsCheck.remedy);
    }
    const s = summariseFlags(r);
    return pass(`from ${r.sources.join(', ')}: ${s.detail}${others === '' ? '' : `, ${others}`}${r.truncated ? ' (not every unit read)' : ''}${problems}`, s.value);
  },
};
