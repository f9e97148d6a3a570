/**
 * The DW_AT_producer reader on DWARF built byte by byte: every attribute form before the
 * producer must be skipped exactly, strings come inline or through the string sections, and a
 * malformed unit is an error value that never stops the units after it (unless its length
 * cannot be trusted).
 */
import { describe, expect, it } from 'vitest';
import { type SectionView } from '../../src/elf/compressed.js';
import { ElfDecoder } from '../../src/elf/decoder.js';
import { DW_AT, DW_FORM, DW_TAG, readUnitProducers, type UnitScan } from '../../src/elf/dwarf.js';

const LE = new ElfDecoder(true, true);
const BE = new ElfDecoder(true, false);

function view(name: string, bytes: Uint8Array): SectionView {
  return {
    name,
    size: bytes.length,
    compression: 'none',
    read: (o, n) => (o < 0 || o >= bytes.length || n <= 0 ? new Uint8Array(0) : bytes.subarray(o, Math.min(bytes.length, o + n))),
  };
}

/** Little helper to write DWARF bytes in either byte order. */
class Bytes {
  readonly b: number[] = [];
  constructor(readonly le = true) {}
  u8(...v: number[]): this {
    for (const x of v) this.b.push(x & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.le ? this.u8(v, v >> 8) : this.u8(v >> 8, v);
  }
  u32(v: number): this {
    const bytes = [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
    return this.u8(...(this.le ? bytes : bytes.reverse()));
  }
  u64(v: number): this {
    const lo = v % 2 ** 32;
    const hi = Math.floor(v / 2 ** 32);
    return this.le ? this.u32(lo).u32(hi) : this.u32(hi).u32(lo);
  }
  uleb(v: number): this {
    do {
      let byte = v % 128;
      v = Math.floor(v / 128);
      if (v > 0) byte |= 0x80;
      this.u8(byte);
    } while (v > 0);
    return this;
  }
  sleb(v: number): this {
    for (;;) {
      const byte = v & 0x7f;
      v >>= 7;
      const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
      this.u8(done ? byte : byte | 0x80);
      if (done) return this;
    }
  }
  str(s: string): this {
    for (const c of new TextEncoder().encode(s)) this.u8(c);
    return this.u8(0);
  }
  get length(): number {
    return this.b.length;
  }
  done(): Uint8Array {
    return Uint8Array.from(this.b);
  }
}

type Spec = readonly (readonly [number, number, number?])[];

/** An abbreviation table with one entry, code `code`, for a compile unit with `attrs`. */
function abbrevTable(code: number, attrs: Spec, tag: number = DW_TAG.compile_unit): Bytes {
  const a = new Bytes().uleb(code).uleb(tag).u8(0);
  for (const [at, form, implicit] of attrs) {
    a.uleb(at).uleb(form);
    if (form === DW_FORM.implicit_const) a.sleb(implicit ?? 0);
  }
  return a.uleb(0).uleb(0).uleb(0);
}

/** A unit: header for `version`, 32- or 64-bit DWARF, then `die` (code + values). */
function unit(version: number, die: Bytes, opts: { abbrevOffset?: number; dwarf64?: boolean; le?: boolean; unitType?: number } = {}): Bytes {
  const le = opts.le ?? true;
  const body = new Bytes(le).u16(version);
  const off = opts.abbrevOffset ?? 0;
  const offset = (b: Bytes): Bytes => (opts.dwarf64 === true ? b.u64(off) : b.u32(off));
  if (version >= 5) offset(body.u8(opts.unitType ?? 1, 8));
  else offset(body).u8(8);
  body.u8(...die.b);
  const u = new Bytes(le);
  if (opts.dwarf64 === true) u.u32(0xffffffff).u64(body.length);
  else u.u32(body.length);
  return u.u8(...body.b);
}

function scan(info: Uint8Array, abbrev: Uint8Array, extra: { str?: Uint8Array; lineStr?: Uint8Array; strOffsets?: Uint8Array } = {}, d = LE, maxUnits = 1000): UnitScan {
  return readUnitProducers(
    d,
    {
      info: view('.debug_info', info),
      abbrev: view('.debug_abbrev', abbrev),
      str: extra.str === undefined ? undefined : view('.debug_str', extra.str),
      lineStr: extra.lineStr === undefined ? undefined : view('.debug_line_str', extra.lineStr),
      strOffsets: extra.strOffsets === undefined ? undefined : view('.debug_str_offsets', extra.strOffsets),
    },
    { maxUnits },
  );
}

const PRODUCER = 'GNU C17 12.2.0 -O2 -fstack-protector-strong';

describe('readUnitProducers', () => {
  it('reads an inline producer from DWARF 2', () => {
    const ab = abbrevTable(1, [[DW_AT.producer, DW_FORM.string], [DW_AT.name, DW_FORM.string]]);
    const info = unit(2, new Bytes().uleb(1).str(PRODUCER).str('a.c'));
    const r = scan(info.done(), ab.done());
    expect(r.errors).toEqual([]);
    expect(r.units).toEqual([{ offset: 0, version: 2, tag: DW_TAG.compile_unit, producer: PRODUCER, name: 'a.c', flags: undefined }]);
  });

  it('skips every other form before the producer (DWARF 4, .debug_str)', () => {
    const F = DW_FORM;
    const attrs: Spec = [
      [0x10, F.data1], [0x11, F.data2], [0x12, F.data4], [0x13, F.data8], [0x14, F.sdata], [0x15, F.udata],
      [0x16, F.block1], [0x17, F.block2], [0x18, F.block4], [0x19, F.block], [0x1a, F.exprloc], [0x1b, F.flag],
      [0x1c, F.flag_present], [0x1d, F.sec_offset], [0x1e, F.addr], [0x1f, F.ref4], [0x20, F.ref_udata],
      [0x21, F.ref_addr], [0x22, F.data16], [0x23, F.ref_sig8], [0x24, F.strp],
      [DW_AT.producer, F.strp],
    ];
    const ab = abbrevTable(7, attrs);
    const die = new Bytes().uleb(7)
      .u8(1).u16(2).u32(3).u64(4).sleb(-300).uleb(70000)
      .u8(2, 9, 9).u16(1).u8(9).u32(3).u8(9, 9, 9).uleb(2).u8(9, 9).uleb(1).u8(9).u8(1)
      .u32(0x1234).u64(0x401000).u32(5).uleb(1000).u32(0).u8(...new Array<number>(16).fill(7)).u64(42).u32(0)
      .u32(4);
    const str = new Bytes().str('xyz').str(PRODUCER);
    const r = scan(unit(4, die).done(), ab.done(), { str: str.done() });
    expect(r.errors).toEqual([]);
    expect(r.units[0]?.producer).toBe(PRODUCER);
  });

  it('DWARF 5: strx1 resolved through DW_AT_str_offsets_base even when the base comes after', () => {
    const ab = abbrevTable(1, [[DW_AT.producer, DW_FORM.strx1], [DW_AT.name, DW_FORM.strx1], [DW_AT.str_offsets_base, DW_FORM.sec_offset]]);
    const str = new Bytes().str('clang version 15.0.6 -O2').str('t.c');
    // .debug_str_offsets: a header (length, version, padding) then offsets; the base points past it.
    const offsets = new Bytes().u32(12).u16(5).u16(0).u32(0).u32(25);
    const r = scan(unit(5, new Bytes().uleb(1).u8(0).u8(1).u32(8)).done(), ab.done(), { str: str.done(), strOffsets: offsets.done() });
    expect(r.errors).toEqual([]);
    expect(r.units[0]?.producer).toBe('clang version 15.0.6 -O2');
    expect(r.units[0]?.name).toBe('t.c');
  });

  it('64-bit DWARF 5 with DW_FORM_line_strp, and a skeleton unit header', () => {
    const ab = abbrevTable(1, [[DW_AT.name, DW_FORM.line_strp], [DW_AT.producer, DW_FORM.strp]]);
    const die = new Bytes().uleb(1).u64(0).u64(0);
    const r = scan(unit(5, die, { dwarf64: true }).done(), ab.done(), { str: new Bytes().str(PRODUCER).done(), lineStr: new Bytes().str('main.c').done() });
    expect(r.errors).toEqual([]);
    expect(r.units[0]).toMatchObject({ version: 5, producer: PRODUCER, name: 'main.c' });
    const skel = scan(unit(5, new Bytes().u64(0xdead).uleb(1).u64(0).u64(0), { dwarf64: true, unitType: 4 }).done(), ab.done(), { str: new Bytes().str(PRODUCER).done(), lineStr: new Bytes().str('m.c').done() });
    expect(skel.units[0]?.producer).toBe(PRODUCER);
  });

  it('big-endian DWARF', () => {
    const ab = abbrevTable(1, [[0x13, DW_FORM.data2], [DW_AT.producer, DW_FORM.strp]]);
    const die = new Bytes(false).uleb(1).u16(0x1d).u32(4);
    const r = scan(unit(4, die, { le: false }).done(), ab.done(), { str: new Bytes().str('abc').str(PRODUCER).done() }, BE);
    expect(r.units[0]?.producer).toBe(PRODUCER);
  });

  it('DW_FORM_indirect and DW_FORM_implicit_const', () => {
    const ab = abbrevTable(1, [[0x13, DW_FORM.implicit_const, -5], [DW_AT.producer, DW_FORM.indirect]]);
    const r = scan(unit(5, new Bytes().uleb(1).uleb(DW_FORM.string).str(PRODUCER)).done(), ab.done());
    expect(r.units[0]?.producer).toBe(PRODUCER);
  });

  it('the unit’s abbreviation after hundreds of others, as GCC orders a table by use', () => {
    // Entries 1..299 before the unit's own (300, a two-byte code), with two-byte attribute
    // names, implicit constants of several bytes and more than the first 4 KiB read window.
    const ab = new Bytes();
    for (let code = 1; code < 300; code++) {
      ab.uleb(code).uleb(code % 2 === 0 ? 0x34 : 0x2e).u8(code % 2);
      ab.uleb(DW_AT.APPLE_flags).uleb(DW_FORM.strp).uleb(0x13).uleb(DW_FORM.implicit_const).sleb(-70000 * code).uleb(0x3b).uleb(DW_FORM.data1);
      ab.uleb(0).uleb(0);
    }
    ab.uleb(300).uleb(DW_TAG.compile_unit).u8(1).uleb(0x13).uleb(DW_FORM.implicit_const).sleb(-1).uleb(DW_AT.producer).uleb(DW_FORM.string).uleb(0).uleb(0);
    ab.uleb(0);
    expect(ab.length).toBeGreaterThan(4096);
    const r = scan(unit(5, new Bytes().uleb(300).str(PRODUCER)).done(), ab.done());
    expect(r.errors).toEqual([]);
    expect(r.units.map((u) => [u.tag, u.producer])).toEqual([[DW_TAG.compile_unit, PRODUCER]]);
    // The same table without the unit's entry: the search ends at the table's 0.
    const missing = scan(unit(5, new Bytes().uleb(301).str(PRODUCER)).done(), ab.done());
    expect(missing.errors).toEqual(['unit at 0x0: abbreviation 301 not in the table at 0x0']);
    // Cut inside the last entry: the window cannot grow past the section.
    const cut = scan(unit(5, new Bytes().uleb(300).str(PRODUCER)).done(), ab.done().subarray(0, ab.length - 6));
    expect(cut.errors).toEqual(['unit at 0x0: abbreviation 300 at 0x0 runs past .debug_abbrev']);
  });

  it('a producer longer than the first read window', () => {
    const long = `GNU C17 12.2.0 ${'-fsome-long-option '.repeat(800)}`.trim();
    const ab = abbrevTable(1, [[DW_AT.producer, DW_FORM.string]]);
    const r = scan(unit(4, new Bytes().uleb(1).str(long)).done(), ab.done());
    expect(r.errors).toEqual([]);
    expect(r.units[0]?.producer).toBe(long);
  });

  it('an unknown form fails that unit only', () => {
    const bad = abbrevTable(1, [[0x13, 0x7f], [DW_AT.producer, DW_FORM.string]]);
    const good = abbrevTable(1, [[DW_AT.producer, DW_FORM.string]]);
    const abbrev = new Bytes().u8(...bad.b).u8(...good.b);
    const info = new Bytes().u8(...unit(4, new Bytes().uleb(1).u8(0).str('x')).b).u8(...unit(4, new Bytes().uleb(1).str(PRODUCER), { abbrevOffset: bad.length }).b);
    const r = scan(info.done(), abbrev.done());
    expect(r.errors).toEqual(['unit at 0x0: unknown attribute form 0x7f']);
    expect(r.truncated).toBe(false);
    expect(r.units.map((u) => u.producer)).toEqual([PRODUCER]);
  });

  it('a missing abbreviation, an abbreviation offset outside the section, a null first DIE', () => {
    const ab = abbrevTable(1, [[DW_AT.producer, DW_FORM.string]]);
    const info = new Bytes()
      .u8(...unit(4, new Bytes().uleb(9).str('x')).b)
      .u8(...unit(4, new Bytes().uleb(1).str('x'), { abbrevOffset: 5000 }).b)
      .u8(...unit(4, new Bytes().uleb(0)).b)
      .u8(...unit(4, new Bytes().uleb(1).str(PRODUCER)).b);
    const r = scan(info.done(), ab.done());
    expect(r.errors).toHaveLength(3);
    expect(r.errors[0]).toContain('abbreviation 9 not in the table');
    expect(r.errors[1]).toContain('outside .debug_abbrev');
    expect(r.errors[2]).toContain('null entry');
    expect(r.units.map((u) => u.producer)).toEqual([PRODUCER]);
  });

  it('stops at a reserved or overlong unit length, keeping the units before', () => {
    const ab = abbrevTable(1, [[DW_AT.producer, DW_FORM.string]]);
    const ok = unit(4, new Bytes().uleb(1).str(PRODUCER));
    const reserved = scan(new Bytes().u8(...ok.b).u32(0xfffffff0).u8(0, 0, 0, 0).done(), ab.done());
    expect(reserved.units).toHaveLength(1);
    expect(reserved.truncated).toBe(true);
    expect(reserved.errors[0]).toContain('reserved unit_length');
    const long = scan(new Bytes().u8(...ok.b).u32(0x7fffffff).u16(4).u32(0).u8(8).uleb(1).str('y').done(), ab.done());
    expect(long.truncated).toBe(true);
    expect(long.errors[0]).toContain('runs past the end of .debug_info');
    const version = scan(new Bytes().u32(7).u16(9).u32(0).u8(8).done(), ab.done());
    expect(version.errors[0]).toContain('unsupported DWARF version 9');
  });

  it('rejects a LEB128 longer than 10 bytes', () => {
    const ab = abbrevTable(1, [[0x13, DW_FORM.udata], [DW_AT.producer, DW_FORM.string]]);
    const r = scan(unit(4, new Bytes().uleb(1).u8(...new Array<number>(12).fill(0x80), 0).str('x')).done(), ab.done());
    expect(r.errors[0]).toContain('LEB128');
    expect(r.units).toEqual([]);
  });

  it('caps the number of units', () => {
    const ab = abbrevTable(1, [[DW_AT.producer, DW_FORM.string]]);
    const one = unit(4, new Bytes().uleb(1).str(PRODUCER));
    const info = new Bytes();
    for (let i = 0; i < 10; i++) info.u8(...one.b);
    const r = scan(info.done(), ab.done(), {}, LE, 4);
    expect(r.units).toHaveLength(4);
    expect(r.truncated).toBe(true);
    expect(r.errors[0]).toContain('more than 4 units');
  });

  it('a string offset outside .debug_str is an error, not a throw', () => {
    const ab = abbrevTable(1, [[DW_AT.producer, DW_FORM.strp]]);
    const r = scan(unit(4, new Bytes().uleb(1).u32(999)).done(), ab.done(), { str: new Bytes().str('a').done() });
    expect(r.errors[0]).toContain('string offset 0x3e7 outside .debug_str');
  });
});
