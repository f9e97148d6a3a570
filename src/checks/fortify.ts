/**
 * FORTIFY_SOURCE: with -D_FORTIFY_SOURCE and optimisation, glibc's headers turn calls whose
 * destination size the compiler knows into checked variants (`__memcpy_chk`...). The symbols
 * show which fortifiable functions are called checked (protected) and which plain
 * (unprotected). Verdicts:
 *   only protected → pass; both → pass, "partial" (calls the compiler proved safe stay plain, or
 *   some units lacked the flag); only unprotected → fail, unless every one of them is a mem*
 *   function the compiler often proves safe → unknown; none → not-applicable.
 * The level (2 or 3) is not visible in symbols, and gcc does not record -D options.
 * musl has no `__*_chk` functions (fortify-headers check inline): not-applicable there.
 */
import { type CheckContext } from './context.js';
import { isStaticKind } from './facts/kind.js';
import { FORTIFY_NAMES, fortifyUse, OFTEN_PROVEN_SAFE } from './facts/fortify-functions.js';
import { familyValues, hasRecordedOptions, optimisationOption } from './facts/recorded-flags.js';
import { type CheckDefinition, type Verdict } from './types.js';
import { fail, listNames, notApplicable, pass, unknown } from './verdict.js';

const REMEDY = 'compile with -O2 -D_FORTIFY_SOURCE=3 (or =2 with older compilers)';

/** "protected: a, b; unprotected: c" */
function lists(protectedNames: readonly string[], unprotectedNames: readonly string[]): string {
  const parts: string[] = [];
  if (protectedNames.length > 0) parts.push(`protected (${protectedNames.length}): ${listNames(protectedNames, 12)}`);
  if (unprotectedNames.length > 0) parts.push(`unprotected (${unprotectedNames.length}): ${listNames(unprotectedNames, 12)}`);
  return parts.join('; ');
}

/** A note when the recorded flags say the code was built without optimisation. */
function optimisationNote(ctx: CheckContext): string {
  const r = ctx.recorded;
  if (!hasRecordedOptions(r) || r.units.length === 0) return '';
  const counts = familyValues(r, optimisationOption, '0');
  const o0 = counts.get('0') ?? 0;
  if (o0 === 0) return '';
  const all = o0 === r.units.length;
  return `; ${all ? 'every unit was' : `${o0} of ${r.units.length} units were`} compiled at -O0, where _FORTIFY_SOURCE has no effect`;
}

export const fortifyCheck: CheckDefinition<CheckContext> = {
  id: 'fortify',
  title: 'FORTIFY_SOURCE',
  category: 'hardening',
  description:
    'With _FORTIFY_SOURCE, calls to string, memory and I/O functions whose buffer sizes the compiler knows go through checked variants that abort on overflow instead of corrupting memory.',
  remedy: REMEDY,
  evaluate(ctx): Verdict {
    const kind = ctx.kind;
    if (kind === 'core' || kind === 'other-elf') return notApplicable(ctx.kindInfo.evidence);
    const syms = ctx.symbols;
    const tc = ctx.toolchain;
    const staticKind = isStaticKind(kind);
    // In a static binary the functions are linked in (defined), not imported.
    const use = fortifyUse(staticKind ? syms.definedAmong(FORTIFY_NAMES) : syms.imported);
    const p = use.protectedNames;
    const u = use.unprotectedNames;

    if (p.length === 0 && u.length === 0 && !staticKind) return notApplicable('no fortifiable C library function is imported');
    if (ctx.isGo && p.length === 0) return notApplicable(`Go binary (${tc.go?.evidence ?? ''}): Go code does not call C string functions through glibc's headers`);
    if (ctx.isRust && p.length === 0) return notApplicable(`Rust binary (${tc.rust?.evidence ?? ''}): Rust does not use C headers, so _FORTIFY_SOURCE cannot apply`);
    if (tc.libc === 'musl' && p.length === 0) {
      return notApplicable(`musl C library (${tc.libcEvidence}): musl has no __*_chk functions; fortify-headers, when used, check inline and leave no trace in symbols`);
    }
    if (staticKind) {
      if (!syms.hasSymtab) return unknown('static binary without a symbol table (stripped): fortified calls cannot be seen');
      if (p.length > 0) return pass(`static binary linking in the checked variants (only calls pull them in): ${lists(p, [])}`, 'yes');
      return unknown(`static binary: no checked variant linked in${u.length > 0 ? `, and the plain functions are always there for libc's own use` : ''}; calls cannot be told apart in a static binary`);
    }
    if (syms.dynsymFrom === 'none' && !syms.hasSymtab) return unknown('no symbol table at all: imports cannot be seen');

    const evidence = lists(p, u);
    if (p.length > 0 && u.length === 0) return pass(`only checked variants imported: ${evidence}`, 'yes');
    if (p.length > 0) return pass(`partial: ${evidence} (the compiler keeps plain calls it proves safe; units built without fortify also call them plain)`, 'partial');
    if (u.length === 0) return notApplicable('no fortifiable C library function is imported');
    const note = optimisationNote(ctx);
    if (u.every((n) => OFTEN_PROVEN_SAFE.has(n))) {
      return unknown(`only ${listNames(u)} imported, which the compiler calls plain whenever it proves the size fits: fortify cannot be told${note}`, REMEDY);
    }
    return fail(`no checked variant imported; ${evidence}${note}`, note === '' ? REMEDY : 'compile with optimisation (-O2) and -D_FORTIFY_SOURCE=3');
  },
};
