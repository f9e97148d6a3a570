/**
 * Sanitizer instrumentation, from the runtime entry points the instrumented code calls
 * (`__asan_`, `__ubsan_`, `__msan_`, `__tsan_`, `__lsan_`, `__hwasan_`) and the runtime
 * libraries it needs. A development build shipped by mistake shows here. Information.
 */
import { type CheckContext } from './context.js';
import { type CheckDefinition, type Verdict } from './types.js';
import { notApplicable, pass } from './verdict.js';

const SANITIZERS: readonly (readonly [string, string, RegExp])[] = [
  ['asan', '__asan_', /^libasan\.so/],
  ['hwasan', '__hwasan_', /^libhwasan\.so/],
  ['msan', '__msan_', /^libmsan\.so/],
  ['tsan', '__tsan_', /^libtsan\.so/],
  ['lsan', '__lsan_', /^liblsan\.so/],
  ['ubsan', '__ubsan_', /^libubsan\.so/],
];

const PREFIXES = SANITIZERS.map(([, prefix]) => prefix);

export const sanitizersCheck: CheckDefinition<CheckContext> = {
  id: 'sanitizers',
  title: 'Sanitizers',
  category: 'information',
  description: 'Whether the code is instrumented by a sanitizer (AddressSanitizer, UBSan, MSan, TSan, LSan, HWASan): useful in testing, not meant for production binaries (ASan in particular weakens a setuid program).',
  remedy: 'build release binaries without -fsanitize (or with -fsanitize-minimal-runtime for UBSan hardening)',
  evaluate(ctx): Verdict {
    if (ctx.kind === 'core') return notApplicable(ctx.kindInfo.evidence);
    const syms = ctx.symbols;
    const needed = ctx.dynamic?.needed ?? [];
    const found: string[] = [];
    const why: string[] = [];
    const examples = syms.withPrefixes(PREFIXES);
    // Indexed loops and reads: this runs on every file, mostly in code V8 has not optimised,
    // where each step of an iterator (array destructuring is one) is an object.
    for (let i = 0; i < SANITIZERS.length; i++) {
      const entry = SANITIZERS[i];
      if (entry === undefined) continue;
      const name = entry[0];
      const lib = entry[2];
      const example = examples[i];
      let libName: string | undefined;
      for (let k = 0; k < needed.length && libName === undefined; k++) if (lib.test(needed[k] ?? '')) libName = needed[k];
      if (example !== undefined || libName !== undefined) {
        found.push(name);
        why.push(`${name}: ${[example === undefined ? undefined : `symbol ${example}`, libName === undefined ? undefined : `NEEDED ${libName}`].filter((x) => x !== undefined).join(', ')}`);
      }
    }
    if (found.length === 0) return pass('no sanitizer runtime symbols (__asan_, __ubsan_, __msan_, __tsan_, __lsan_, __hwasan_) or libraries', 'none');
    return pass(why.join('; '), found.join(', '));
  },
};
