/**
 * Immediate binding: every symbol is resolved at start-up (DT_BIND_NOW, DF_BIND_NOW in DT_FLAGS
 * or DF_1_NOW in DT_FLAGS_1, tested as bit masks), so no GOT entry needs to stay writable for
 * lazy binding, and RELRO can cover all of them.
 */
import { type CheckContext } from './context.js';
import { isLoadableKind, isStaticKind } from './facts/kind.js';
import { DF, DF_1, DT, EM } from '../elf/index.js';
import { type CheckDefinition } from './types.js';
import { fail, notApplicable, pass, unknown } from './verdict.js';

export interface BindingFacts {
  /** Immediate binding requested in any of the three forms. */
  readonly now: boolean;
  /** No PLT relocations (DT_JMPREL absent or empty): nothing could be bound lazily anyway. */
  readonly noLazyBindings: boolean;
  readonly evidence: string;
}

export function bindingFacts(ctx: CheckContext): BindingFacts {
  const d = ctx.dynamic;
  if (d === undefined) return { now: false, noLazyBindings: true, evidence: 'no dynamic section' };
  if (isStaticKind(ctx.kind) && !d.has(DT.BIND_NOW) && (d.flags & DF.BIND_NOW) === 0 && (d.flags1 & DF_1.NOW) === 0) {
    // A static-pie relocates itself at start-up (its PLT entries are IRELATIVE): no loader binds anything later.
    return { now: false, noLazyBindings: true, evidence: 'no DT_BIND_NOW, DF_BIND_NOW or DF_1_NOW, but a static-pie relocates itself once at start-up' };
  }
  const forms: string[] = [];
  if (d.has(DT.BIND_NOW)) forms.push('DT_BIND_NOW');
  if ((d.flags & DF.BIND_NOW) !== 0) forms.push('DF_BIND_NOW in DT_FLAGS');
  if ((d.flags1 & DF_1.NOW) !== 0) forms.push('DF_1_NOW in DT_FLAGS_1');
  // MIPS binds lazily through its GOT (DT_MIPS_LOCAL_GOTNO / DT_MIPS_GOTSYM), with no DT_JMPREL.
  const jmprel = (d.has(DT.JMPREL) && (d.get(DT.PLTRELSZ) ?? 1) > 0) || ctx.machine === EM.MIPS;
  if (forms.length > 0) return { now: true, noLazyBindings: !jmprel, evidence: forms.join(', ') };
  return {
    now: false,
    noLazyBindings: !jmprel,
    evidence: jmprel
      ? `no DT_BIND_NOW, DF_BIND_NOW or DF_1_NOW; ${ctx.machine === EM.MIPS ? 'MIPS GOT entries' : 'PLT relocations (DT_JMPREL)'} are bound lazily`
      : 'no DT_BIND_NOW, DF_BIND_NOW or DF_1_NOW, and no PLT relocations (no DT_JMPREL)',
  };
}

export const bindnowCheck: CheckDefinition<CheckContext> = {
  id: 'bindnow',
  title: 'Immediate binding (BIND_NOW)',
  category: 'hardening',
  description:
    'With immediate binding the loader resolves every symbol at start-up, so the GOT can be made read-only (full RELRO) instead of staying writable for lazy binding.',
  remedy: 'link with -Wl,-z,now',
  evaluate(ctx) {
    const kind = ctx.kind;
    if (!isLoadableKind(kind)) return notApplicable(`${ctx.kindInfo.evidence}: binding is done by the loader for linked files`);
    if (ctx.dynamicError !== undefined) return unknown(`dynamic section unreadable: ${ctx.dynamicError}`);
    const b = bindingFacts(ctx);
    if (b.now) return pass(b.evidence);
    if (ctx.dynamic === undefined || isStaticKind(kind)) {
      return notApplicable(`${ctx.kindInfo.evidence}: ${b.evidence}; no loader binds symbols in a static binary`);
    }
    if (b.noLazyBindings) return pass(`${b.evidence}: nothing is bound lazily`);
    return fail(b.evidence, 'link with -Wl,-z,now');
  },
};
