/**
 * Text relocations: DT_TEXTREL (or DF_TEXTREL in DT_FLAGS) means the loader must write into
 * code pages to relocate them, so they are writable for a while and not shared between
 * processes. It comes from non-PIC code linked into a PIE or a shared library.
 */
import { type CheckContext } from './context.js';
import { isLoadableKind } from './facts/kind.js';
import { DF, DT } from '../elf/index.js';
import { type CheckDefinition } from './types.js';
import { fail, notApplicable, pass, unknown } from './verdict.js';

export const textrelCheck: CheckDefinition<CheckContext> = {
  id: 'textrel',
  title: 'No text relocations',
  category: 'hardening',
  description:
    'Text relocations make the loader write into code pages at start-up: the code is briefly writable, cannot be shared between processes, and SELinux forbids it (execmod). They come from objects compiled without -fPIC/-fPIE.',
  remedy: 'compile every object with -fPIC (libraries) or -fPIE (executables); link with -Wl,-z,text to make any text relocation an error',
  evaluate(ctx) {
    if (!isLoadableKind(ctx.kind)) return notApplicable(`${ctx.kindInfo.evidence}: text relocations are a property of linked files`);
    if (ctx.dynamicError !== undefined) return unknown(`dynamic section unreadable: ${ctx.dynamicError}`);
    const d = ctx.dynamic;
    if (d === undefined) return pass('no dynamic section: no run-time relocations');
    const forms: string[] = [];
    if (d.has(DT.TEXTREL)) forms.push('DT_TEXTREL');
    if ((d.flags & DF.TEXTREL) !== 0) forms.push('DF_TEXTREL in DT_FLAGS');
    if (forms.length > 0) return fail(`${forms.join(' and ')}: the loader writes into code pages`, textrelCheck.remedy);
    return pass('no DT_TEXTREL or DF_TEXTREL');
  },
};
