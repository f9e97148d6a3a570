import { type ByteSource } from '../io/byte-source.js';
import { DEFAULT_LIMITS, type Limits } from '../limits.js';
import { type ElfDecoder } from './decoder.js';
import { DT, DF, DF_1, DynamicInfo, type DynEntry, DYN_LAYOUT, parseDynamic } from './dynamic.js';
import { ElfFormatError } from './errors.js';
import { GNU_PROPERTY, type GnuProperty, parseGnuProperties, propertyWord } from './gnu-property.js';
import { countFromGnuHash, countFromSysvHash } from './hash.js';
import { ET, type FileHeader, headerMachineName, PN_XNUM, readFileHeader } from './header.js';
import { iterateNotes, type Note, NT_GNU } from './note.js';
import { parseRelocations, type Relocation, RelocationTable, REL_LAYOUT, RELA_LAYOUT } from './relocation.js';
import { parseSectionHeaders, type SectionHeader, SHDR_LAYOUT, SHF, SHN, SHT } from './section.js';
import { parseProgHeaders, PHDR_LAYOUT, type ProgHeader, PT } from './segment.js';
import { getString } from './strings.js';
import { parseSymbols, type Symbol, SYM_LAYOUT } from './symbol.js';
import { readRange, readTable } from './table.js';
import { parseVerdef, parseVerneed, versionLookup } from './version.js';

/** Which symbol table: the loader's (.dynsym) or the link-time one (.symtab). */
export type SymbolTableKind = 'dynsym' | 'symtab';

/** What was read of a note area: its notes and, if the walk stopped early, why. */
export interface NoteArea {
  readonly from: string;
  readonly notes: readonly Note[];
  readonly error?: string;
}

/**
 * One ELF file, parsed on demand. Opening reads only the file header; program headers,
 * sections, the dynamic section, symbols and notes are each read the first time they are asked
 * for and then kept. Every accessor throws `ElfFormatError` (or `LimitError`, `ShortReadError`)
 * when the structure it needs is corrupt, so a check that needs only program headers still
 * works on a file whose section table is garbage.
 */
export class ElfFile {
  readonly header: FileHeader;
  readonly decoder: ElfDecoder;
  /** Non-fatal oddities seen while reading (shown by `--debug`). */
  readonly warnings: string[] = [];

  private phdrs?: ProgHeader[];
  private shdrs?: SectionHeader[];
  private dyn?: DynamicInfo | null;
  private readonly symbolCache = new Map<SymbolTableKind, Symbol[]>();
  private dynSymsFromDynamic?: Symbol[];
  private noteAreas?: NoteArea[];
  private properties?: { readonly properties: readonly GnuProperty[]; readonly errors: readonly string[] };
  private readonly tableCache = new Map<number, Uint8Array>();
  private sectionsByName?: Map<string, SectionHeader>;

  private constructor(
    readonly source: ByteSource,
    readonly limits: Limits,
    parsed: { header: FileHeader; decoder: ElfDecoder },
  ) {
    this.header = parsed.header;
    this.decoder = parsed.decoder;
  }

  /** Reads the header of an ELF file. Throws `NotElfError` when the magic is absent. */
  static open(source: ByteSource, limits: Limits = DEFAULT_LIMITS): ElfFile {
    return new ElfFile(source, limits, readFileHeader(source));
  }

  get name(): string {
    return this.source.name;
  }

  /** Architecture name (`x86-64`, `aarch64`, `s390x`, `ppc64le`...). */
  get machineName(): string {
    return headerMachineName(this.header);
  }

  // ---- program headers ------------------------------------------------------------------

  /** The program header table (empty when the file has none). */
  get programHeaders(): readonly ProgHeader[] {
    if (this.phdrs === undefined) this.phdrs = this.readProgramHeaders();
    return this.phdrs;
  }

  private readProgramHeaders(): ProgHeader[] {
    const h = this.header;
    if (h.phoff === 0 || h.phnum === 0) return [];
    let count = h.phnum;
    if (count === PN_XNUM) {
      // Extended numbering: the real count lives in section 0's sh_info.
      const s0 = this.rawSectionZero();
      if (s0 === undefined) throw new ElfFormatError(undefined, 'e_phnum', count, 'PN_XNUM without a section 0 to hold the real count');
      count = s0.info;
    }
    const table = readTable(this.source, this.limits, 'program header table', h.phoff, h.phentsize, count, this.decoder.sizeOf(PHDR_LAYOUT));
    return parseProgHeaders(this.decoder, table, h.phentsize, count);
  }

  /** Program headers of type `type`, in table order. */
  segments(type: number): ProgHeader[] {
    return this.programHeaders.filter((p) => p.type === type);
  }

  /** The interpreter path from PT_INTERP, or undefined when there is none. */
  get interpreter(): string | undefined {
    const p = this.programHeaders.find((s) => s.type === PT.INTERP);
    if (p === undefined) return undefined;
    const bytes = readRange(this.source, this.limits, 'PT_INTERP', p.offset, Math.min(p.filesz, 4096));
    return getString(bytes, 0) ?? '';
  }

  /**
   * File offset of `size` bytes at virtual address `vaddr`, through the PT_LOAD that maps it
   * from file contents; undefined when no segment maps the whole range from the file.
   */
  vaddrToOffset(vaddr: number, size = 1): number | undefined {
    for (const p of this.programHeaders) {
      if (p.type !== PT.LOAD) continue;
      if (vaddr >= p.vaddr && vaddr + size <= p.vaddr + p.filesz) {
        const off = p.offset + (vaddr - p.vaddr);
        return off + size <= this.source.size ? off : undefined;
      }
    }
    return undefined;
  }

  private readAtVaddr(vaddr: number, size: number, what: string): Uint8Array | undefined {
    const off = this.vaddrToOffset(vaddr, Math.max(size, 1));
    if (off === undefined) return undefined;
    return readRange(this.source, this.limits, what, off, size);
  }

  // ---- sections -------------------------------------------------------------------------

  /** Section 0 (unnamed: it is read for the extended counts it holds, before the names). */
  private rawSectionZero(): SectionHeader | undefined {
    const h = this.header;
    if (h.shoff === 0) return undefined;
    const table = readTable(this.source, this.limits, 'section header 0', h.shoff, h.shentsize, 1, this.decoder.sizeOf(SHDR_LAYOUT));
    return parseSectionHeaders(this.decoder, table, h.shentsize, 1)[0];
  }

  /** The section header table with names (empty when the file has none). */
  get sections(): readonly SectionHeader[] {
    if (this.shdrs === undefined) this.shdrs = this.readSections();
    return this.shdrs;
  }

  private readSections(): SectionHeader[] {
    const h = this.header;
    if (h.shoff === 0) return [];
    let count = h.shnum;
    let strndx = h.shstrndx;
    if (count === 0 || strndx === SHN.XINDEX) {
      // Extended numbering: section 0 holds the real count (sh_size) and index (sh_link).
      const s0 = this.rawSectionZero();
      if (s0 !== undefined) {
        if (count === 0) count = s0.size;
        if (strndx === SHN.XINDEX) strndx = s0.link;
      }
    }
    if (count === 0) return [];
    const table = readTable(this.source, this.limits, 'section header table', h.shoff, h.shentsize, count, this.decoder.sizeOf(SHDR_LAYOUT));
    let names: Uint8Array = new Uint8Array(0);
    // The name table's own header first, then every header named in one pass.
    const strSec = strndx < count ? parseSectionHeaders(this.decoder, table.subarray(strndx * h.shentsize), h.shentsize, 1)[0] : undefined;
    if (strndx !== SHN.UNDEF && strSec !== undefined && strSec.type !== SHT.NOBITS) {
      try {
        names = readRange(this.source, this.limits, 'section name table', strSec.offset, strSec.size);
      } catch (e) {
        this.warnings.push(`section names unreadable: ${(e as Error).message}`);
      }
    } else if (strndx !== SHN.UNDEF) {
      this.warnings.push(`e_shstrndx ${strndx} is not a section (${count} sections)`);
    }
    return parseSectionHeaders(this.decoder, table, h.shentsize, count, names);
  }

  /** The first section named `name` (checks ask for many names: an index, built once). */
  section(name: string): SectionHeader | undefined {
    if (this.sectionsByName === undefined) {
      this.sectionsByName = new Map();
      for (const s of this.sections) if (!this.sectionsByName.has(s.name)) this.sectionsByName.set(s.name, s);
    }
    return this.sectionsByName.get(name);
  }

  /** Sections of type `type`. */
  sectionsOfType(type: number): SectionHeader[] {
    return this.sections.filter((s) => s.type === type);
  }

  /**
   * The bytes of a section as stored (compressed sections are returned compressed; see
   * `compression.ts`). SHT_NOBITS sections have no bytes. `limit` picks which cap applies:
   * code sections are allowed to be bigger than tables.
   */
  sectionData(s: SectionHeader, limit: 'maxTableBytes' | 'maxCodeBytes' = 'maxTableBytes'): Uint8Array {
    if (s.type === SHT.NOBITS || s.type === SHT.NULL) return new Uint8Array(0);
    // String tables are shared by several readers (.dynsym, versions, dynamic): read them once.
    const cacheable = s.type === SHT.STRTAB;
    const hit = cacheable ? this.tableCache.get(s.index) : undefined;
    if (hit !== undefined) return hit;
    const bytes = readRange(this.source, this.limits, `section [${s.index}] ${s.name || '?'}`, s.offset, s.size, limit);
    if (cacheable) this.tableCache.set(s.index, bytes);
    return bytes;
  }

  /** Executable sections (SHF_EXECINSTR with contents), in table order. */
  get codeSections(): SectionHeader[] {
    return this.sections.filter((s) => (s.flags & SHF.EXECINSTR) !== 0 && s.type !== SHT.NOBITS && s.size > 0);
  }

  // ---- dynamic section ------------------------------------------------------------------

  /** The dynamic section, or undefined when the file has none (static, relocatable). */
  get dynamic(): DynamicInfo | undefined {
    if (this.dyn === undefined) this.dyn = this.readDynamic() ?? null;
    return this.dyn ?? undefined;
  }

  private readDynamic(): DynamicInfo | undefined {
    const seg = this.programHeaders.find((p) => p.type === PT.DYNAMIC);
    let bytes: Uint8Array | undefined;
    let from: 'segment' | 'section' = 'segment';
    let sectionStrtab: SectionHeader | undefined;
    if (seg !== undefined && seg.filesz > 0) {
      // A PT_DYNAMIC that runs past the end of a truncated file still yields its first entries.
      const size = Math.min(seg.filesz, Math.max(0, this.source.size - seg.offset));
      bytes = readRange(this.source, this.limits, 'PT_DYNAMIC', seg.offset, size);
    }
    const sec = this.safeSections().find((s) => s.type === SHT.DYNAMIC);
    if (sec !== undefined) sectionStrtab = this.safeSections()[sec.link];
    if (bytes === undefined) {
      if (sec === undefined) return undefined;
      from = 'section';
      bytes = this.sectionData(sec);
    }
    const entries = parseDynamic(this.decoder, bytes, this.limits.maxEntries);
    return this.decodeDynamic(entries, from, bytes.length >= this.decoder.sizeOf(DYN_LAYOUT) ? sectionStrtab : undefined);
  }

  /** Sections, or none when the section table is unreadable (dynamic info must not need it). */
  private safeSections(): readonly SectionHeader[] {
    try {
      return this.sections;
    } catch (e) {
      this.warnings.push(`section headers unreadable: ${(e as Error).message}`);
      return [];
    }
  }

  private decodeDynamic(entries: DynEntry[], from: 'segment' | 'section', strSection: SectionHeader | undefined): DynamicInfo {
    // The first entry of each tag, indexed once: checks ask has()/get() many times per file.
    // One indexed pass, and no array methods with callbacks: this runs once per file, and V8
    // optimises it after a few hundred files, where the callbacks made it a costly compile.
    const byTag = new Map<number, DynEntry>();
    const neededEntries: DynEntry[] = [];
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i] as DynEntry;
      if (!byTag.has(e.tag)) byTag.set(e.tag, e);
      if (e.tag === DT.NEEDED) neededEntries.push(e);
    }
    // The string table: DT_STRTAB through the load segments (what the loader sees), else the
    // section the SHT_DYNAMIC links to.
    let strtab: Uint8Array | undefined;
    const strAddr = byTag.get(DT.STRTAB)?.value;
    const strSize = byTag.get(DT.STRSZ)?.value;
    if (strAddr !== undefined && strSize !== undefined && strSize <= this.limits.maxTableBytes) {
      strtab = this.readAtVaddr(strAddr, Math.min(strSize, this.source.size), 'DT_STRTAB');
    }
    if (strtab === undefined && strSection !== undefined && strSection.type === SHT.STRTAB) {
      try {
        strtab = this.sectionData(strSection);
      } catch (e) {
        this.warnings.push(`dynamic string table unreadable: ${(e as Error).message}`);
      }
    }
    return new DynamicInfo(entries, from, byTag, neededEntries, strtab ?? new Uint8Array(0));
  }

  /** Immediate binding requested in any of its three forms. */
  get bindNow(): boolean {
    const d = this.dynamic;
    if (d === undefined) return false;
    return d.has(DT.BIND_NOW) || (d.flags & DF.BIND_NOW) !== 0 || (d.flags1 & DF_1.NOW) !== 0;
  }

  // ---- symbols --------------------------------------------------------------------------

  /** The symbols of .dynsym or .symtab (through the section table), or [] when absent. */
  symbols(kind: SymbolTableKind): readonly Symbol[] {
    const cached = this.symbolCache.get(kind);
    if (cached !== undefined) return cached;
    const type = kind === 'dynsym' ? SHT.DYNSYM : SHT.SYMTAB;
    const sec = this.sections.find((s) => s.type === type);
    let syms: Symbol[] = [];
    if (sec !== undefined) syms = this.readSymbolSection(sec);
    this.symbolCache.set(kind, syms);
    return syms;
  }

  /**
   * Raw names (as stored, versions not split) of the symbols of a table for which
   * `keep(type, bind, shndx)` holds, without building a Symbol per entry: the fast path for
   * "which functions does this file import" over tables of tens of thousands of exports.
   */
  symbolNamesWhere(kind: SymbolTableKind, keep: (type: number, bind: number, shndx: number) => boolean): string[] {
    const type = kind === 'dynsym' ? SHT.DYNSYM : SHT.SYMTAB;
    const sec = this.sections.find((s) => s.type === type);
    if (sec === undefined) return [];
    const d = this.decoder;
    const recordSize = d.sizeOf(SYM_LAYOUT);
    const entsize = sec.entsize === 0 ? recordSize : sec.entsize;
    const count = Math.floor(sec.size / Math.max(entsize, 1));
    const table = readTable(this.source, this.limits, `symbol table [${sec.index}] ${sec.name}`, sec.offset, entsize, count, recordSize);
    const strSec = this.sections[sec.link];
    const strtab = strSec !== undefined && strSec.type !== SHT.NOBITS ? this.sectionData(strSec) : new Uint8Array(0);
    // st_name is at 0 in both classes; st_info/st_shndx at 12/14 (ELF32) or 4/6 (ELF64).
    const infoAt = d.is64 ? 4 : 12;
    const shndxAt = d.is64 ? 6 : 14;
    const out: string[] = [];
    for (let base = 0; base + recordSize <= table.length; base += entsize) {
      const info = table[base + infoAt] ?? 0;
      if (!keep(info & 0xf, info >> 4, d.u16(table, base + shndxAt))) continue;
      out.push(getString(strtab, d.u32(table, base)) ?? '<corrupt>');
    }
    return out;
  }

  /** True when the file has a symbol table section of this kind. */
  hasSymbolTable(kind: SymbolTableKind): boolean {
    const type = kind === 'dynsym' ? SHT.DYNSYM : SHT.SYMTAB;
    return this.sections.some((s) => s.type === type);
  }

  private readSymbolSection(sec: SectionHeader): Symbol[] {
    const d = this.decoder;
    const entsize = sec.entsize === 0 ? d.sizeOf(SYM_LAYOUT) : sec.entsize;
    const count = Math.floor(sec.size / Math.max(entsize, 1));
    const table = readTable(this.source, this.limits, `symbol table [${sec.index}] ${sec.name}`, sec.offset, entsize, count, d.sizeOf(SYM_LAYOUT));
    const strSec = this.sections[sec.link];
    let strtab: Uint8Array = new Uint8Array(0);
    if (strSec !== undefined && strSec.type !== SHT.NOBITS) strtab = this.sectionData(strSec);
    else this.warnings.push(`symbol table [${sec.index}] links to section ${sec.link}, which is not a string table`);
    let versions;
    if (sec.type === SHT.DYNSYM) versions = this.sectionVersions(sec.index);
    return parseSymbols(d, table, entsize, strtab, versions);
  }

  private sectionVersions(dynsymIndex: number): ReturnType<typeof versionLookup> | undefined {
    const versym = this.sections.find((s) => s.type === SHT.GNU_versym && (s.link === dynsymIndex || s.link === 0));
    if (versym === undefined) return undefined;
    try {
      const names = new Map<number, string>();
      for (const s of this.sections) {
        if (s.type !== SHT.GNU_verneed && s.type !== SHT.GNU_verdef) continue;
        const strSec = this.sections[s.link];
        if (strSec === undefined) continue;
        const strtab = this.sectionData(strSec);
        if (s.type === SHT.GNU_verneed) parseVerneed(this.decoder, this.sectionData(s), strtab, s.info, names);
        else parseVerdef(this.decoder, this.sectionData(s), strtab, s.info, names);
      }
      return versionLookup(this.decoder, this.sectionData(versym), names);
    } catch (e) {
      this.warnings.push(`symbol versions unreadable: ${(e as Error).message}`);
      return undefined;
    }
  }

  /**
   * Dynamic symbols as the loader finds them: DT_SYMTAB/DT_STRTAB with the count from
   * DT_HASH or DT_GNU_HASH. For files whose section headers were stripped (sstrip) or are
   * corrupt; files with a .dynsym section should use `symbols('dynsym')`.
   */
  dynamicSymbols(): readonly Symbol[] {
    if (this.dynSymsFromDynamic !== undefined) return this.dynSymsFromDynamic;
    const d = this.dynamic;
    let syms: Symbol[] = [];
    const symAddr = d?.get(DT.SYMTAB);
    const strAddr = d?.get(DT.STRTAB);
    const strSize = d?.get(DT.STRSZ);
    if (d !== undefined && symAddr !== undefined && strAddr !== undefined && strSize !== undefined) {
      const entsize = d.get(DT.SYMENT) ?? this.decoder.sizeOf(SYM_LAYOUT);
      let count: number | undefined;
      const hashAddr = d.get(DT.HASH);
      if (hashAddr !== undefined) {
        const head = this.readAtVaddr(hashAddr, 8, 'DT_HASH');
        if (head !== undefined) count = countFromSysvHash(this.decoder, head);
      }
      const gnuHash = d.get(DT.GNU_HASH);
      if (count === undefined && gnuHash !== undefined) {
        count = countFromGnuHash(this.decoder, (a, n) => this.readAtVaddr(a, n, 'DT_GNU_HASH'), gnuHash, this.limits.maxEntries);
      }
      const symOff = this.vaddrToOffset(symAddr);
      const strtab = strSize <= this.limits.maxTableBytes ? this.readAtVaddr(strAddr, strSize, 'DT_STRTAB') : undefined;
      if (count !== undefined && symOff !== undefined && strtab !== undefined) {
        const table = readTable(this.source, this.limits, 'DT_SYMTAB', symOff, entsize, count, this.decoder.sizeOf(SYM_LAYOUT));
        syms = parseSymbols(this.decoder, table, entsize, strtab);
      }
    }
    this.dynSymsFromDynamic = syms;
    return syms;
  }

  // ---- notes ----------------------------------------------------------------------------

  /**
   * Every note area with its notes: the SHT_NOTE sections when the file has a section table,
   * else the PT_NOTE segments (what survives sstrip). A malformed note ends its area's walk with
   * an error value; other areas are still read.
   */
  get notes(): readonly NoteArea[] {
    if (this.noteAreas !== undefined) return this.noteAreas;
    const areas: NoteArea[] = [];
    const secs = this.safeSections().filter((s) => s.type === SHT.NOTE);
    const sources: { from: string; offset: number; size: number; align: number }[] =
      secs.length > 0
        ? secs.map((s) => ({ from: `section ${s.name || s.index}`, offset: s.offset, size: s.size, align: s.addralign }))
        : this.programHeaders.filter((p) => p.type === PT.NOTE).map((p) => ({ from: `PT_NOTE[${p.index}]`, offset: p.offset, size: p.filesz, align: p.align }));
    for (const a of sources) {
      let bytes: Uint8Array;
      try {
        bytes = readRange(this.source, this.limits, a.from, a.offset, a.size);
      } catch (e) {
        areas.push({ from: a.from, notes: [], error: (e as Error).message });
        continue;
      }
      const notes: Note[] = [];
      let error: string | undefined;
      for (const r of iterateNotes(this.decoder, bytes, a.align, this.limits.maxNotes)) {
        if ('note' in r) notes.push(r.note);
        else error = `${a.from}: ${r.error} (note at +0x${r.offset.toString(16)})`;
      }
      areas.push(error === undefined ? { from: a.from, notes } : { from: a.from, notes, error });
    }
    this.noteAreas = areas;
    return areas;
  }

  /** Notes of owner `name` and type `type`, from every area. */
  findNotes(name: string, type: number): Note[] {
    // Plain indexed loops: several checks ask per file (most files have two or three notes),
    // often in code V8 has not optimised yet, where a for-of step is an object.
    const found: Note[] = [];
    const areas = this.notes;
    for (let i = 0; i < areas.length; i++) {
      const notes = areas[i]?.notes ?? [];
      for (let k = 0; k < notes.length; k++) {
        const n = notes[k];
        if (n !== undefined && n.type === type && n.name === name) found.push(n);
      }
    }
    return found;
  }

  /** The GNU properties of the file (from every NT_GNU_PROPERTY_TYPE_0 note), parsed once. */
  get gnuProperties(): { readonly properties: readonly GnuProperty[]; readonly errors: readonly string[] } {
    if (this.properties !== undefined) return this.properties;
    const properties: GnuProperty[] = [];
    const errors: string[] = [];
    for (const n of this.findNotes('GNU', NT_GNU.PROPERTY_TYPE_0)) {
      const r = parseGnuProperties(this.decoder, n.desc);
      properties.push(...r.properties);
      if (r.error !== undefined) errors.push(r.error);
    }
    for (const a of this.notes) if (a.error !== undefined) errors.push(a.error);
    this.properties = { properties, errors };
    return this.properties;
  }

  /** The 32-bit feature word of a *_FEATURE_1_AND property, or undefined when absent. */
  featureBits(type: typeof GNU_PROPERTY.X86_FEATURE_1_AND | typeof GNU_PROPERTY.AARCH64_FEATURE_1_AND): number | undefined {
    const p = this.gnuProperties.properties.find((x) => x.type === type);
    return p === undefined ? undefined : propertyWord(this.decoder, p);
  }

  /** GNU build id as hex, when present. */
  get buildId(): string | undefined {
    const n = this.findNotes('GNU', NT_GNU.BUILD_ID)[0];
    if (n === undefined) return undefined;
    let s = '';
    for (let i = 0; i < n.desc.length; i++) s += (n.desc[i] ?? 0).toString(16).padStart(2, '0');
    return s;
  }

  /** GNU ABI tag (`Linux 3.2.0`), when present. */
  get abiTag(): { os: number; version: [number, number, number] } | undefined {
    const n = this.findNotes('GNU', NT_GNU.ABI_TAG)[0];
    if (n === undefined || n.desc.length < 16) return undefined;
    const d = this.decoder;
    return { os: d.u32(n.desc, 0), version: [d.u32(n.desc, 4), d.u32(n.desc, 8), d.u32(n.desc, 12)] };
  }

  // ---- relocations ----------------------------------------------------------------------

  /** Relocations of one SHT_REL / SHT_RELA section. */
  relocations(sec: SectionHeader): Relocation[] {
    const r = this.relocationBytes(sec);
    return parseRelocations(this.decoder, r.table, r.entsize, r.rela, r.mips64el);
  }

  /** The same, kept as bytes and searched by offset (see RelocationTable). */
  relocationTable(sec: SectionHeader): RelocationTable {
    const r = this.relocationBytes(sec);
    return new RelocationTable(this.decoder, r.table, r.entsize, r.rela, r.mips64el);
  }

  private relocationBytes(sec: SectionHeader): { table: Uint8Array; entsize: number; rela: boolean; mips64el: boolean } {
    const d = this.decoder;
    const rela = sec.type === SHT.RELA;
    const min = d.sizeOf(rela ? RELA_LAYOUT : REL_LAYOUT);
    const entsize = sec.entsize === 0 ? min : sec.entsize;
    const count = Math.floor(sec.size / Math.max(entsize, 1));
    const table = readTable(this.source, this.limits, `relocation section [${sec.index}] ${sec.name}`, sec.offset, entsize, count, min);
    return { table, entsize, rela, mips64el: this.header.machine === 8 && d.is64 && d.littleEndian };
  }

  // ---- kinds ----------------------------------------------------------------------------

  get isRelocatable(): boolean {
    return this.header.type === ET.REL;
  }
}
