/**
 * No memory both writable and executable: a PT_LOAD with PF_W and PF_X (or a PT_TLS with
 * PF_X, whose template is copied to writable memory and would be executable too) gives an
 * attacker a place to write code and run it. For a relocatable object, a section with both
 * SHF_WRITE and SHF_EXECINSTR ("awx") will end up in such a segment.
 */
import { type CheckContext } from './context.js';
import { PF, PT, SHF, progFlagsString } from '../elf/index.js';
import { type CheckDefinition } from './types.js';
import { fail, listNames, notApplicable, pass } from './verdict.js';

const REMEDY = 'remove the writable and executable section (an .section "...","awx" in assembly, or a linker script placing code and data together); do not link with -N/--omagic';

export const rwxCheck: CheckDefinition<CheckContext> = {
  id: 'rwx',
  title: 'No writable and executable segments',
  category: 'hardening',
  description:
    'No part of the file should be mapped writable and executable at the same time (W^X): such memory lets an attacker write code and run it.',
  remedy: REMEDY,
  evaluate(ctx) {
    const kind = ctx.kind;
    if (kind === 'object') {
      const bad = ctx.elf.sections.filter((s) => (s.flags & SHF.WRITE) !== 0 && (s.flags & SHF.EXECINSTR) !== 0);
      if (bad.length > 0) return fail(`section${bad.length > 1 ? 's' : ''} ${listNames(bad.map((s) => s.name || `[${s.index}]`))} with SHF_WRITE and SHF_EXECINSTR`, REMEDY);
      return pass('no section is both writable (SHF_WRITE) and executable (SHF_EXECINSTR)');
    }
    if (kind === 'core' || kind === 'other-elf') return notApplicable(ctx.kindInfo.evidence);
    const phdrs = ctx.elf.programHeaders;
    const bad: string[] = [];
    for (const p of phdrs) {
      const wx = (p.flags & PF.W) !== 0 && (p.flags & PF.X) !== 0;
      if (p.type === PT.LOAD && wx) bad.push(`PT_LOAD[${p.index}] at 0x${p.vaddr.toString(16)} is ${progFlagsString(p.flags).trim()}`);
      if (p.type === PT.TLS && (p.flags & PF.X) !== 0) bad.push(`PT_TLS[${p.index}] has PF_X`);
    }
    if (bad.length > 0) return fail(bad.join('; '), REMEDY);
    const loads = phdrs.filter((p) => p.type === PT.LOAD).length;
    if (loads === 0) return notApplicable('no PT_LOAD segments: nothing is mapped');
    return pass(`none of ${loads} PT_LOAD segments is both writable and executable`);
  },
};
