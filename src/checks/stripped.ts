/** Whether the link-time symbol table (.symtab) was removed. Information, not a verdict. */
import { type CheckContext } from './context.js';
import { type CheckDefinition, type Verdict } from './types.js';
import { notApplicable, pass } from './verdict.js';

export const strippedCheck: CheckDefinition<CheckContext> = {
  id: 'stripped',
  title: 'Stripped',
  category: 'information',
  description: 'Whether the symbol table (.symtab) was removed. A stripped file hides which functions it defines, and static binaries then hide their stack-protector and fortify use.',
  remedy: 'keep the symbol table (or ship it in a separate debug file) when symbol-based checks must be answered',
  evaluate(ctx): Verdict {
    if (ctx.kind === 'core') return notApplicable(ctx.kindInfo.evidence);
    const sections = ctx.elf.sections;
    if (sections.length === 0) return pass(`no section headers at all (sstripped): no .symtab`, 'yes');
    const syms = ctx.symbols;
    if (syms.hasSymtab) return pass(`.symtab with ${syms.symtabCount} symbols: not stripped`, 'no');
    const dyn = syms.dynsymFrom === 'none' ? 'no dynamic symbols either' : `${syms.dynsymCount} dynamic symbols remain`;
    return pass(`no .symtab (${dyn})`, 'yes');
  },
};
