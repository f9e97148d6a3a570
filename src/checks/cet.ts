/**
 * Intel CET, from GNU_PROPERTY_X86_FEATURE_1_AND in .note.gnu.property (PT_GNU_PROPERTY):
 * bit 0 IBT (indirect branches must land on ENDBR), bit 1 SHSTK (shadow stack). The linker
 * ANDs the property over every input object, so one object built without -fcf-protection
 * (Debian 12's crt1.o, a hand-written assembly file) drops the bit for the whole output: when
 * the recorded flags show -fcf-protection, the evidence says so. x86 only.
 */
import { type CheckContext } from './context.js';
import { cfProtectionOption, commandLineValues, describeRecorded, familyValues, hasRecordedOptions } from './facts/recorded-flags.js';
import { GNU_PROPERTY, X86_FEATURE_1, flagNames } from '../elf/index.js';
import { type CheckDefinition, type Verdict } from './types.js';
import { fail, notApplicable, pass } from './verdict.js';

type CetFeature = 'IBT' | 'SHSTK';

/** The -fcf-protection levels that ask for each feature. */
const WANTS: Readonly<Record<CetFeature, readonly string[]>> = { IBT: ['full', 'branch'], SHSTK: ['full', 'return'] };

export function featureWord(ctx: CheckContext, type: typeof GNU_PROPERTY.X86_FEATURE_1_AND | typeof GNU_PROPERTY.AARCH64_FEATURE_1_AND): { word: number | undefined; errors: readonly string[] } {
  const props = ctx.elf.gnuProperties;
  return { word: ctx.elf.featureBits(type), errors: props.errors };
}

/** What the recorded flags say about a feature: every unit asked, some did, or none did. */
export function recordedRequest(ctx: CheckContext, pick: (o: string) => string | undefined, wants: readonly string[], fallback: string): { all: boolean; some: boolean; evidence: string } | undefined {
  const r = ctx.recorded;
  if (!hasRecordedOptions(r)) return undefined;
  if (r.units.length > 0) {
    const counts = familyValues(r, pick, fallback);
    const yes = [...counts.entries()].filter(([v]) => wants.includes(v)).reduce((n, [, c]) => n + c, 0);
    return { all: yes === r.units.length, some: yes > 0, evidence: `${describeRecorded(r, counts, (v) => (v === fallback ? 'without the option' : `with ${v}`))}` };
  }
  const set = commandLineValues(r, pick);
  const yes = [...set].some((v) => wants.includes(v));
  return { all: yes && [...set].every((v) => wants.includes(v)), some: yes, evidence: set.size === 0 ? '.GCC.command.line names no such option' : `.GCC.command.line names ${[...set].join(', ')}` };
}

function cetVerdict(ctx: CheckContext, feature: CetFeature): Verdict {
  const kind = ctx.kind;
  if (!ctx.isX86) return notApplicable(`${ctx.machineName}: Intel CET (${feature}) exists only on x86`);
  if (kind === 'core' || kind === 'other-elf') return notApplicable(ctx.kindInfo.evidence);
  if (ctx.isGo) return notApplicable(`Go binary (${ctx.toolchain.go?.evidence ?? ''}): the Go toolchain does not support CET`);
  const bit = feature === 'IBT' ? X86_FEATURE_1.IBT : X86_FEATURE_1.SHSTK;
  const { word, errors } = featureWord(ctx, GNU_PROPERTY.X86_FEATURE_1_AND);
  const damaged = errors.length > 0 ? ` (note problems: ${errors.join('; ')})` : '';
  const remedy =
    feature === 'IBT'
      ? 'compile every object with -fcf-protection=full (or =branch); link with -Wl,-z,cet-report=error to name the objects that lack the property'
      : 'compile every object with -fcf-protection=full (or =return); link with -Wl,-z,cet-report=error to name the objects that lack the property';
  if (word !== undefined && (word & bit) !== 0) {
    return pass(`GNU_PROPERTY_X86_FEATURE_1_AND 0x${word.toString(16)} (${flagNames(X86_FEATURE_1, word).join(', ')}): ${feature} enabled`);
  }
  const seen = word === undefined ? 'no GNU_PROPERTY_X86_FEATURE_1_AND property' : `GNU_PROPERTY_X86_FEATURE_1_AND 0x${word.toString(16)} without ${feature}`;
  const rec = recordedRequest(ctx, cfProtectionOption, WANTS[feature], 'none');
  if (rec !== undefined && rec.some) {
    const who = kind === 'object' ? 'an input of this object (an assembly file?)' : 'an input object (e.g. crt1.o/crti.o of a C library built without CET, as on Debian 12, or an assembly file)';
    return fail(`${seen}${damaged}; ${rec.evidence}: the code asked for ${feature}, but ${who} lacked the property, so the linker dropped the bit`, remedy);
  }
  const tail = rec === undefined ? '' : `; ${rec.evidence}`;
  return fail(`${seen}${damaged}${tail}`, remedy);
}

export const cetIbtCheck: CheckDefinition<CheckContext> = {
  id: 'cet-ibt',
  title: 'CET indirect branch tracking (IBT)',
  category: 'hardening',
  description:
    'With IBT, indirect calls and jumps must land on an ENDBR instruction, which limits the gadgets available to jump-oriented attacks. The loader enables it only when the executable and every library carry the IBT property.',
  remedy: 'compile and link every object with -fcf-protection=full',
  evaluate: (ctx) => cetVerdict(ctx, 'IBT'),
};

export const cetShstkCheck: CheckDefinition<CheckContext> = {
  id: 'cet-shstk',
  title: 'CET shadow stack (SHSTK)',
  category: 'hardening',
  description:
    'With a shadow stack the CPU keeps a second, protected copy of return addresses and faults when they differ, defeating return-oriented programming. It is enabled only when the executable and every library carry the SHSTK property.',
  remedy: 'compile and link every object with -fcf-protection=full',
  evaluate: (ctx) => cetVerdict(ctx, 'SHSTK'),
};
