/**
 * Stack protector (canaries). An instrumented function calls __stack_chk_fail when its canary
 * was overwritten, so a dynamically linked file imports it (or __stack_chk_fail_local, the
 * i386/ppc -fPIC helper; __stack_chk_guard where the canary is a global, as on aarch64;
 * __intel_security_cookie with Intel's compiler). In a static binary the symbol is *defined*,
 * and glibc's own objects are built with canaries, so its presence proves only that libc has it:
 * the recorded compile flags decide, or the verdict is unknown. The strength
 * (-fstack-protector, -strong, -all) is visible only in the recorded flags.
 */
import { type CheckContext } from './context.js';
import { isStaticKind } from './facts/kind.js';
import { describeRecorded, familyValues, hasRecordedOptions, stackProtectorOption, commandLineValues } from './facts/recorded-flags.js';
import { type CheckDefinition, type Verdict } from './types.js';
import { fail, listNames, notApplicable, pass, unknown } from './verdict.js';

const MARKS = ['__stack_chk_fail', '__stack_chk_fail_local', '__stack_chk_guard', '__intel_security_cookie'];
const REMEDY = 'compile with -fstack-protector-strong';

const STRENGTH_WORDS: Readonly<Record<string, string>> = {
  none: 'with -fno-stack-protector',
  basic: 'with -fstack-protector',
  strong: 'with -fstack-protector-strong',
  all: 'with -fstack-protector-all',
  explicit: 'with -fstack-protector-explicit',
  default: 'with no -fstack-protector option (the compiler default)',
};

interface RecordedStrength {
  /** Summary for evidence ("12 units with -fstack-protector-strong"). */
  readonly evidence: string;
  /** The single strength when every unit agrees (strong, all, basic...), else "mixed". */
  readonly value: string | undefined;
  /** Every unit asked for canaries (basic/strong/all; explicit only protects marked functions). */
  readonly allProtected: boolean;
  /** Some unit explicitly disabled them or had no option. */
  readonly someUnprotected: boolean;
  /** Every unit explicitly disabled them (-fno-stack-protector). */
  readonly allNone: boolean;
}

function recordedStrength(ctx: CheckContext): RecordedStrength | undefined {
  const r = ctx.recorded;
  if (!hasRecordedOptions(r)) return undefined;
  if (r.units.length > 0) {
    const counts = familyValues(r, stackProtectorOption, 'default');
    const keys = [...counts.keys()];
    const protecting = (k: string): boolean => k === 'basic' || k === 'strong' || k === 'all';
    return {
      evidence: `${describeRecorded(r, counts, (v) => STRENGTH_WORDS[v] ?? v)}`,
      value: keys.length === 1 ? keys[0] : 'mixed',
      allProtected: keys.every(protecting),
      someUnprotected: keys.some((k) => k === 'none' || k === 'default'),
      allNone: keys.every((k) => k === 'none'),
    };
  }
  const set = commandLineValues(r, stackProtectorOption);
  if (set.size === 0) return { evidence: '.GCC.command.line names no -fstack-protector option', value: undefined, allProtected: false, someUnprotected: true, allNone: false };
  const values = [...set];
  return {
    evidence: `.GCC.command.line names ${values.map((v) => STRENGTH_WORDS[v]?.replace(/^with /, '') ?? v).join(', ')}`,
    value: values.length === 1 ? values[0] : 'mixed',
    allProtected: values.every((k) => k === 'basic' || k === 'strong' || k === 'all'),
    someUnprotected: values.some((k) => k === 'none'),
    allNone: values.every((k) => k === 'none'),
  };
}

function withStrength(base: string, s: RecordedStrength | undefined): { evidence: string; value: string | undefined } {
  if (s === undefined) return { evidence: base, value: undefined };
  return { evidence: `${base}; ${s.evidence}`, value: s.value };
}

export const stackProtectorCheck: CheckDefinition<CheckContext> = {
  id: 'stack-protector',
  title: 'Stack protector',
  category: 'hardening',
  description:
    'Functions with local buffers get a canary between their locals and the return address, checked before returning, so a linear stack overflow aborts the program instead of hijacking it.',
  remedy: REMEDY,
  evaluate(ctx): Verdict {
    const kind = ctx.kind;
    if (kind === 'core' || kind === 'other-elf') return notApplicable(ctx.kindInfo.evidence);
    const syms = ctx.symbols;
    const imported = MARKS.filter((n) => syms.imported.has(n));
    if (ctx.isGo) {
      if (imported.length > 0) return pass(`imports ${imported.join(', ')} (C code linked through cgo)`);
      return notApplicable(`Go binary (${ctx.toolchain.go?.evidence ?? ''}): the Go compiler does not use stack canaries; stacks are bounds-checked and grown by the runtime`);
    }
    if (imported.length > 0) {
      const s = recordedStrength(ctx);
      const { evidence, value } = withStrength(`imports ${imported.join(', ')}`, s);
      return pass(s?.someUnprotected === true ? `${evidence} (some units built without canaries)` : evidence, value ?? 'yes');
    }
    if (ctx.isRust) return notApplicable(`Rust binary (${ctx.toolchain.rust?.evidence ?? ''}): rustc does not emit stack canaries (memory safety is by construction); no C code here imports __stack_chk_fail`);

    const staticKind = isStaticKind(kind);
    // A static binary defines the functions in .symtab; a C library exports them itself (so
    // does glibc's libc.so.6 in its separate debug file, through .symtab: see `exports`).
    const defined = MARKS.filter((n) => (staticKind ? syms.defines(n) : kind !== 'object' && syms.exports(n)));
    const s = recordedStrength(ctx);
    if (staticKind || defined.length > 0) {
      // The C library itself (static, or libc.so) defines the symbol: it proves nothing about this code.
      const what = staticKind ? 'static binary' : 'this file defines the canary functions itself (a C library)';
      if (defined.length > 0) {
        const base = `${what}: ${listNames(defined)} defined, which only shows that the C library supports canaries`;
        if (s?.allProtected === true) return pass(`${base}; ${s.evidence}`, s.value);
        if (s?.allNone === true) return fail(`${base}; ${s.evidence}`, REMEDY);
        return unknown(s === undefined ? `${base}; no recorded compile flags to tell whether this code has canaries` : `${base}; ${s.evidence}`, 'build with -g or -frecord-gcc-switches so the flags are recorded');
      }
      if (!syms.hasSymtab) {
        return unknown(`${what} without a symbol table (stripped): canary use cannot be seen`, 'keep the symbol table, or build with -frecord-gcc-switches');
      }
      return fail(`${what}: no ${MARKS.slice(0, 2).join(' or ')} in the symbol table`, REMEDY);
    }
    if (syms.dynsymFrom === 'none' && !syms.hasSymtab) return unknown('no symbol table at all: imports cannot be seen');
    if (s?.allProtected === true) {
      return pass(`no ${MARKS[0]} imported, ${s.evidence}: no function needed a canary`, s.value);
    }
    const tail = s === undefined ? '' : `; ${s.evidence}`;
    if (kind === 'object' && s?.allNone !== true) {
      // One object often has no function with a local array: it then has no canary either way.
      return unknown(`no ${MARKS[0]} referenced: no function in this object got a canary, which happens with the flag too when none has a local array${tail}`, REMEDY);
    }
    return fail(`no ${listNames(MARKS)} imported: no function was compiled with a canary${tail} (a program without local arrays gets none even with the flag)`, REMEDY);
  },
};
