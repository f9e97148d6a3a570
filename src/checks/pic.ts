/**
 * Position-independent code in relocatable objects (`.o`, static archive members named
 * `libfoo.a!bar.o`): can this object be linked into a shared object? Decided from its
 * relocations, the way the linker decides (src/elf/reloc-types/shared-link.ts, with one table
 * per architecture from its psABI), and agreed with `gcc -shared` on every architecture in
 * test/pic:
 *  - fail: relocations a shared object cannot take — absolute addresses, PC-relative
 *    references to preemptible symbols, TLS local-exec, absolute words in read-only sections
 *    (text relocations, which some linkers accept with a warning or silently: still a failure,
 *    the library would have DT_TEXTREL). The evidence names the first few (type, symbol,
 *    section, offset) and counts the rest.
 *  - pass: every relocation is position-independent, and some of them show how the code was
 *    compiled (a global reference or a GOT access), or the recorded compile flags say -fPIC.
 *  - unknown: nothing tells — an object that refers only to itself (or to nothing) looks the
 *    same compiled either way —, or relocation types this audit cannot judge.
 *  - not-applicable: linked files (their counterpart is `pie` and `textrel`), and kernel
 *    objects, which go into the kernel rather than into a shared object.
 * MIPS objects are audited the same way, and also fail when e_flags says -mno-abicalls.
 */
import { type CheckContext } from './context.js';
import { EM, type ElfFile, machineConstName } from '../elf/index.js';
import { mipsAbicalls, relocationTable, relocationTypeName } from '../elf/reloc-types/index.js';
import { auditSharedLink, type Blocker, type RelocationSite, type SharedLinkAudit } from '../elf/reloc-types/shared-link.js';
import { type CheckDefinition, type Verdict } from './types.js';
import { fail, notApplicable, pass, plural, unknown } from './verdict.js';

const REMEDY = 'recompile with -fPIC';

/** Sections only the Linux kernel's objects carry (modules and built-in code alike): by name... */
const KERNEL_SECTIONS = new Set(['.modinfo', '.gnu.linkonce.this_module', '.altinstructions']);
/** ...and by prefix (`__ksymtab_gpl`, `__ex_table`...). */
const KERNEL_SECTION_PREFIXES = ['__ksymtab', '___ksymtab', '__ex_table', '__bug_table'];

const BLOCKER_WORDS: Readonly<Record<Blocker, [string, string]>> = {
  absolute: ['absolute address', 'absolute addresses'],
  'text-relocation': ['text relocation', 'text relocations'],
  preemptible: ['PC-relative reference to a preemptible symbol', 'PC-relative references to preemptible symbols'],
  'tls-local-exec': ['TLS local-exec access', 'TLS local-exec accesses'],
};

export const picCheck: CheckDefinition<CheckContext> = {
  id: 'pic',
  title: 'Position-independent code (objects and archive members)',
  category: 'hardening',
  description:
    'A relocatable object, or a static archive member, that may end up in a shared library must be compiled with -fPIC: otherwise the link fails ("relocation ... can not be used when making a shared object; recompile with -fPIC") or the library gets text relocations. Judged from the relocations the object holds, per architecture.',
  remedy: REMEDY,
  evaluate(ctx): Verdict {
    if (ctx.kind !== 'object') return notApplicable(`${ctx.kindInfo.evidence}: position independence is audited in relocatable objects; for linked files see the pie and textrel checks`);
    const elf = ctx.elf;
    const kernel = kernelSection(elf);
    if (kernel !== undefined) return notApplicable(`${kernel} section: Linux kernel code, linked into the kernel rather than into a shared object`);
    if (isSlimLto(elf)) return unknown('GCC LTO bytecode only (.gnu.lto_* sections, __gnu_lto_slim): the code and its relocations are generated at link time');
    const table = relocationTable(ctx.machine, elf.header.is64);
    if (table === undefined) return unknown(`no relocation table for ${ctx.machineName} (${machineConstName(ctx.machine)}, ELFCLASS${elf.header.is64 ? 64 : 32}) here: position independence cannot be judged`);
    const audit = auditSharedLink(elf, table);
    if (ctx.machine === EM.MIPS && !mipsAbicalls(elf.header.flags)) return nonAbicalls(audit, elf.header.flags);
    return verdictOf(audit, ctx);
  },
};

/**
 * A MIPS object without EF_MIPS_PIC or EF_MIPS_CPIC was compiled -mno-abicalls: its calls do
 * not set up $t9 and $gp as shared code must, whatever its relocations say.
 */
function nonAbicalls(a: SharedLinkAudit, eFlags: number): Verdict {
  const also = a.offenders > 0 ? `; and ${offenderText(a)}` : '';
  return fail(`e_flags 0x${eFlags.toString(16)} has neither EF_MIPS_PIC nor EF_MIPS_CPIC: compiled -mno-abicalls, outside the shared-object ABI (ld warns "linking abicalls files with non-abicalls files")${also}`, REMEDY);
}

function offenderText(a: SharedLinkAudit): string {
  const counts = [...a.blockers.entries()].map(([b, n]) => `${n} ${BLOCKER_WORDS[b][n === 1 ? 0 : 1]}`).join(', ');
  const rest = a.offenders - a.offenderSamples.length;
  const shown = a.offenderSamples.map(site).join('; ') + (rest > 0 ? `; … (${rest} more)` : '');
  return `${plural(a.offenders, 'relocation')} a shared object cannot take (${counts}): ${shown}`;
}

/** The verdict of an audit. */
function verdictOf(a: SharedLinkAudit, ctx: CheckContext): Verdict {
  const problems = a.problems.length > 0 ? `; ${a.problems.slice(0, 3).join('; ')}${a.problems.length > 3 ? ` and ${a.problems.length - 3} more problems` : ''}` : '';
  if (a.offenders > 0) {
    const remedy = a.blockers.has('tls-local-exec') ? `${REMEDY}, and without -ftls-model=local-exec` : REMEDY;
    return fail(`${offenderText(a)}${problems}`, remedy);
  }
  if (a.unknownTypes.size > 0) {
    const types = [...a.unknownTypes.entries()].map(([t, n]) => `${relocationTypeName(ctx.machine, t, ctx.elf.header.is64)} (${n}×)`);
    return unknown(`relocation types this audit has no rule for: ${types.slice(0, 5).join(', ')}${types.length > 5 ? ` and ${types.length - 5} more` : ''}${problems}`);
  }
  if (a.uncertain > 0) {
    const rest = a.uncertain - a.uncertainSamples.length;
    return unknown(`${plural(a.uncertain, 'relocation')} whose fate in a shared object is not confirmed here: ${a.uncertainSamples.map(site).join('; ')}${rest > 0 ? `; … (${rest} more)` : ''}${problems}`);
  }
  const types = typeCounts(a, ctx);
  if (a.telling > 0) return pass(`${plural(a.relocations, 'relocation')} in allocated sections, all position-independent (${types})${problems}`);
  const seen = a.relocations === 0 ? 'no relocations in allocated sections' : `${plural(a.relocations, 'relocation')}, all against the object's own local symbols (${types})`;
  const flags = recordedPic(ctx);
  if (flags.verdict === 'pic') return pass(`${seen}; recorded compile flags: ${flags.text}${problems}`);
  const recorded = flags.text === '' ? '' : `; recorded compile flags: ${flags.text}`;
  return unknown(`${seen}: nothing tells -fPIC code from the rest, though it would link into a shared object as it is${recorded}${problems}`);
}

/** `R_X86_64_PC32 against global 'counter' in .text at 0x1b`. */
function site(s: RelocationSite): string {
  return `${s.typeName} against ${s.symbol} in ${s.section} at 0x${s.offset.toString(16)}`;
}

/** The most used types, with counts: `12 R_X86_64_PLT32, 3 R_X86_64_REX_GOTPCRELX`. */
function typeCounts(a: SharedLinkAudit, ctx: CheckContext): string {
  const sorted = [...a.byType.entries()].sort((x, y) => y[1] - x[1] || x[0] - y[0]);
  const shown = sorted.slice(0, 5).map(([t, n]) => `${n} ${relocationTypeName(ctx.machine, t, ctx.elf.header.is64)}`);
  return sorted.length > 5 ? `${shown.join(', ')}, …` : shown.join(', ');
}

function kernelSection(elf: ElfFile): string | undefined {
  // Objects built with -ffunction-sections have thousands of sections: one set look-up each,
  // and prefix comparisons only for the names that start with "__".
  for (const s of elf.sections) {
    const name = s.name;
    if (name.startsWith('__')) {
      for (const p of KERNEL_SECTION_PREFIXES) if (name.startsWith(p)) return name;
    } else if (KERNEL_SECTIONS.has(name)) {
      return name;
    }
  }
  return undefined;
}

/** A slim LTO object: GCC's IR sections and no code of its own. */
function isSlimLto(elf: ElfFile): boolean {
  if (!elf.sections.some((s) => s.name.startsWith('.gnu.lto_'))) return false;
  try {
    return elf.symbols('symtab').some((s) => s.name === '__gnu_lto_slim');
  } catch {
    return false;
  }
}

/** -fPIC/-fPIE/-fno-pic as recorded, the last such option of each unit deciding. */
const PIC_OPTION = /^-f(no-)?(pic|PIC|pie|PIE)$/;

/**
 * The PIC options recorded in .GCC.command.line (-frecord-gcc-switches). DW_AT_producer is left
 * out: in a relocatable object its string is reached through .rela.debug_info, which the DWARF
 * reader does not apply, so what it reads there is not the producer.
 */
function recordedPic(ctx: CheckContext): { verdict: 'pic' | 'other' | 'none'; text: string } {
  const r = ctx.recorded;
  const perUnit = r.units.filter((u) => u.source === '.GCC.command.line').map((u) => u.options);
  const lists = perUnit.length > 0 ? perUnit : r.commandLine !== undefined && r.commandLine.length > 0 ? [r.commandLine] : [];
  if (lists.length === 0) return { verdict: 'none', text: '' };
  const last = lists.map((opts) => [...opts].reverse().find((o) => PIC_OPTION.test(o)));
  const distinct = [...new Set(last.map((o) => o ?? 'no -fpic/-fpie option'))];
  const allPic = last.every((o) => o === '-fPIC' || o === '-fpic');
  const where = lists.length === 1 ? '' : ` (${lists.length} units)`;
  return { verdict: allPic ? 'pic' : 'other', text: `${distinct.join(', ')}${where} (.GCC.command.line)` };
}
