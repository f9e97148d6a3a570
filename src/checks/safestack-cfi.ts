/**
 * Clang's SafeStack (`__safestack_init`, from the runtime linked into the executable) and
 * control-flow integrity (`__cfi_check`, `__cfi_slowpath`, `__cfi_slowpath_diag` for the
 * cross-DSO mode, `__ubsan_handle_cfi_check_fail` for diagnostics). Information: only clang has
 * them, and plain -fsanitize=cfi (not cross-DSO) leaves no symbol at all.
 */
import { type CheckContext } from './context.js';
import { type CheckDefinition, type Verdict } from './types.js';
import { notApplicable, pass } from './verdict.js';

const SAFESTACK = ['__safestack_init', '__safestack_unsafe_stack_ptr'];
const CFI = ['__cfi_check', '__cfi_slowpath', '__cfi_slowpath_diag', '__cfi_check_fail', '__ubsan_handle_cfi_check_fail', '__ubsan_handle_cfi_check_fail_abort'];

export const safestackCfiCheck: CheckDefinition<CheckContext> = {
  id: 'safestack-cfi',
  title: 'SafeStack / Clang CFI',
  category: 'information',
  description: "Clang's SafeStack (a separate stack for unsafe objects) and control-flow integrity (indirect calls checked against their expected type).",
  remedy: 'with clang: -fsanitize=safe-stack, or -flto -fvisibility=hidden -fsanitize=cfi',
  evaluate(ctx): Verdict {
    if (ctx.kind === 'core') return notApplicable(ctx.kindInfo.evidence);
    const syms = ctx.symbols;
    const has = (n: string): boolean => syms.has(n);
    const ss = SAFESTACK.filter(has);
    const cfi = CFI.filter(has);
    const found: string[] = [];
    const why: string[] = [];
    if (ss.length > 0) {
      found.push('safestack');
      why.push(`SafeStack: ${ss.join(', ')}`);
    }
    if (cfi.length > 0) {
      found.push('cfi');
      why.push(`CFI: ${cfi.join(', ')}`);
    }
    if (found.length === 0) return pass('no SafeStack or cross-DSO CFI symbols (single-module -fsanitize=cfi leaves none)', 'none');
    return pass(why.join('; '), found.join(', '));
  },
};
