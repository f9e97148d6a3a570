/**
 * Just enough DWARF to read what a compiler recorded about each compilation unit: the
 * DW_AT_producer ("GNU C17 12.2.0 -mtune=generic -O2 -fstack-protector-strong ...") and
 * DW_AT_name of the first DIE of every unit in .debug_info. DWARF 2 to 5, 32- and 64-bit
 * DWARF, every attribute form (each must be skipped correctly to reach the producer), strings
 * inline or through .debug_str, .debug_line_str and .debug_str_offsets.
 *
 * Nothing else of the unit is decoded. Each unit costs a small positional read of its header
 * and first DIE (the section is never read whole when it is stored uncompressed), and one
 * look-up in its abbreviation table. Every offset, length and LEB128 from the file is checked;
 * a malformed unit yields an error value and the walk goes on with the next unit when the
 * unit's length is still trustworthy, or stops when it is not. The number of units is capped.
 */
import { type SectionView } from './compressed.js';
import { type ElfDecoder } from './decoder.js';
import { decodeBytes } from './strings.js';

/** The DW_AT / DW_FORM / DW_TAG / DW_UT values used here (DWARF 5, §7.5). */
export const DW_AT = Object.freeze({ name: 0x03, producer: 0x25, str_offsets_base: 0x72, APPLE_flags: 0x3fe2 });
export const DW_TAG = Object.freeze({ compile_unit: 0x11, partial_unit: 0x3c, type_unit: 0x41, skeleton_unit: 0x4a });
export const DW_UT = Object.freeze({ compile: 1, type: 2, partial: 3, skeleton: 4, split_compile: 5, split_type: 6 });
export const DW_FORM = Object.freeze({
  addr: 0x01,
  block2: 0x03,
  block4: 0x04,
  data2: 0x05,
  data4: 0x06,
  data8: 0x07,
  string: 0x08,
  block: 0x09,
  block1: 0x0a,
  data1: 0x0b,
  flag: 0x0c,
  sdata: 0x0d,
  strp: 0x0e,
  udata: 0x0f,
  ref_addr: 0x10,
  ref1: 0x11,
  ref2: 0x12,
  ref4: 0x13,
  ref8: 0x14,
  ref_udata: 0x15,
  indirect: 0x16,
  sec_offset: 0x17,
  exprloc: 0x18,
  flag_present: 0x19,
  strx: 0x1a,
  addrx: 0x1b,
  ref_sup4: 0x1c,
  strp_sup: 0x1d,
  data16: 0x1e,
  line_strp: 0x1f,
  ref_sig8: 0x20,
  implicit_const: 0x21,
  loclistx: 0x22,
  rnglistx: 0x23,
  ref_sup8: 0x24,
  strx1: 0x25,
  strx2: 0x26,
  strx3: 0x27,
  strx4: 0x28,
  addrx1: 0x29,
  addrx2: 0x2a,
  addrx3: 0x2b,
  addrx4: 0x2c,
  GNU_addr_index: 0x1f01,
  GNU_str_index: 0x1f02,
  GNU_ref_alt: 0x1f20,
  GNU_strp_alt: 0x1f21,
});

/**
 * The value a relocation puts at `offset` of a section, given the value stored there: in a
 * relocatable object (`.o`), section offsets such as DW_FORM_strp are relocations against the
 * string section (S + A), and the stored bytes are 0 (RELA) or only the addend (REL).
 */
export type Relocator = (offset: number, stored: number) => number;

/** The sections a producer look-up may need; only .debug_info and .debug_abbrev are required. */
export interface DwarfSections {
  readonly info: SectionView;
  readonly abbrev: SectionView;
  readonly str?: SectionView | undefined;
  readonly lineStr?: SectionView | undefined;
  readonly strOffsets?: SectionView | undefined;
  /** Relocations of .debug_info (objects only). */
  readonly infoRelocator?: Relocator | undefined;
  /** Relocations of .debug_str_offsets (objects only). */
  readonly strOffsetsRelocator?: Relocator | undefined;
}

/** What one unit's first DIE says. */
export interface UnitInfo {
  /** Offset of the unit header in .debug_info. */
  readonly offset: number;
  readonly version: number;
  /** DW_TAG of the first DIE (compile_unit, partial_unit...). */
  readonly tag: number;
  readonly producer: string | undefined;
  readonly name: string | undefined;
  /** DW_AT_APPLE_flags: where clang puts `-grecord-command-line` on some targets. */
  readonly flags: string | undefined;
}

export interface UnitScan {
  readonly units: UnitInfo[];
  /** Problems met (each names the unit offset); units before and after a bad one still count. */
  readonly errors: string[];
  /** True when the walk stopped before the end of .debug_info (unit cap, or a broken length). */
  readonly truncated: boolean;
}

export interface UnitScanOptions {
  /** Most units read (a hostile file may declare millions of tiny ones). */
  readonly maxUnits: number;
  /**
   * Look up each unit's DW_AT_name (default true). A reader of producers alone says false: the
   * names are mostly in .debug_line_str, a section it then never has to inflate or read.
   */
  readonly names?: boolean;
}

/** Thrown inside this module only, and always caught into an error value. */
class DwarfError extends Error {}

/** First read of a unit: enough for the header and a typical compile-unit DIE. */
const FIRST_WINDOW = 4096;
/** Largest first DIE we accept (producer strings with long command lines stay far below). */
const MAX_DIE_WINDOW = 256 * 1024;
const MAX_STRING = 64 * 1024;
/** Abbreviation entries examined per table before giving up on finding a code. */
const MAX_ABBREV_ENTRIES = 100_000;
/** Largest window of .debug_abbrev read to find one code (real tables are kilobytes). */
const MAX_ABBREV_WINDOW = 16 * 1024 * 1024;

/** A bounds-checked cursor over a byte window. */
class Cursor {
  constructor(
    readonly b: Uint8Array,
    public pos: number,
    private readonly d: ElfDecoder,
    /** Where `b` starts in its section, and the section's relocations, for `offset()`. */
    private readonly relocation?: { readonly base: number; readonly relocator: Relocator },
  ) {}

  need(n: number): void {
    if (n < 0 || this.pos + n > this.b.length) throw new Overrun();
  }
  u8(): number {
    this.need(1);
    return this.b[this.pos++] ?? 0;
  }
  u16(): number {
    this.need(2);
    const v = this.d.u16(this.b, this.pos);
    this.pos += 2;
    return v;
  }
  u24(): number {
    this.need(3);
    const [x, y, z] = [this.b[this.pos] ?? 0, this.b[this.pos + 1] ?? 0, this.b[this.pos + 2] ?? 0];
    this.pos += 3;
    return this.d.littleEndian ? x | (y << 8) | (z << 16) : (x << 16) | (y << 8) | z;
  }
  u32(): number {
    this.need(4);
    const v = this.d.u32(this.b, this.pos);
    this.pos += 4;
    return v;
  }
  u64(): number {
    this.need(8);
    const v = this.d.u64(this.b, this.pos);
    this.pos += 8;
    return v;
  }
  /** An offset of the unit's DWARF format: 4 bytes (32-bit DWARF) or 8 (64-bit DWARF). */
  /** A section offset (strp, line_strp, sec_offset), relocated when the section has relocations. */
  offset(size: 4 | 8): number {
    const at = this.pos;
    const stored = size === 4 ? this.u32() : this.u64();
    return this.relocation === undefined ? stored : this.relocation.relocator(this.relocation.base + at, stored);
  }
  skip(n: number): void {
    if (!Number.isSafeInteger(n)) throw new DwarfError(`bad length ${n}`);
    this.need(n);
    this.pos += n;
  }
  /** ULEB128; values past 2^53 are not meaningful here and are rejected (see `leb`). */
  uleb(): number {
    const v = leb(this.b, this.pos);
    this.pos = lebEnd;
    return v;
  }
  sleb(): number {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      const byte = this.u8();
      result += (byte & 0x7f) * mul;
      mul *= 128;
      if ((byte & 0x80) === 0) return (byte & 0x40) !== 0 ? result - mul : result;
    }
    throw new DwarfError('LEB128 longer than 10 bytes');
  }
  /** A NUL-terminated string inside the window. */
  cstring(): string {
    const end = this.b.indexOf(0, this.pos);
    if (end < 0) throw new Overrun();
    const s = decodeBytes(this.b, this.pos, end);
    this.pos = end + 1;
    return s;
  }
}

/** The window ended before the structure did: read a bigger window and try again. */
class Overrun extends Error {}

interface AttrSpec {
  readonly at: number;
  readonly form: number;
  readonly implicit: number;
}

interface Abbrev {
  readonly tag: number;
  readonly attrs: readonly AttrSpec[];
}

/** A string attribute value, before it is looked up. */
type StrRef =
  | { readonly kind: 'inline'; readonly value: string }
  | { readonly kind: 'str' | 'line_str'; readonly offset: number }
  | { readonly kind: 'strx'; readonly index: number }
  | { readonly kind: 'sup' };

interface UnitHeader {
  readonly version: number;
  readonly offsetSize: 4 | 8;
  readonly addressSize: number;
  readonly abbrevOffset: number;
  /** Offset in .debug_info of the first DIE. */
  readonly dieOffset: number;
  /** Offset just past the unit. */
  readonly end: number;
}

/**
 * Reads the producer and name of every unit's first DIE. Never throws for malformed DWARF: the
 * problems are in `errors`.
 */
export function readUnitProducers(d: ElfDecoder, secs: DwarfSections, opts: UnitScanOptions): UnitScan {
  const units: UnitInfo[] = [];
  const errors: string[] = [];
  const abbrevCache = new Map<string, Abbrev | string>();
  const info = secs.info;
  let off = 0;
  let truncated = false;
  while (off < info.size) {
    if (units.length + errors.length >= opts.maxUnits) {
      truncated = true;
      errors.push(`more than ${opts.maxUnits} units in .debug_info: the rest were not read`);
      break;
    }
    let header: UnitHeader;
    let window: Uint8Array;
    try {
      window = info.read(off, FIRST_WINDOW);
      const reloc = secs.infoRelocator === undefined ? undefined : { base: off, relocator: secs.infoRelocator };
      header = readUnitHeader(new Cursor(window, 0, d, reloc), off);
    } catch (e) {
      // Without a trustworthy unit length there is no next unit to go to.
      errors.push(`unit at 0x${off.toString(16)}: ${describe(e, 'header runs past the end of .debug_info')}`);
      truncated = true;
      break;
    }
    if (header.end > info.size) {
      errors.push(`unit at 0x${off.toString(16)}: length runs past the end of .debug_info`);
      truncated = true;
    }
    if (header.dieOffset < header.end) {
      try {
        units.push(readFirstDie(d, secs, header, off, window, abbrevCache, opts.names ?? true));
      } catch (e) {
        errors.push(`unit at 0x${off.toString(16)}: ${describe(e, 'first DIE runs past the end of its unit')}`);
      }
    }
    if (truncated) break;
    off = header.end;
  }
  return { units, errors, truncated };
}

function describe(e: unknown, overrun: string): string {
  if (e instanceof Overrun) return overrun;
  return e instanceof Error ? e.message : String(e);
}

function readUnitHeader(c: Cursor, base: number): UnitHeader {
  let length = c.u32();
  let offsetSize: 4 | 8 = 4;
  if (length === 0xffffffff) {
    length = c.u64();
    offsetSize = 8;
  } else if (length >= 0xfffffff0) {
    throw new DwarfError(`reserved unit_length 0x${length.toString(16)}`);
  }
  const afterLength = c.pos;
  const end = base + afterLength + length;
  if (!Number.isSafeInteger(end)) throw new DwarfError(`bad unit_length ${length}`);
  const version = c.u16();
  if (version < 2 || version > 5) throw new DwarfError(`unsupported DWARF version ${version}`);
  let addressSize: number;
  let abbrevOffset: number;
  if (version >= 5) {
    const unitType = c.u8();
    addressSize = c.u8();
    abbrevOffset = c.offset(offsetSize);
    if (unitType === DW_UT.skeleton || unitType === DW_UT.split_compile) c.skip(8);
    else if (unitType === DW_UT.type || unitType === DW_UT.split_type) c.skip(8 + offsetSize);
    else if (unitType !== DW_UT.compile && unitType !== DW_UT.partial) throw new DwarfError(`unknown unit type 0x${unitType.toString(16)}`);
  } else {
    abbrevOffset = c.offset(offsetSize);
    addressSize = c.u8();
  }
  if (length === 0 || base + c.pos > end) throw new DwarfError(`unit_length ${length} shorter than the unit header`);
  return { version, offsetSize, addressSize, abbrevOffset, dieOffset: base + c.pos, end };
}

function readFirstDie(d: ElfDecoder, secs: DwarfSections, h: UnitHeader, base: number, first: Uint8Array, cache: Map<string, Abbrev | string>, names: boolean): UnitInfo {
  const dieStart = h.dieOffset - base;
  let window = first;
  for (let size = FIRST_WINDOW; ; size *= 4) {
    try {
      const reloc = secs.infoRelocator === undefined ? undefined : { base, relocator: secs.infoRelocator };
      return parseFirstDie(d, secs, h, base, new Cursor(window.subarray(0, Math.min(window.length, h.end - base)), dieStart, d, reloc), cache, names);
    } catch (e) {
      const unitSize = h.end - base;
      if (!(e instanceof Overrun) || window.length >= unitSize || size >= MAX_DIE_WINDOW) throw e;
      window = secs.info.read(base, Math.min(unitSize, size * 4));
    }
  }
}

function parseFirstDie(d: ElfDecoder, secs: DwarfSections, h: UnitHeader, base: number, c: Cursor, cache: Map<string, Abbrev | string>, names: boolean): UnitInfo {
  const code = c.uleb();
  if (code === 0) throw new DwarfError('first DIE is a null entry');
  const abbrev = findAbbrev(d, secs.abbrev, h.abbrevOffset, code, cache);
  let producer: StrRef | undefined;
  let name: StrRef | undefined;
  let flags: StrRef | undefined;
  let strOffsetsBase: number | undefined;
  for (const spec of abbrev.attrs) {
    const v = readAttr(c, spec.form, h, 0);
    if (spec.at === DW_AT.producer) producer = v.str;
    else if (spec.at === DW_AT.name) name = v.str;
    else if (spec.at === DW_AT.APPLE_flags) flags = v.str;
    else if (spec.at === DW_AT.str_offsets_base) strOffsetsBase = v.num;
  }
  const resolve = (r: StrRef | undefined): string | undefined => (r === undefined ? undefined : resolveString(d, secs, h, r, strOffsetsBase));
  return { offset: base, version: h.version, tag: abbrev.tag, producer: resolve(producer), name: names ? resolve(name) : undefined, flags: resolve(flags) };
}

/** One attribute value: a string reference when the form is a string form, else a number. */
function readAttr(c: Cursor, form: number, h: UnitHeader, depth: number): { str?: StrRef; num?: number } {
  const F = DW_FORM;
  switch (form) {
    case F.string:
      return { str: { kind: 'inline', value: c.cstring() } };
    case F.strp:
      return { str: { kind: 'str', offset: c.offset(h.offsetSize) } };
    case F.line_strp:
      return { str: { kind: 'line_str', offset: c.offset(h.offsetSize) } };
    case F.strx:
    case F.GNU_str_index:
      return { str: { kind: 'strx', index: c.uleb() } };
    case F.strx1:
      return { str: { kind: 'strx', index: c.u8() } };
    case F.strx2:
      return { str: { kind: 'strx', index: c.u16() } };
    case F.strx3:
      return { str: { kind: 'strx', index: c.u24() } };
    case F.strx4:
      return { str: { kind: 'strx', index: c.u32() } };
    case F.strp_sup:
    case F.GNU_strp_alt:
      c.skip(h.offsetSize);
      return { str: { kind: 'sup' } };
    case F.addr:
      c.skip(h.addressSize);
      return {};
    case F.data1:
    case F.ref1:
    case F.flag:
    case F.addrx1:
      return { num: c.u8() };
    case F.data2:
    case F.ref2:
    case F.addrx2:
      return { num: c.u16() };
    case F.addrx3:
      return { num: c.u24() };
    case F.data4:
    case F.ref4:
    case F.ref_sup4:
    case F.addrx4:
      return { num: c.u32() };
    case F.data8:
    case F.ref8:
    case F.ref_sig8:
    case F.ref_sup8:
      return { num: c.u64() };
    case F.data16:
      c.skip(16);
      return {};
    case F.sdata:
      return { num: c.sleb() };
    case F.udata:
    case F.ref_udata:
    case F.addrx:
    case F.loclistx:
    case F.rnglistx:
    case F.GNU_addr_index:
      return { num: c.uleb() };
    case F.ref_addr:
      // DWARF 2 sized DW_FORM_ref_addr like an address; later versions like an offset.
      c.skip(h.version <= 2 ? h.addressSize : h.offsetSize);
      return {};
    case F.sec_offset:
    case F.GNU_ref_alt:
      return { num: c.offset(h.offsetSize) };
    case F.block1:
      c.skip(c.u8());
      return {};
    case F.block2:
      c.skip(c.u16());
      return {};
    case F.block4:
      c.skip(c.u32());
      return {};
    case F.block:
    case F.exprloc:
      c.skip(c.uleb());
      return {};
    case F.flag_present:
    case F.implicit_const:
      return {};
    case F.indirect: {
      if (depth > 4) throw new DwarfError('DW_FORM_indirect nested too deep');
      return readAttr(c, c.uleb(), h, depth + 1);
    }
    default:
      throw new DwarfError(`unknown attribute form 0x${form.toString(16)}`);
  }
}

/** The abbreviation with `code` in the table at `offset`, read window by window. */
function findAbbrev(d: ElfDecoder, abbrev: SectionView, offset: number, code: number, cache: Map<string, Abbrev | string>): Abbrev {
  const key = `${offset}:${code}`;
  const hit = cache.get(key);
  if (typeof hit === 'string') throw new DwarfError(hit);
  if (hit !== undefined) return hit;
  try {
    const found = scanAbbrevs(d, abbrev, offset, code);
    cache.set(key, found);
    return found;
  } catch (e) {
    const msg = e instanceof Overrun ? `abbreviation ${code} at 0x${offset.toString(16)} runs past .debug_abbrev` : describe(e, '');
    cache.set(key, msg);
    throw new DwarfError(msg);
  }
}

function scanAbbrevs(d: ElfDecoder, abbrev: SectionView, offset: number, code: number): Abbrev {
  if (offset >= abbrev.size) throw new DwarfError(`abbreviation offset 0x${offset.toString(16)} outside .debug_abbrev`);
  for (let size = FIRST_WINDOW; ; size *= 8) {
    if (size > MAX_ABBREV_WINDOW) throw new DwarfError(`abbreviation ${code} not within ${MAX_ABBREV_WINDOW} bytes of the table at 0x${offset.toString(16)}`);
    const window = abbrev.read(offset, size);
    try {
      const at = findAbbrevEntry(window, offset, code);
      const c = new Cursor(window, at, d);
      c.uleb(); // the code, found above
      const tag = c.uleb();
      c.u8(); // DW_CHILDREN_yes / no
      const attrs: AttrSpec[] = [];
      for (;;) {
        const name = c.uleb();
        const form = c.uleb();
        if (name === 0 && form === 0) break;
        attrs.push({ at: name, form, implicit: form === DW_FORM.implicit_const ? c.sleb() : 0 });
      }
      return { tag, attrs };
    } catch (e) {
      // A window that already holds the rest of the section cannot grow.
      if (!(e instanceof Overrun) || window.length < size) throw e;
    }
  }
}

/**
 * Where the entry with `code` starts in the table of abbreviations at `offset` (`b` holds it
 * from its start), the entries before it skipped without decoding them into objects. GCC
 * numbers a table's abbreviations by how often they are used, so a unit's own (used once) comes
 * near the end: ~100 entries are passed over per unit. This loop reads the LEB128 numbers in
 * place instead of through a Cursor and allocates nothing; on the 368 units of four sanitizer
 * runtimes it took a third of the time. Overrun when the window ends first; DwarfError for a
 * bad number.
 */
function findAbbrevEntry(b: Uint8Array, offset: number, code: number): number {
  let p = 0;
  for (let n = 0; n < MAX_ABBREV_ENTRIES; n++) {
    const start = p;
    // Codes and tags below 128 are one byte: read in place (bytes past the window take leb's way).
    const e1 = p < b.length ? b[p]! : 0x80;
    const entry = e1 < 0x80 ? e1 : leb(b, p);
    p = e1 < 0x80 ? p + 1 : lebEnd;
    if (entry === 0) throw new DwarfError(`abbreviation ${code} not in the table at 0x${offset.toString(16)}`);
    if (entry === code) return start;
    const t1 = p < b.length ? b[p]! : 0x80;
    if (t1 < 0x80) p += 2; // the tag, then DW_CHILDREN_yes / no
    else {
      leb(b, p);
      p = lebEnd + 1;
    }
    for (;;) {
      // Most attribute specifications are two one-byte numbers: read in place, without a call.
      if (p + 1 < b.length) {
        const name1 = b[p]!;
        const form1 = b[p + 1]!;
        if ((name1 | form1) < 0x80) {
          p += 2;
          if ((name1 | form1) === 0) break;
          if (form1 === DW_FORM.implicit_const) p = slebEnd(b, p);
          continue;
        }
      }
      const name = leb(b, p);
      const form = leb(b, lebEnd);
      p = lebEnd;
      if (name === 0 && form === 0) break;
      if (form === DW_FORM.implicit_const) p = slebEnd(b, p);
    }
  }
  throw new DwarfError(`abbreviation ${code} not within ${MAX_ABBREV_ENTRIES} entries`);
}

/** Where the last `leb` call stopped (the byte after its number). */
let lebEnd = 0;

/**
 * The ULEB128 number at `p` of `b` (Cursor.uleb reads through it); sets `lebEnd`. Overrun when
 * `b` ends first; values past 2^53 and numbers longer than 10 bytes are DwarfErrors.
 */
function leb(b: Uint8Array, p: number): number {
  let result = 0;
  let mul = 1;
  for (let i = 0; i < 10; i++) {
    const byte = b[p++];
    if (byte === undefined) throw new Overrun();
    result += (byte & 0x7f) * mul;
    if ((byte & 0x80) === 0) {
      if (!Number.isSafeInteger(result)) throw new DwarfError('LEB128 value too large');
      lebEnd = p;
      return result;
    }
    mul *= 128;
  }
  throw new DwarfError('LEB128 longer than 10 bytes');
}

/** The position after the SLEB128 number at `p` of `b` (as Cursor.sleb reads it). */
function slebEnd(b: Uint8Array, p: number): number {
  for (let i = 0; i < 10; i++) {
    const byte = b[p++];
    if (byte === undefined) throw new Overrun();
    if ((byte & 0x80) === 0) return p;
  }
  throw new DwarfError('LEB128 longer than 10 bytes');
}

function resolveString(d: ElfDecoder, secs: DwarfSections, h: UnitHeader, r: StrRef, strOffsetsBase: number | undefined): string | undefined {
  switch (r.kind) {
    case 'inline':
      return r.value;
    case 'str':
      return secs.str === undefined ? undefined : stringAt(secs.str, r.offset);
    case 'line_str':
      return secs.lineStr === undefined ? undefined : stringAt(secs.lineStr, r.offset);
    case 'strx': {
      const table = secs.strOffsets;
      if (table === undefined || secs.str === undefined) return undefined;
      // Without DW_AT_str_offsets_base (split units) the table starts after its 8/16-byte header.
      const baseOff = strOffsetsBase ?? (h.offsetSize === 8 ? 16 : 8);
      const at = baseOff + r.index * h.offsetSize;
      const bytes = table.read(at, h.offsetSize);
      if (bytes.length < h.offsetSize) throw new DwarfError(`string index ${r.index} outside .debug_str_offsets`);
      const stored = h.offsetSize === 4 ? d.u32(bytes, 0) : d.u64(bytes, 0);
      return stringAt(secs.str, secs.strOffsetsRelocator === undefined ? stored : secs.strOffsetsRelocator(at, stored));
    }
    case 'sup':
      return undefined;
  }
}

/** The NUL-terminated string at `offset` of a string section, at most MAX_STRING bytes. */
export function stringAt(s: SectionView, offset: number): string {
  if (!Number.isSafeInteger(offset) || offset < 0 || offset >= s.size) throw new DwarfError(`string offset 0x${offset.toString(16)} outside ${s.name}`);
  for (let size = 1024; ; size *= 8) {
    const b = s.read(offset, size);
    const end = b.indexOf(0);
    if (end >= 0) return decodeBytes(b, 0, end);
    if (b.length < size || size >= MAX_STRING) return decodeBytes(b, 0, b.length);
  }
}
