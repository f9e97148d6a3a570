/**
 * Builds ELF files in memory for tests: any class, byte order, machine and type, with the
 * sections, segments, dynamic entries, symbols and notes a test names. The layout is simple
 * and deterministic: header, program headers, section contents in order (each aligned), the
 * section name table, then the section headers. Segments refer to sections by name, or give
 * raw offsets (to make them lie). Nothing here is clever: it must be obviously right.
 */

export interface Encoding {
  readonly is64: boolean;
  readonly littleEndian: boolean;
}

/** A growable byte writer that knows the encoding. */
export class Writer {
  private buf = new Uint8Array(256);
  length = 0;
  constructor(readonly enc: Encoding) {}

  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  u8(v: number): this {
    this.ensure(1);
    this.buf[this.length++] = v & 0xff;
    return this;
  }

  u16(v: number): this {
    const le = this.enc.littleEndian;
    return le ? this.u8(v).u8(v >>> 8) : this.u8(v >>> 8).u8(v);
  }

  u32(v: number): this {
    const x = v >>> 0;
    const le = this.enc.littleEndian;
    return le ? this.u8(x).u8(x >>> 8).u8(x >>> 16).u8(x >>> 24) : this.u8(x >>> 24).u8(x >>> 16).u8(x >>> 8).u8(x);
  }

  u64(v: number | bigint): this {
    const big = BigInt.asUintN(64, BigInt(v));
    const lo = Number(big & 0xffffffffn);
    const hi = Number(big >> 32n);
    return this.enc.littleEndian ? this.u32(lo).u32(hi) : this.u32(hi).u32(lo);
  }

  /** A class-sized word: 4 bytes on ELF32, 8 on ELF64. */
  word(v: number | bigint): this {
    return this.enc.is64 ? this.u64(v) : this.u32(Number(BigInt.asUintN(32, BigInt(v))));
  }

  bytes(b: Uint8Array | readonly number[]): this {
    this.ensure(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
    return this;
  }

  align(a: number): this {
    while (a > 1 && this.length % a !== 0) this.u8(0);
    return this;
  }

  patchU32(at: number, v: number): void {
    const saved = this.length;
    this.length = at;
    this.u32(v);
    this.length = saved;
  }

  done(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

/** A string table: offsets of each string, NUL first. */
export function stringTable(strings: readonly string[]): { bytes: Uint8Array; offset: (s: string) => number } {
  const offsets = new Map<string, number>([['', 0]]);
  const parts: number[] = [0];
  for (const s of strings) {
    if (offsets.has(s)) continue;
    offsets.set(s, parts.length);
    for (const c of new TextEncoder().encode(s)) parts.push(c);
    parts.push(0);
  }
  return {
    bytes: Uint8Array.from(parts),
    offset: (s) => {
      const o = offsets.get(s);
      if (o === undefined) throw new Error(`string ${s} not in table`);
      return o;
    },
  };
}

export interface SymbolSpec {
  readonly name: string;
  readonly value?: number;
  readonly size?: number;
  /** STT_* */
  readonly type?: number;
  /** STB_* */
  readonly bind?: number;
  readonly visibility?: number;
  readonly shndx?: number;
}

/** Encodes a symbol table (with the null symbol first) against a string table. */
export function symbolTable(enc: Encoding, syms: readonly SymbolSpec[], strOffset: (s: string) => number): Uint8Array {
  const w = new Writer(enc);
  const all: SymbolSpec[] = [{ name: '' }, ...syms];
  for (const s of all) {
    const info = (((s.bind ?? (s.name === '' ? 0 : 1)) & 0xf) << 4) | ((s.type ?? 0) & 0xf);
    if (enc.is64) {
      w.u32(strOffset(s.name)).u8(info).u8(s.visibility ?? 0).u16(s.shndx ?? 0).u64(s.value ?? 0).u64(s.size ?? 0);
    } else {
      w.u32(strOffset(s.name)).u32(s.value ?? 0).u32(s.size ?? 0).u8(info).u8(s.visibility ?? 0).u16(s.shndx ?? 0);
    }
  }
  return w.done();
}

/** Encodes dynamic entries; a DT_NULL terminator is added unless `terminate` is false. */
export function dynamicTable(enc: Encoding, entries: readonly (readonly [number, number])[], terminate = true): Uint8Array {
  const w = new Writer(enc);
  for (const [tag, val] of entries) w.word(tag).word(val);
  if (terminate) w.word(0).word(0);
  return w.done();
}

/** Encodes one note with `align` (4 or 8) padding rules. */
export function note(enc: Encoding, name: string, type: number, desc: Uint8Array, align = 4): Uint8Array {
  const w = new Writer(enc);
  const nameBytes = name === '' ? new Uint8Array(0) : new TextEncoder().encode(name + '\0');
  w.u32(nameBytes.length).u32(desc.length).u32(type).bytes(nameBytes).align(align).bytes(desc).align(align);
  return w.done();
}

/** A NT_GNU_PROPERTY_TYPE_0 descriptor from (type, u32 value) pairs. */
export function gnuPropertyDesc(enc: Encoding, props: readonly (readonly [number, number])[]): Uint8Array {
  const w = new Writer(enc);
  for (const [type, value] of props) w.u32(type).u32(4).u32(value).align(enc.is64 ? 8 : 4);
  return w.done();
}

export interface SectionSpec {
  readonly name: string;
  readonly type: number;
  readonly flags?: number;
  readonly addr?: number;
  /** Index of another section, or its name. */
  readonly link?: number | string;
  readonly info?: number;
  readonly align?: number;
  readonly entsize?: number;
  readonly data: Uint8Array;
  /** Override the size written in the header (to make it lie). */
  readonly sizeOverride?: number;
  /** Override the offset written in the header. */
  readonly offsetOverride?: number;
}

export interface SegmentSpec {
  readonly type: number;
  readonly flags?: number;
  readonly align?: number;
  /** Cover this section's bytes (offset, size, addr). */
  readonly section?: string;
  /** Or raw values. */
  readonly offset?: number;
  readonly filesz?: number;
  readonly memsz?: number;
  readonly vaddr?: number;
  /** Cover the whole file from offset 0 at vaddr 0 (a PT_LOAD of everything). */
  readonly wholeFile?: boolean;
}

export interface ElfSpec extends Encoding {
  readonly machine: number;
  readonly type: number;
  readonly flags?: number;
  readonly osabi?: number;
  readonly entry?: number;
  readonly segments?: readonly SegmentSpec[];
  readonly sections?: readonly SectionSpec[];
  /** Leave out the section header table (as sstrip does). */
  readonly noSectionHeaders?: boolean;
  /** Patch e_phnum / e_shnum / e_shstrndx / e_phoff / e_shoff after layout. */
  readonly headerOverrides?: Partial<Record<'phnum' | 'shnum' | 'shstrndx' | 'phoff' | 'shoff' | 'phentsize' | 'shentsize', number>>;
}

/**
 * Builds the file. Section addresses default to their file offsets, so a PT_LOAD with
 * `wholeFile` maps every section at its own offset (vaddr == offset), which keeps DT_STRTAB
 * and friends easy to point at: use `addressOf(name)` of the returned layout.
 */
export function buildElf(spec: ElfSpec): { bytes: Uint8Array; offsetOf: (section: string) => number } {
  const enc: Encoding = { is64: spec.is64, littleEndian: spec.littleEndian };
  const ehsize = spec.is64 ? 64 : 52;
  const phentsize = spec.is64 ? 56 : 32;
  const shentsize = spec.is64 ? 64 : 40;
  const segments = spec.segments ?? [];
  const userSections = spec.sections ?? [];
  const shstr = stringTable(['.shstrtab', ...userSections.map((s) => s.name)]);

  // Pass 1: offsets.
  let off = ehsize + phentsize * segments.length;
  const offsets: number[] = [];
  for (const s of userSections) {
    const a = Math.max(1, s.align ?? 1);
    off = Math.ceil(off / a) * a;
    offsets.push(off);
    off += s.data.length;
  }
  const shstrOff = off;
  off += shstr.bytes.length;
  const shoff = spec.noSectionHeaders ? 0 : Math.ceil(off / 8) * 8;
  const totalSections = userSections.length + 2; // null + user + .shstrtab
  const fileSize = spec.noSectionHeaders ? off : shoff + shentsize * totalSections;
  const indexOf = (name: string): number => {
    const i = userSections.findIndex((s) => s.name === name);
    if (i < 0) throw new Error(`no section ${name}`);
    return i + 1;
  };
  const offsetOf = (name: string): number => {
    const o = offsets[indexOf(name) - 1];
    if (o === undefined) throw new Error(`no section ${name}`);
    return o;
  };

  const w = new Writer(enc);
  // e_ident
  w.bytes([0x7f, 0x45, 0x4c, 0x46, spec.is64 ? 2 : 1, spec.littleEndian ? 1 : 2, 1, spec.osabi ?? 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  const ho = spec.headerOverrides ?? {};
  w.u16(spec.type).u16(spec.machine).u32(1).word(spec.entry ?? 0);
  w.word(ho.phoff ?? (segments.length > 0 ? ehsize : 0));
  w.word(ho.shoff ?? shoff);
  w.u32(spec.flags ?? 0).u16(ehsize).u16(ho.phentsize ?? phentsize).u16(ho.phnum ?? segments.length);
  w.u16(ho.shentsize ?? (spec.noSectionHeaders ? 0 : shentsize));
  w.u16(ho.shnum ?? (spec.noSectionHeaders ? 0 : totalSections));
  w.u16(ho.shstrndx ?? (spec.noSectionHeaders ? 0 : totalSections - 1));

  for (const p of segments) {
    let offset = p.offset ?? 0;
    let filesz = p.filesz ?? 0;
    let vaddr = p.vaddr;
    if (p.section !== undefined) {
      const s = userSections[indexOf(p.section) - 1];
      offset = offsetOf(p.section);
      filesz = s?.data.length ?? 0;
      vaddr = vaddr ?? s?.addr ?? offset;
    }
    if (p.wholeFile === true) {
      offset = 0;
      filesz = fileSize;
      vaddr = 0;
    }
    const memsz = p.memsz ?? filesz;
    const va = vaddr ?? offset;
    if (spec.is64) {
      w.u32(p.type).u32(p.flags ?? 4).u64(offset).u64(va).u64(va).u64(filesz).u64(memsz).u64(p.align ?? 1);
    } else {
      w.u32(p.type).u32(offset).u32(va).u32(va).u32(filesz).u32(memsz).u32(p.flags ?? 4).u32(p.align ?? 1);
    }
  }
  userSections.forEach((s, i) => {
    w.align(Math.max(1, s.align ?? 1));
    if (w.length !== offsets[i]) throw new Error('layout mismatch');
    w.bytes(s.data);
  });
  w.bytes(shstr.bytes);
  if (!spec.noSectionHeaders) {
    w.align(8);
    const shdr = (name: number, type: number, flags: number, addr: number, offset: number, size: number, link: number, info: number, align: number, entsize: number): void => {
      if (spec.is64) w.u32(name).u32(type).u64(flags).u64(addr).u64(offset).u64(size).u32(link).u32(info).u64(align).u64(entsize);
      else w.u32(name).u32(type).u32(flags).u32(addr).u32(offset).u32(size).u32(link).u32(info).u32(align).u32(entsize);
    };
    shdr(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    userSections.forEach((s, i) => {
      const o = offsets[i] ?? 0;
      const link = typeof s.link === 'string' ? indexOf(s.link) : (s.link ?? 0);
      shdr(shstr.offset(s.name), s.type, s.flags ?? 0, s.addr ?? o, s.offsetOverride ?? o, s.sizeOverride ?? s.data.length, link, s.info ?? 0, s.align ?? 1, s.entsize ?? 0);
    });
    shdr(shstr.offset('.shstrtab'), 3, 0, 0, shstrOff, shstr.bytes.length, 0, 0, 1, 0);
  }
  return { bytes: w.done(), offsetOf };
}
