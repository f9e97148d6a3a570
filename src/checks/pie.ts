/**
 * PIE: an executable built position-independent is loaded at a random address (ASLR of the
 * main program). The ELF type and the loader marks decide (facts/kind.ts).
 */
import { type CheckContext } from './context.js';
import { type CheckDefinition } from './types.js';
import { fail, notApplicable, pass } from './verdict.js';

const REMEDY = 'compile with -fPIE and link with -pie';

export const pieCheck: CheckDefinition<CheckContext> = {
  id: 'pie',
  title: 'Position Independent Executable',
  category: 'hardening',
  description:
    'A position-independent executable (ET_DYN) is loaded at a random address, so code-reuse attacks cannot rely on fixed addresses in the main program. A fixed-address executable (ET_EXEC) defeats ASLR for its own code and data.',
  remedy: REMEDY,
  evaluate(ctx) {
    const k = ctx.kindInfo;
    switch (k.kind) {
      case 'pie-executable':
      case 'static-pie':
      case 'runnable-shared-library':
        return pass(k.evidence);
      case 'executable':
      case 'static-executable':
        if (ctx.isGo) return fail(`${k.evidence}; Go (${ctx.toolchain.go?.evidence ?? ''})`, 'build with go build -buildmode=pie');
        return fail(k.evidence, k.kind === 'static-executable' ? 'compile with -fPIE and link with -static-pie (or link dynamically with -pie)' : REMEDY);
      case 'shared-library':
        return notApplicable(`${k.evidence}: PIE is a property of executables (a library is position-independent by construction)`);
      case 'object':
        return notApplicable(`${k.evidence}: PIE is decided at link time (see the pic check)`);
      default:
        return notApplicable(k.evidence);
    }
  },
};
