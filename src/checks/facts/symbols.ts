/**
 * The symbol names checks ask about, read cheaply. A large C++ library has 100,000 exported
 * names and a binary with a symbol table many more; decoding them all would dominate the scan,
 * while the checks need only (a) the *imported* names (undefined symbols: what the file calls
 * in other objects — few) and (b) whether a handful of particular names are *defined*. So the
 * tables are read raw (name offset, section index, type per entry), only undefined names are
 * decoded, the reserved names checks ask about (`isReserved`) are noted as the table is read,
 * and "is X defined" for any other X is answered by a native byte search for X in the string
 * table followed by a look-up of that string offset among the defined entries.
 *
 * A file whose section headers were stripped (sstrip) still has its dynamic symbols, found
 * through DT_SYMTAB and the hash tables (decoded in full: such files are rare).
 */
import { ByteSearcher } from '../../code/byte-search.js';
import { ET, type ElfFile, type SectionHeader, SHN, SHT, STT, SYM_LAYOUT, type Symbol } from '../../elf/index.js';
import { decodeBytes, getString } from '../../elf/strings.js';
import { readTable } from '../../elf/table.js';
import { errorMessage } from '../verdict.js';

const AT = 0x40;

/** One symbol table, kept raw. */
interface RawTable {
  readonly strtab: Uint8Array;
  /** st_name of each entry. */
  readonly nameOff: Uint32Array;
  /** True when the entry defines its name (st_shndx != SHN_UNDEF) and names code or data. */
  readonly defined: Uint8Array;
  /** Names of undefined entries (a set from the start: `SymbolFacts.imported` hands it out as it is). */
  readonly imported: Set<string>;
  /** Indexes of the defined entries with a reserved name (`isReserved`; see `reservedNames`). */
  readonly reservedAt: number[];
  readonly count: number;
  /** Lazily: defined reserved names (every runtime name checks ask about). */
  reserved?: Set<string>;
  /** The same names as a list, in table order (for prefix searches: see `firstWithPrefixes`). */
  reservedList?: string[];
  searcher?: ByteSearcher;
}

/**
 * A RawTable with its lazily filled fields present from the start: every table then has one
 * shape, so code V8 optimised for the first tables it met still fits the later ones (adding
 * the fields on first use gave tables of several shapes, and threw that code away).
 */
function rawTable(strtab: Uint8Array, nameOff: Uint32Array, defined: Uint8Array, imported: Set<string>, reservedAt: number[], count: number): RawTable {
  return { strtab, nameOff, defined, imported, reservedAt, count, reserved: undefined, reservedList: undefined, searcher: undefined };
}

/** Entries the reader decoded (the DT_SYMTAB fallback), with a string table rebuilt for them. */
function fromSymbols(syms: readonly Symbol[]): RawTable {
  const parts: string[] = [''];
  let off = 1;
  const nameOff = new Uint32Array(syms.length);
  const defined = new Uint8Array(syms.length);
  const imported = new Set<string>();
  const reservedAt: number[] = [];
  syms.forEach((s, i) => {
    nameOff[i] = off;
    parts.push(s.name);
    off += s.name.length + 1;
    const useful = s.name !== '' && s.type !== STT.SECTION && s.type !== STT.FILE;
    if (useful && s.shndx === SHN.UNDEF) imported.add(s.name);
    defined[i] = useful && s.shndx !== SHN.UNDEF ? 1 : 0;
    if (defined[i] === 1 && isReserved(s.name)) reservedAt.push(i);
  });
  const strtab = new TextEncoder().encode(parts.join('\0') + '\0');
  return rawTable(strtab, nameOff, defined, imported, reservedAt, syms.length);
}

function readRaw(elf: ElfFile, sec: SectionHeader): RawTable {
  const d = elf.decoder;
  const entsize = sec.entsize === 0 ? d.sizeOf(SYM_LAYOUT) : sec.entsize;
  const count = Math.floor(sec.size / Math.max(entsize, 1));
  const bytes = readTable(elf.source, elf.limits, `symbol table [${sec.index}] ${sec.name}`, sec.offset, entsize, count, d.sizeOf(SYM_LAYOUT));
  const strSec = elf.sections[sec.link];
  const strtab = strSec !== undefined && strSec.type === SHT.STRTAB ? elf.sectionData(strSec) : new Uint8Array(0);
  const nameOff = new Uint32Array(count);
  const defined = new Uint8Array(count);
  const imported = new Set<string>();
  const reservedAt: number[] = [];
  // This loop visits every entry of tables with 100,000s of them: the field positions are
  // looked up once (st_name is 4 bytes, st_info 1, st_shndx 2 in both classes), and the fields
  // read through a DataView (readTable checked that count * entsize bytes are there).
  const f = SYM_LAYOUT.fields;
  const oName = d.offsetOf(f.name);
  const oInfo = d.offsetOf(f.info);
  const oShndx = d.offsetOf(f.shndx);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = d.littleEndian;
  const len = strtab.length;
  for (let i = 1; i < count; i++) {
    const base = i * entsize;
    const name = view.getUint32(base + oName, le);
    const type = view.getUint8(base + oInfo) & 0xf;
    const shndx = view.getUint16(base + oShndx, le);
    nameOff[i] = name;
    if (name === 0 || type === STT.SECTION || type === STT.FILE) continue;
    if (shndx === SHN.UNDEF) {
      const n = getString(strtab, name);
      if (n === undefined) continue;
      imported.add(withoutVersion(n));
    } else {
      defined[i] = 1;
      // isReserved on the bytes: "__", or "rust_". Every test runs for every name, with no
      // branch that only a rare name takes (a name starting "ru", one at the end of the table):
      // V8 compiles this loop while it runs, and an operation that had never run by then threw
      // the compiled loop away when it first did (once or twice per worker, ~25 ms of
      // compiling each time). Bytes past the end of the table read as 0.
      const w = (name < len ? strtab[name]! : 0) | ((name + 1 < len ? strtab[name + 1]! : 0) << 8) | ((name + 2 < len ? strtab[name + 2]! : 0) << 16) | ((name + 3 < len ? strtab[name + 3]! : 0) << 24);
      const c4 = name + 4 < len ? strtab[name + 4]! : 0;
      if ((w & 0xffff) === RESERVED_LE || ((w ^ RUST_LE) | (c4 ^ 0x5f)) === 0) reservedAt.push(i);
    }
  }
  return rawTable(strtab, nameOff, defined, imported, reservedAt, count);
}

/** A name without the version .symtab names carry since binutils 2.35 ("puts@GLIBC_2.2.5", "foo@@V2"). */
function withoutVersion(name: string): string {
  const at = name.indexOf('@');
  return at > 0 ? name.slice(0, at) : name;
}

/** "__" and "rust" as the first bytes of a name, read as a little-endian word. */
const RESERVED_LE = 0x5f5f;
const RUST_LE = 0x74737572;

/**
 * The names noted while a table is read, so that checks can ask about them without a search:
 * the C runtime's and compilers' reserved names ("__stack_chk_fail", "__asan_init"), and
 * Rust's runtime names, which lack that mark ("rust_begin_unwind", "rust_eh_personality"): a
 * search for those read every C file's string tables, where "rust_" is common (OpenSSL's
 * "*_trust_*" names).
 */
function isReserved(name: string): boolean {
  return name.startsWith('__') || name.startsWith('rust_');
}

/** True when some defined entry has st_name `offset` (a native search of the name offsets). */
function definesOffset(t: RawTable, offset: number): boolean {
  for (let i = t.nameOff.indexOf(offset, 1); i >= 0; i = t.nameOff.indexOf(offset, i + 1)) if (t.defined[i] === 1) return true;
  return false;
}

/**
 * Defined reserved names (`isReserved`), decoded once: the names checks ask about
 * (__stack_chk_fail, __asan_*, __cfi_check, rust_begin_unwind...) all have that form, and in
 * C++ libraries almost no other defined name does (theirs start with "_Z"), so this set stays
 * small where a full decode would not.
 */
function reservedNames(t: RawTable): Set<string> {
  if (t.reserved === undefined) decodeReserved(t);
  return t.reserved ?? new Set();
}

/** `reservedNames` as a list, in table order. */
function reservedList(t: RawTable): readonly string[] {
  if (t.reservedList === undefined) decodeReserved(t);
  return t.reservedList ?? [];
}

function decodeReserved(t: RawTable): void {
  const set = new Set<string>();
  const list: string[] = [];
  const str = t.strtab;
  for (let k = 0; k < t.reservedAt.length; k++) {
    const i = t.reservedAt[k] ?? 0;
    const off = t.nameOff[i] ?? 0;
    let end = str.indexOf(0, off);
    if (end < 0) end = str.length;
    const name = withoutVersion(decodeBytes(str, off, end));
    if (set.has(name)) continue;
    set.add(name);
    list.push(name);
  }
  t.reserved = set;
  t.reservedList = list;
}

/**
 * For each prefix not found yet (`found[i]` undefined), notes the first of `names` that starts
 * with it; returns how many prefixes are still not found. A plain loop over an array: the
 * sanitizers check runs it on every file, and a closure iterating arrays and sets alike was
 * compiled by V8 for both iteration protocols, twice per worker (~40 ms of compiling each).
 */
function firstWithPrefixes(names: readonly string[], prefixes: readonly string[], found: (string | undefined)[], left: number): number {
  for (let k = 0; k < names.length && left > 0; k++) {
    const n = names[k] ?? '';
    for (let i = 0; i < prefixes.length; i++) {
      if (found[i] !== undefined || !n.startsWith(prefixes[i] ?? '')) continue;
      found[i] = n;
      left--;
    }
  }
  return left;
}

function searcher(t: RawTable): ByteSearcher {
  if (t.searcher === undefined) t.searcher = new ByteSearcher(t.strtab);
  return t.searcher;
}

/** Needles are a handful of fixed names: encode each once. */
const needles = new Map<string, Uint8Array>();
function ascii(s: string): Uint8Array {
  let b = needles.get(s);
  if (b === undefined) {
    b = Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);
    if (needles.size < 1024) needles.set(s, b);
  }
  return b;
}

/** Most occurrences of a needle examined in one string table. */
const MAX_HITS = 10_000;

/** True when a defined entry of `t` is named `name` (optionally with an @version). */
function tableDefines(t: RawTable, name: string): boolean {
  if (isReserved(name)) return reservedNames(t).has(name);
  const s = searcher(t);
  const needle = ascii(name);
  let hits = 0;
  for (let i = s.indexOf(needle, 0); i >= 0 && hits < MAX_HITS; i = s.indexOf(needle, i + 1), hits++) {
    const next = t.strtab[i + needle.length];
    if (next !== 0 && next !== AT) continue;
    // The entry may point at this string or (tail merging) into it at exactly this offset.
    if (definesOffset(t, i)) return true;
  }
  return false;
}

/** A defined name of `t` starting with `prefix`, or undefined. */
function tableDefinesPrefix(t: RawTable, prefix: string): string | undefined {
  if (prefix.startsWith('__')) {
    for (const n of reservedList(t)) if (n.startsWith(prefix)) return n;
    return undefined;
  }
  const s = searcher(t);
  const needle = ascii(`\0${prefix}`);
  let hits = 0;
  for (let i = s.indexOf(needle, 0); i >= 0 && hits < MAX_HITS; i = s.indexOf(needle, i + 1), hits++) {
    if (definesOffset(t, i + 1)) {
      return withoutVersion(getString(t.strtab, i + 1) ?? prefix);
    }
  }
  return undefined;
}

/**
 * True when the bytes of `text` occur anywhere in the table's strings (a name or part of one).
 * With `anchor`, the search is for the (at most 6) bytes of `text` from `anchor` on, and each
 * hit is checked for the whole of `text` around it: Node's search of a short needle is a
 * memchr of its first byte, fast when that byte is rare in the table, and its search of a
 * longer needle is slower. On 16 MB of C++ string tables, `4core9panicking` took 6.2 ms
 * searched whole and 2.4 ms anchored at `9pani`; `\0_ZN3std2rt` 8.4 ms and 2.9 ms at `3std2r`.
 */
function tableMentions(t: RawTable, text: string, anchor: number): boolean {
  const s = searcher(t);
  const whole = ascii(text);
  if (anchor <= 0 || anchor >= text.length) return s.indexOf(whole, 0) >= 0;
  const part = ascii(text.slice(anchor, anchor + 6));
  const table = t.strtab;
  for (let i = s.indexOf(part, anchor); i >= 0; i = s.indexOf(part, i + 1)) {
    const start = i - anchor;
    if (start + whole.length > table.length) return false;
    let k = 0;
    while (k < whole.length && table[start + k] === whole[k]) k++;
    if (k === whole.length) return true;
  }
  return false;
}

export class SymbolFacts {
  private dyn?: RawTable | null;
  private sym?: RawTable | null;
  private dynFrom: '.dynsym' | 'DT_SYMTAB' | 'none' = 'none';
  private importedSet?: ReadonlySet<string>;
  /** Imported names starting with "__", for prefix questions (a C++ library imports thousands of other names). */
  private reservedImports?: string[];
  private readonly problems: string[] = [];

  constructor(private readonly elf: ElfFile) {}

  private section(type: number): SectionHeader | undefined {
    try {
      return this.elf.sections.find((s) => s.type === type);
    } catch (e) {
      this.note('section headers', e);
      return undefined;
    }
  }

  private note(what: string, e: unknown): void {
    const m = `${what} unreadable: ${errorMessage(e)}`;
    if (!this.problems.includes(m)) this.problems.push(m);
  }

  /** The dynamic symbol table (through .dynsym, else DT_SYMTAB). */
  private get dynamicTable(): RawTable | undefined {
    if (this.dyn === undefined) {
      this.dyn = null;
      const sec = this.section(SHT.DYNSYM);
      try {
        if (sec !== undefined) {
          this.dyn = readRaw(this.elf, sec);
          this.dynFrom = '.dynsym';
        } else if (this.elf.dynamic !== undefined) {
          const syms = this.elf.dynamicSymbols();
          if (syms.length > 0) {
            this.dyn = fromSymbols(syms);
            this.dynFrom = 'DT_SYMTAB';
          }
        }
      } catch (e) {
        this.note('dynamic symbols', e);
      }
    }
    return this.dyn ?? undefined;
  }

  /** The link-time symbol table (.symtab), read only when a question needs it. */
  private get symbolTable(): RawTable | undefined {
    if (this.sym === undefined) {
      this.sym = null;
      const sec = this.section(SHT.SYMTAB);
      try {
        if (sec !== undefined) this.sym = readRaw(this.elf, sec);
      } catch (e) {
        this.note('.symtab', e);
      }
    }
    return this.sym ?? undefined;
  }

  /** True when the file has a .symtab section (without reading it). */
  get hasSymtab(): boolean {
    return this.section(SHT.SYMTAB) !== undefined;
  }

  /** Entries in .symtab, from its size (without reading it). */
  get symtabCount(): number {
    const s = this.section(SHT.SYMTAB);
    if (s === undefined) return 0;
    const ent = s.entsize === 0 ? this.elf.decoder.sizeOf(SYM_LAYOUT) : s.entsize;
    return Math.floor(s.size / Math.max(ent, 1));
  }

  get dynsymFrom(): '.dynsym' | 'DT_SYMTAB' | 'none' {
    void this.dynamicTable;
    return this.dynFrom;
  }

  get dynsymCount(): number {
    return this.dynamicTable?.count ?? 0;
  }

  get errors(): readonly string[] {
    return this.problems;
  }

  /**
   * Undefined names. A linked file's imports are all in its dynamic symbols (.symtab repeats
   * them), so .symtab is read only for objects and for files without dynamic symbols.
   */
  get imported(): ReadonlySet<string> {
    if (this.importedSet === undefined) {
      const dyn = this.dynamicTable;
      const sym = dyn === undefined || this.elf.header.type === ET.REL ? this.symbolTable : undefined;
      // Usually one table answers, and its set is handed out as it is (C++ libraries import
      // thousands of names: copying them cost a second set per file).
      if (sym === undefined) this.importedSet = dyn?.imported ?? new Set();
      else if (dyn === undefined) this.importedSet = sym.imported;
      else this.importedSet = new Set([...dyn.imported, ...sym.imported]);
    }
    return this.importedSet;
  }

  /** True when either table defines `name`. */
  defines(name: string): boolean {
    const dyn = this.dynamicTable;
    if (dyn !== undefined && tableDefines(dyn, name)) return true;
    const sym = this.symbolTable;
    return sym !== undefined && tableDefines(sym, name);
  }

  /**
   * True when the file exports `name`: its dynamic symbols define it (.symtab is not read). A
   * file whose dynamic symbols have no contents (a separate debug file: objcopy
   * --only-keep-debug leaves .dynsym NOBITS) shows what its program exports only in .symtab,
   * which answers then.
   */
  exports(name: string): boolean {
    const dyn = this.dynamicTable;
    if (dyn !== undefined) return tableDefines(dyn, name);
    const sym = this.symbolTable;
    return sym !== undefined && tableDefines(sym, name);
  }

  /** True when a name is imported or defined. */
  has(name: string): boolean {
    return this.imported.has(name) || this.defines(name);
  }

  /** A defined or imported name starting with `prefix` (an example), or undefined. */
  withPrefix(prefix: string, tables: 'dynamic' | 'all' = 'all'): string | undefined {
    if (prefix.startsWith('__')) {
      this.reservedImports ??= [...this.imported].filter((n) => n.startsWith('__'));
      for (const n of this.reservedImports) if (n.startsWith(prefix)) return n;
    } else {
      for (const n of this.imported) if (n.startsWith(prefix)) return n;
    }
    const dyn = this.dynamicTable;
    const hit = dyn === undefined ? undefined : tableDefinesPrefix(dyn, prefix);
    if (hit !== undefined || tables === 'dynamic') return hit;
    const sym = this.symbolTable;
    return sym === undefined ? undefined : tableDefinesPrefix(sym, prefix);
  }

  /**
   * `withPrefix(p)` for several prefixes that all start with "__", in one pass over the names
   * instead of one per prefix (the sanitizers check asks for six on every file).
   */
  withPrefixes(prefixes: readonly string[]): (string | undefined)[] {
    // Only "__" names are noted per table (reservedNames); any other prefix takes withPrefix's way.
    if (!prefixes.every((p) => p.startsWith('__'))) return prefixes.map((p) => this.withPrefix(p));
    const found: (string | undefined)[] = prefixes.map(() => undefined);
    this.reservedImports ??= [...this.imported].filter((n) => n.startsWith('__'));
    let left = firstWithPrefixes(this.reservedImports, prefixes, found, prefixes.length);
    const dyn = this.dynamicTable;
    if (left > 0 && dyn !== undefined) left = firstWithPrefixes(reservedList(dyn), prefixes, found, left);
    const sym = this.symbolTable;
    if (left > 0 && sym !== undefined) firstWithPrefixes(reservedList(sym), prefixes, found, left);
    return found;
  }

  /**
   * True when `text` occurs in any symbol name (dynamic or .symtab string table). `anchor`: an
   * index into `text` where a rarer byte starts, to search from (see tableMentions).
   */
  mentions(text: string, anchor = 0): boolean {
    const dyn = this.dynamicTable;
    if (dyn !== undefined && tableMentions(dyn, text, anchor)) return true;
    const sym = this.symbolTable;
    return sym !== undefined && tableMentions(sym, text, anchor);
  }

  /**
   * Which of `names` a defined entry of either table has (without its version). For static
   * binaries, whose C library functions are defined rather than imported. A static Go binary
   * defines 50,000 names, and decoding each into a set cost a string and an entry per name;
   * here a name is decoded only when its first two bytes are some wanted name's.
   */
  definedAmong(names: readonly string[]): ReadonlySet<string> {
    const wanted = wantedNames(names);
    const out = new Set<string>();
    for (const t of [this.dynamicTable, this.symbolTable]) if (t !== undefined) collectDefined(t, wanted, out);
    return out;
  }
}

/** Names looked for among defined ones, with the pairs of bytes they start with (see `pairKey`). */
interface WantedNames {
  readonly names: ReadonlySet<string>;
  /** 1 at `pairKey` of each name. */
  readonly pairs: Uint8Array;
}

/** A name's first two bytes as one number, the second 0 where the name ends (NUL, or "@" before a version). */
function pairKey(first: number, second: number): number {
  return first + 256 * (second === AT ? 0 : second);
}

/** Built once per list (callers pass module constants). */
const wantedLists = new WeakMap<readonly string[], WantedNames>();
function wantedNames(names: readonly string[]): WantedNames {
  let w = wantedLists.get(names);
  if (w === undefined) {
    const pairs = new Uint8Array(65536);
    for (const n of names) pairs[pairKey(n.charCodeAt(0) & 0xff, n.length > 1 ? n.charCodeAt(1) & 0xff : 0)] = 1;
    w = { names: new Set(names), pairs };
    wantedLists.set(names, w);
  }
  return w;
}

function collectDefined(t: RawTable, wanted: WantedNames, out: Set<string>): void {
  const str = t.strtab;
  const pairs = wanted.pairs;
  for (let i = 0; i < t.count; i++) {
    if (t.defined[i] !== 1) continue;
    const off = t.nameOff[i] ?? 0;
    if (off >= str.length) continue;
    const first = str[off] ?? 0;
    if (first === 0 || pairs[pairKey(first, off + 1 < str.length ? (str[off + 1] ?? 0) : 0)] !== 1) continue;
    const name = withoutVersion(getString(str, off) ?? '');
    if (wanted.names.has(name)) out.add(name);
  }
}

export function collectSymbols(elf: ElfFile): SymbolFacts {
  return new SymbolFacts(elf);
}
