/**
 * What a linker building a shared object would make of the relocations of one relocatable
 * object: which of them it refuses or turns into text relocations, and which show how the code
 * was compiled. Pure: it reads the object through `ElfFile` and the architecture's table, and
 * never throws for a malformed object (an unreadable piece becomes a `problems` entry).
 *
 * The rules, per relocation in an allocated section (non-allocated sections — debug info — are
 * never loaded). In .eh_frame the linker rewrites absolute pointers to code and to LSDAs (local
 * targets) relative to their place, as MIPS unwind tables need even in PIC code; an absolute
 * pointer to a preemptible personality routine (-fno-pic code with -fexceptions, C++) it cannot
 * rewrite, and refuses it or makes it a text relocation, like anywhere else:
 *  - `absolute-part` against anything but a constant: refused (no dynamic relocation fits);
 *  - `absolute` in a read-only section: a text relocation; in a writable one, a dynamic
 *    relocation (fine);
 *  - `pc-relative` against a symbol that may be preempted (global or weak, default visibility,
 *    defined or not): refused or a text relocation in a read-only section; in writable data
 *    fine where the architecture has run-time PC-relative relocations, uncertain elsewhere;
 *  - `tls-local-exec`: always wrong in a shared object (`tls-local-exec-word`: only in a
 *    read-only section);
 *  - every other kind is position-independent.
 * A relocation is *telling* when it shows how the code was compiled: it goes through the GOT,
 * is a dynamic TLS access, or refers to a global symbol. An object whose relocations all refer
 * to its own local symbols looks the same compiled with or without -fPIC.
 */
import { type ElfFile } from '../file.js';
import { type Relocation } from '../relocation.js';
import { type SectionHeader, SHF, SHN, SHT } from '../section.js';
import { STB, STT, STV, type Symbol } from '../symbol.js';
import { type RelocKind, type RelocTable } from './kinds.js';

/** Why a relocation keeps the object out of a shared object. */
export type Blocker = 'absolute' | 'text-relocation' | 'preemptible' | 'tls-local-exec';

/** One relocation, described for evidence. */
export interface RelocationSite {
  readonly type: number;
  readonly typeName: string;
  readonly kind: RelocKind | undefined;
  /** The section the relocation applies to (`.text`). */
  readonly section: string;
  /** Offset in that section. */
  readonly offset: number;
  /** The symbol in words: `global 'counter'`, `undefined 'g'`, `section .rodata`. */
  readonly symbol: string;
}

export interface Offender extends RelocationSite {
  readonly blocker: Blocker;
}

export interface SharedLinkAudit {
  /** Relocations judged (those in allocated sections). */
  readonly relocations: number;
  /** Relocation sections judged. */
  readonly sections: number;
  /** How many relocations keep the object out of a shared object, and the first few. */
  readonly offenders: number;
  readonly offenderSamples: readonly Offender[];
  readonly blockers: ReadonlyMap<Blocker, number>;
  /** Relocations that show how the code was compiled (see the module comment). */
  readonly telling: number;
  /** Relocations whose fate in a shared object is not known here, and the first few. */
  readonly uncertain: number;
  readonly uncertainSamples: readonly RelocationSite[];
  /** Count per relocation type of the relocations judged. */
  readonly byType: ReadonlyMap<number, number>;
  /** Types missing from the table, with counts. */
  readonly unknownTypes: ReadonlyMap<number, number>;
  /** Unreadable relocation sections, symbol indexes out of range... */
  readonly problems: readonly string[];
}

export interface AuditOptions {
  /** Offending (and uncertain) relocations described in full; the rest are counted. */
  readonly maxSamples?: number;
}

const KINDS_THAT_TELL: ReadonlySet<RelocKind> = new Set<RelocKind>(['got', 'tls-dynamic', 'tls-initial-exec']);
/** Kinds that say nothing about the symbol they name (markers, low halves judged through their high half). */
const SILENT_KINDS: ReadonlySet<RelocKind> = new Set<RelocKind>(['none', 'page-offset', 'dynamic', 'uncertain']);

/**
 * Symbols every link defines itself, inside the output: the GOT base (i386, Arm, AArch64
 * -fpic), the PowerPC64 TOC base, MIPS's gp. Objects refer to them as undefined globals.
 */
const LINKER_DEFINED: ReadonlySet<string> = new Set(['_GLOBAL_OFFSET_TABLE_', '.TOC.', '_gp', '_gp_disp', '__gnu_local_gp']);

/** Does this symbol bind inside the shared object it is linked into (so nothing can preempt it)? */
export function bindsLocally(sym: Symbol): boolean {
  if (sym.bind === STB.LOCAL) return true;
  if (sym.shndx === SHN.UNDEF && LINKER_DEFINED.has(sym.name)) return true;
  // Hidden, internal and protected symbols resolve inside the library.
  return sym.visibility !== STV.DEFAULT;
}

/** The symbol as evidence names it. */
export function describeSymbol(sym: Symbol | undefined, index: number, sections: readonly SectionHeader[]): string {
  if (index === 0) return 'no symbol';
  if (sym === undefined) return `symbol ${index} (not in the symbol table)`;
  if (sym.type === STT.SECTION) {
    const s = sym.shndx < SHN.LORESERVE ? sections[sym.shndx] : undefined;
    return s === undefined ? `section symbol ${index}` : `section ${s.name || `[${s.index}]`}`;
  }
  const name = `'${sym.name}'`;
  if (sym.bind === STB.LOCAL) return `local ${name}`;
  const vis = sym.visibility === STV.HIDDEN ? 'hidden ' : sym.visibility === STV.PROTECTED ? 'protected ' : sym.visibility === STV.INTERNAL ? 'internal ' : '';
  const bind = sym.bind === STB.WEAK ? 'weak' : sym.bind === STB.GNU_UNIQUE ? 'unique' : 'global';
  if (sym.shndx === SHN.UNDEF) return `undefined ${vis}${sym.bind === STB.WEAK ? 'weak ' : ''}${name}`;
  return `${vis}${bind} ${name}`;
}

/** The sections whose relocations a shared link has to apply: the allocated ones. */
function judgedTarget(target: SectionHeader | undefined): boolean {
  return target !== undefined && (target.flags & SHF.ALLOC) !== 0;
}

export function auditSharedLink(elf: ElfFile, table: RelocTable, options: AuditOptions = {}): SharedLinkAudit {
  const problems: string[] = [];
  const sections = elf.sections;
  let symbols: readonly Symbol[] = [];
  try {
    symbols = elf.symbols('symtab');
  } catch (e) {
    problems.push(`symbol table unreadable: ${message(e)}`);
  }
  const tally = new Tally(table, symbols, sections, options.maxSamples ?? 5);
  let judgedSections = 0;
  for (const rs of sections) {
    if (rs.type !== SHT.REL && rs.type !== SHT.RELA) continue;
    const target = rs.info > 0 ? sections[rs.info] : undefined;
    if (!judgedTarget(target) || target === undefined) {
      if (target === undefined) problems.push(`${rs.name || `section [${rs.index}]`}: sh_info ${rs.info} names no section`);
      continue;
    }
    let relocs;
    try {
      relocs = elf.relocations(rs);
    } catch (e) {
      problems.push(`${rs.name || `section [${rs.index}]`} unreadable: ${message(e)}`);
      continue;
    }
    judgedSections++;
    tally.judge(relocs, target);
  }
  const t = tally;
  if (t.badSymbols > 0) problems.push(`${t.badSymbols} relocations name symbols past the end of the symbol table (first: ${t.firstBadSymbol})`);
  return {
    relocations: t.relocations,
    sections: judgedSections,
    offenders: t.offenders,
    offenderSamples: t.offenderSamples,
    blockers: t.blockers,
    telling: t.telling,
    uncertain: t.uncertain,
    uncertainSamples: t.uncertainSamples,
    byType: t.byType,
    unknownTypes: t.unknownTypes,
    problems,
  };
}

/**
 * The counts of an audit, added to section by section. The loop over a section's relocations
 * is a method of its own: V8 compiles it while it runs (the Go toolchain's objects hold
 * 100,000s of relocations), and compiling it inside the whole audit cost ~70 ms per thread.
 */
class Tally {
  relocations = 0;
  offenders = 0;
  telling = 0;
  uncertain = 0;
  badSymbols = 0;
  firstBadSymbol = -1;
  readonly offenderSamples: Offender[] = [];
  readonly uncertainSamples: RelocationSite[] = [];
  readonly blockers = new Map<Blocker, number>();
  readonly byType = new Map<number, number>();
  /**
   * Per symbol, decided once (names are decoded only for undefined globals): 1 binds locally,
   * 2 may be preempted, 3 stands for the GOT base. Objects refer to few symbols many times.
   */
  private readonly symbolClass: Uint8Array;
  private readonly pcRelativeInData: boolean;

  constructor(
    private readonly table: RelocTable,
    private readonly symbols: readonly Symbol[],
    private readonly sections: readonly SectionHeader[],
    private readonly maxSamples: number,
  ) {
    this.symbolClass = new Uint8Array(symbols.length);
    this.pcRelativeInData = table.rules.pcRelativeInWritableData === true;
  }

  judge(relocs: readonly Relocation[], target: SectionHeader): void {
    const writable = (target.flags & SHF.WRITE) !== 0;
    const ehFrame = target.name === '.eh_frame';
    for (let j = 0; j < relocs.length; j++) {
      const r = relocs[j];
      if (r === undefined) continue;
      this.relocations++;
      this.byType.set(r.type, (this.byType.get(r.type) ?? 0) + 1);
      let kind = this.table.kind(r.type);
      // Types the table lacks are counted in byType and listed once the loop is done
      // (`unknownTypes`): a branch here that ran only on the first such relocation threw away
      // the loop's optimised code.
      if (kind === undefined) continue;
      const sym = r.symbol === 0 ? undefined : this.symbols[r.symbol];
      if (r.symbol !== 0 && sym === undefined) {
        // A symbol index past the table: the object is damaged; judge nothing from it.
        if (this.badSymbols++ === 0) this.firstBadSymbol = r.symbol;
        this.uncertain++;
        continue;
      }
      const symClass = sym === undefined ? 1 : this.classify(r.symbol, sym);
      if (symClass === 3) kind = 'got';
      if (KINDS_THAT_TELL.has(kind) || (!SILENT_KINDS.has(kind) && sym !== undefined && sym.bind !== STB.LOCAL)) this.telling++;
      const f = fate(kind, sym, symClass !== 2, writable, ehFrame, this.pcRelativeInData);
      if (f !== undefined) this.note(f, r, kind, sym, target);
    }
  }

  /** Counts of the relocation types the table has no rule for, in the order they first came. */
  get unknownTypes(): Map<number, number> {
    const out = new Map<number, number>();
    for (const [type, n] of this.byType) if (this.table.kind(type) === undefined) out.set(type, n);
    return out;
  }

  private classify(index: number, sym: Symbol): number {
    let c = this.symbolClass[index] ?? 0;
    if (c === 0) {
      const gotBase = this.table.rules.gotBaseSymbols;
      c = gotBase !== undefined && sym.shndx === SHN.UNDEF && sym.bind !== STB.LOCAL && gotBase.has(sym.name) ? 3 : bindsLocally(sym) ? 1 : 2;
      this.symbolClass[index] = c;
    }
    return c;
  }

  /** Counts a relocation that is not fine, described in full while there are few. */
  private note(f: Blocker | 'unsure', r: Relocation, kind: RelocKind, sym: Symbol | undefined, target: SectionHeader): void {
    if (f === 'unsure') {
      this.uncertain++;
      if (this.uncertainSamples.length < this.maxSamples) this.uncertainSamples.push(this.site(r, kind, sym, target));
      return;
    }
    this.offenders++;
    this.blockers.set(f, (this.blockers.get(f) ?? 0) + 1);
    if (this.offenderSamples.length < this.maxSamples) this.offenderSamples.push({ ...this.site(r, kind, sym, target), blocker: f });
  }

  private site(r: Relocation, kind: RelocKind, sym: Symbol | undefined, target: SectionHeader): RelocationSite {
    return {
      type: r.type,
      typeName: this.table.name(r.type) ?? `${this.table.prefix}<0x${r.type.toString(16)}>`,
      kind,
      section: target.name || `[${target.index}]`,
      offset: r.offset,
      symbol: describeSymbol(sym, r.symbol, this.sections),
    };
  }
}

/**
 * What a shared link makes of one relocation of `kind` (the rules of the module comment): the
 * reason it keeps the object out, 'unsure', or undefined when it is fine. Apart from the loop
 * over relocations: V8 compiles that loop on its own while it runs (the Go toolchain's
 * objects hold 100,000s of relocations), and a smaller loop costs less to compile.
 */
function fate(kind: RelocKind, sym: Symbol | undefined, local: boolean, writable: boolean, ehFrame: boolean, pcRelativeInData: boolean): Blocker | 'unsure' | undefined {
  switch (kind) {
    case 'absolute-part':
      return !isConstant(sym) && !(ehFrame && local) ? 'absolute' : undefined;
    case 'absolute':
      return !isConstant(sym) && !writable && !(ehFrame && local) ? 'text-relocation' : undefined;
    case 'pc-relative':
      if (local) return undefined;
      if (!writable) return 'preemptible';
      return pcRelativeInData ? undefined : 'unsure';
    case 'tls-local-exec':
      return 'tls-local-exec';
    case 'tls-local-exec-word':
      return writable ? undefined : 'tls-local-exec';
    case 'dynamic':
    case 'uncertain':
      return 'unsure';
    default:
      return undefined;
  }
}

/**
 * A value that does not move with the load address: no symbol at all (the addend is the
 * value), or a local absolute symbol.
 */
function isConstant(sym: Symbol | undefined): boolean {
  return sym === undefined || (sym.shndx === SHN.ABS && sym.bind === STB.LOCAL && sym.type !== STT.TLS);
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
