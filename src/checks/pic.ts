/**
 * Position-independent code in a relocatable object (`.o`, archive member): can it be linked
 * into a shared library? Decided by its relocations (facts/pic-relocations.ts) in allocated
 * sections (debug sections legitimately hold absolute 32-bit references, and .eh_frame refers to
 * local symbols only):
 *  - pass (value `pic`): no relocation that a shared library cannot take;
 *  - fail (value `non-pic`): absolute addresses or local-exec TLS (compiled without -fPIC/-fPIE),
 *    or full-width absolute addresses in code (text relocations);
 *  - fail (value `pie`): only PC-relative references to global default-visibility symbols — what
 *    -fPIE does: fine in a PIE, not in a shared library;
 *  - unknown: no relocation that could tell (an object referring to nothing cannot be told apart),
 *    or an architecture without a table here.
 * Linked files are not applicable (see textrel for their counterpart).
 */
import { type CheckContext } from './context.js';
import { relocationTable } from './facts/pic-relocations.js';
import { SHF, SHN, SHT, STB, STT, STV, type Symbol } from '../elf/index.js';
import { type CheckDefinition, type Verdict } from './types.js';
import { fail, listNames, notApplicable, pass, plural, unknown } from './verdict.js';

const REMEDY = 'compile with -fPIC';

interface Finding {
  /** non-pic: unusable even in a PIE; pie: usable in a PIE only. */
  readonly cls: 'non-pic' | 'pie';
  readonly text: string;
}

export const picCheck: CheckDefinition<CheckContext> = {
  id: 'pic',
  title: 'Position-independent code (objects)',
  category: 'hardening',
  description:
    'A relocatable object that goes into a shared library (or a static archive that may be linked into one) must be compiled position-independent; otherwise the link fails, or succeeds with text relocations.',
  remedy: REMEDY,
  evaluate(ctx): Verdict {
    if (ctx.kind !== 'object') return notApplicable(`${ctx.kindInfo.evidence}: the pic check is about relocatable objects (textrel covers linked files)`);
    const rt = relocationTable(ctx.machine);
    if (rt === undefined) return unknown(`no relocation table for ${ctx.machineName} here`);
    const elf = ctx.elf;
    const sections = elf.sections;
    const symtab = elf.symbols('symtab');
    const name = (s: Symbol | undefined): string => {
      if (s === undefined) return 'symbol ?';
      if (s.type === STT.SECTION) return sections[s.shndx]?.name ?? 'a section';
      return s.name === '' ? 'symbol ?' : `\`${s.name}'`;
    };
    const findings: Finding[] = [];
    const used = new Map<string, number>();
    let considered = 0;
    for (const rs of sections) {
      if (rs.type !== SHT.RELA && rs.type !== SHT.REL) continue;
      const target = sections[rs.info];
      if (target === undefined || (target.flags & SHF.ALLOC) === 0) continue;
      const inCode = (target.flags & SHF.EXECINSTR) !== 0;
      for (const r of elf.relocations(rs)) {
        const tname = rt.names.get(r.type) ?? `type ${r.type}`;
        const cls = rt.classes.get(r.type);
        if (cls === undefined) continue;
        considered++;
        used.set(tname, (used.get(tname) ?? 0) + 1);
        const sym = symtab[r.symbol];
        const where = `in ${target.name || `section ${target.index}`}`;
        if (cls === 'absolute') findings.push({ cls: 'non-pic', text: `${tname} against ${name(sym)} ${where}` });
        else if (cls === 'absolute-in-code' && inCode) findings.push({ cls: 'non-pic', text: `${tname} against ${name(sym)} ${where} (a text relocation)` });
        else if (cls === 'pc-relative-global' && sym !== undefined && sym.type !== STT.SECTION && sym.bind !== STB.LOCAL && sym.visibility === STV.DEFAULT && target.name !== '.eh_frame') {
          // An undefined symbol reached PC-relatively (not through the GOT or PLT) relies on a
          // copy relocation: -fno-pic code, or -fPIE on x86-64. A defined one is what -fPIE does.
          if (sym.shndx === SHN.UNDEF && !rt.pieCopyRelocations) findings.push({ cls: 'non-pic', text: `${tname} against undefined ${name(sym)} ${where} (not through the GOT)` });
          else findings.push({ cls: 'pie', text: `${tname} against global ${name(sym)} ${where}` });
        }
      }
    }
    const usedText = [...used.entries()].sort((a, b) => b[1] - a[1]).map(([n, c]) => `${c} ${n}`).join(', ');
    if (findings.length > 0) {
      const absolute = findings.filter((f) => f.cls === 'non-pic');
      const shown = (absolute.length > 0 ? absolute : findings).map((f) => f.text);
      const head = `${listNames(shown, 3)}`;
      if (absolute.length > 0) return fail(`${head}: not position-independent (${plural(findings.length, 'such relocation')}; ${usedText})`, REMEDY, 'non-pic');
      return fail(`${head}: position-independent for an executable (-fPIE) but not for a shared library (${usedText})`, REMEDY, 'pie');
    }
    if (considered === 0) return unknown('no relocations that tell position-independent code from the rest (an object that refers to nothing looks the same either way)');
    return pass(`every relocation can go into a shared library (${usedText})`, 'pic');
  },
};
