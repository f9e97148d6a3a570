/**
 * Non-executable stack. The kernel and glibc's loader look at PT_GNU_STACK: with PF_X the
 * stack (and, for a library, every thread stack of the process that loads it) is executable.
 * When several PT_GNU_STACK headers exist the last one wins (the kernel's loop overwrites).
 * Without one, the architecture's default applies: glibc's DEFAULT_STACK_PERMS is PF_R|PF_W
 * on aarch64, riscv, ia64, loongarch, csky, nios2 and tilegx, and includes PF_X elsewhere.
 * A relocatable object marks its wish with a `.note.GNU-stack` section: without
 * SHF_EXECINSTR it asks for a non-executable stack; a missing note lets the linker assume an
 * executable one on the same architectures.
 */
import { type CheckContext } from './context.js';
import { EM, PF, PT, SHF } from '../elf/index.js';
import { type CheckDefinition } from './types.js';
import { fail, notApplicable, pass } from './verdict.js';

const NON_EXEC_DEFAULT: ReadonlySet<number> = new Set([EM.AARCH64, EM.RISCV, EM.IA_64, EM.LOONGARCH, EM.CSKY, EM.ALTERA_NIOS2, EM.TILEGX]);

/** True when a missing PT_GNU_STACK / .note.GNU-stack means a non-executable stack here. */
export function stackNonExecByDefault(machine: number): boolean {
  return NON_EXEC_DEFAULT.has(machine);
}

const REMEDY = 'link with -Wl,-z,noexecstack, and find the object that asks for an executable stack (an assembly file without .section .note.GNU-stack,"",@progbits, or a nested function needing trampolines)';

export const nxCheck: CheckDefinition<CheckContext> = {
  id: 'nx',
  title: 'Non-executable stack',
  category: 'hardening',
  description:
    'The stack must not be executable, so injected code on the stack cannot run. PT_GNU_STACK without PF_X says so; an executable stack in any loaded library makes the stacks of the whole process executable.',
  remedy: REMEDY,
  evaluate(ctx) {
    const kind = ctx.kind;
    const arch = ctx.machineName;
    if (kind === 'object') {
      const note = ctx.elf.section('.note.GNU-stack');
      if (note === undefined) {
        if (stackNonExecByDefault(ctx.machine)) return pass(`no .note.GNU-stack section; the ${arch} default is a non-executable stack`);
        return fail(`no .note.GNU-stack section: the linker assumes this object needs an executable stack (${arch} default)`, 'compile with -Wa,--noexecstack, or add .section .note.GNU-stack,"",@progbits to assembly sources');
      }
      if ((note.flags & SHF.EXECINSTR) !== 0) return fail('.note.GNU-stack has SHF_EXECINSTR: this object asks for an executable stack', REMEDY);
      return pass('.note.GNU-stack without SHF_EXECINSTR: non-executable stack requested');
    }
    if (kind === 'core' || kind === 'other-elf') return notApplicable(ctx.kindInfo.evidence);
    const stacks = ctx.elf.segments(PT.GNU_STACK);
    const last = stacks[stacks.length - 1];
    if (last === undefined) {
      if (stackNonExecByDefault(ctx.machine)) return pass(`no PT_GNU_STACK; the ${arch} default is a non-executable stack`);
      return fail(`no PT_GNU_STACK program header: the stack is executable by default on ${arch}`, 'link with -Wl,-z,noexecstack');
    }
    const which = stacks.length > 1 ? `last of ${stacks.length} PT_GNU_STACK headers (the one the kernel honours)` : 'PT_GNU_STACK';
    if ((last.flags & PF.X) !== 0) {
      // MIPS linkers have long marked stacks executable by default (FPU branch emulation once
      // ran trampolines there); the mark is still what the kernel and glibc obey.
      const mips = ctx.machine === EM.MIPS ? ' (the MIPS default of older toolchains; modern kernels no longer need it)' : '';
      return fail(`${which} has PF_X: executable stack${mips}`, REMEDY);
    }
    return pass(`${which} without PF_X: non-executable stack`);
  },
};
