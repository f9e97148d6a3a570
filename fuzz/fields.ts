/**
 * Where the numbers are. Structure-aware mutation needs the byte position of every count,
 * offset, size, alignment and index a reader trusts; this module finds them in a seed (an ELF
 * file, an ar archive, a tar or cpio archive, an rpm), recursing into the members of
 * uncompressed containers so that an ELF file inside a tarball is mutated field by field too.
 *
 * The ELF fields come from our own reader (`ElfFile`): it already knows class, byte order and
 * where each table lies; the layouts it decodes with give the field offsets. Everything here is
 * best-effort: a damaged input yields the fields found before the damage, never an exception.
 */
import { BufferSource } from '../src/io/byte-source.js';
import { isRpm, RPM_LEAD_SIZE } from '../src/io/rpm.js';
import { detectCompression } from '../src/io/decompress.js';
import {
  DYN_LAYOUT,
  ElfFile,
  type FieldSpec,
  type Layout,
  PHDR_LAYOUT,
  PT,
  REL_LAYOUT,
  RELA_LAYOUT,
  SHDR_LAYOUT,
  SHF,
  SHT,
  SYM_LAYOUT,
  f,
} from '../src/elf/index.js';

/** What a number means to the reader: it decides which values are worth trying. */
export type Role = 'count' | 'offset' | 'size' | 'align' | 'index' | 'tag' | 'type' | 'entsize' | 'value' | 'flags' | 'checksum';

/** A binary integer field. */
export interface BinField {
  readonly kind: 'bin';
  readonly at: number;
  readonly width: 1 | 2 | 4 | 8;
  readonly le: boolean;
  readonly role: Role;
  readonly what: string;
}

/** A number written as text (ar sizes in decimal, tar in octal, cpio in hex). */
export interface TextField {
  readonly kind: 'text';
  readonly at: number;
  readonly width: number;
  readonly radix: 8 | 10 | 16;
  readonly role: Role;
  readonly what: string;
}

export type Field = BinField | TextField;

export interface FieldMap {
  readonly fields: Field[];
  /** Offsets of tar header blocks: their checksums are recomputed after a mutation. */
  readonly tarHeaders: number[];
  /** Values of the offset and size fields seen: good values to try in other fields. */
  readonly landmarks: number[];
}

/** Fields per table kept: the first entries and the last ones are where readers go wrong. */
const HEAD_ENTRIES = 12;
const TAIL_ENTRIES = 3;
const MAX_FIELDS = 4000;
const MAX_DEPTH = 3;

export function locateFields(bytes: Uint8Array): FieldMap {
  const map: FieldMap = { fields: [], tarHeaders: [], landmarks: [] };
  try {
    locate(bytes, 0, map, 0);
  } catch {
    // Best effort: keep what was found.
  }
  return map;
}

function locate(bytes: Uint8Array, base: number, map: FieldMap, depth: number): void {
  if (depth > MAX_DEPTH || map.fields.length > MAX_FIELDS || bytes.length < 4) return;
  const b0 = bytes[0];
  if (b0 === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46) return elfFields(bytes, base, map);
  const magic8 = latin1(bytes, 0, 8);
  if (magic8 === '!<arch>\n' || magic8 === '!<thin>\n') return arFields(bytes, base, map, depth, magic8 === '!<thin>\n');
  if (isRpm(bytes)) return rpmFields(bytes, base, map, depth);
  const magic6 = latin1(bytes, 0, 6);
  if (magic6 === '070701' || magic6 === '070702') return cpioFields(bytes, base, map, depth);
  if (bytes.length >= 512 && looksLikeTar(bytes, 0)) return tarFields(bytes, base, map, depth);
  const c = detectCompression(bytes.subarray(0, 16));
  if (c !== null) compressedFields(bytes, base, map, c);
}

function latin1(b: Uint8Array, at: number, n: number): string {
  let s = '';
  for (let i = at; i < at + n && i < b.length; i++) s += String.fromCharCode(b[i]!);
  return s;
}

function push(map: FieldMap, field: Field): void {
  if (map.fields.length < MAX_FIELDS) map.fields.push(field);
}

/** Indexes 0..n-1 to visit: the first few and the last few. */
function sampleIndexes(n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < Math.min(n, HEAD_ENTRIES); i++) out.push(i);
  for (let i = Math.max(HEAD_ENTRIES, n - TAIL_ENTRIES); i < n; i++) out.push(i);
  return out;
}

// ---- ELF ---------------------------------------------------------------------------------

const EHDR_FIELDS: ReadonlyArray<[string, FieldSpec, Role]> = [
  ['e_type', f(16, 2, 16, 2), 'type'],
  ['e_machine', f(18, 2, 18, 2), 'type'],
  ['e_version', f(20, 4, 20, 4), 'value'],
  ['e_entry', f(24, 4, 24, 8), 'value'],
  ['e_phoff', f(28, 4, 32, 8), 'offset'],
  ['e_shoff', f(32, 4, 40, 8), 'offset'],
  ['e_flags', f(36, 4, 48, 4), 'flags'],
  ['e_ehsize', f(40, 2, 52, 2), 'size'],
  ['e_phentsize', f(42, 2, 54, 2), 'entsize'],
  ['e_phnum', f(44, 2, 56, 2), 'count'],
  ['e_shentsize', f(46, 2, 58, 2), 'entsize'],
  ['e_shnum', f(48, 2, 60, 2), 'count'],
  ['e_shstrndx', f(50, 2, 62, 2), 'index'],
];

const PHDR_ROLES: Readonly<Record<keyof typeof PHDR_LAYOUT.fields, Role>> = {
  type: 'type',
  flags: 'flags',
  offset: 'offset',
  vaddr: 'value',
  paddr: 'value',
  filesz: 'size',
  memsz: 'size',
  align: 'align',
};

const SHDR_ROLES: Readonly<Record<keyof typeof SHDR_LAYOUT.fields, Role>> = {
  name: 'index',
  type: 'type',
  flags: 'flags',
  addr: 'value',
  offset: 'offset',
  size: 'size',
  link: 'index',
  info: 'index',
  addralign: 'align',
  entsize: 'entsize',
};

/** GNU hash, version and compression section types (not all named in SHT). */
const SHT_GNU_HASH = 0x6ffffff6;
const SHT_GNU_VERDEF = 0x6ffffffd;
const SHT_GNU_VERNEED = 0x6ffffffe;
const SHT_GNU_VERSYM = 0x6fffffff;

function elfFields(bytes: Uint8Array, base: number, map: FieldMap): void {
  push(map, { kind: 'bin', at: base + 4, width: 1, le: true, role: 'type', what: 'EI_CLASS' });
  push(map, { kind: 'bin', at: base + 5, width: 1, le: true, role: 'type', what: 'EI_DATA' });
  const elf = ElfFile.open(new BufferSource(bytes, 'seed'));
  const { is64, littleEndian: le } = elf.decoder;
  const bin = (at: number, spec: FieldSpec, role: Role, what: string): void => {
    push(map, { kind: 'bin', at: base + at + (is64 ? spec.o64 : spec.o32), width: is64 ? spec.w64 : spec.w32, le, role, what });
  };
  for (const [name, spec, role] of EHDR_FIELDS) bin(0, spec, role, name);
  const h = elf.header;
  map.landmarks.push(h.phoff, h.shoff, bytes.length);
  const table = <F extends string>(at: number, entsize: number, count: number, layout: Layout<F>, roles: Readonly<Record<F, Role>>, what: string): void => {
    if (entsize <= 0) return;
    for (const i of sampleIndexes(count)) {
      const rec = at + i * entsize;
      if (rec + entsize > bytes.length) break;
      for (const k of Object.keys(layout.fields) as F[]) bin(rec, layout.fields[k], roles[k], `${what}[${i}].${k}`);
    }
  };
  let phdrs: ReturnType<() => typeof elf.programHeaders> = [];
  try {
    phdrs = elf.programHeaders;
    table(h.phoff, h.phentsize, phdrs.length, PHDR_LAYOUT, PHDR_ROLES, 'phdr');
  } catch {
    // No usable program headers: the header fields still get mutated.
  }
  for (const p of phdrs) {
    map.landmarks.push(p.offset, p.filesz, p.offset + p.filesz);
    if (p.type === PT.NOTE) noteFields(bytes, base, map, p.offset, p.filesz, le, 'PT_NOTE');
    if (p.type === PT.DYNAMIC) dynFields(bytes, base, map, p.offset, p.filesz, is64, le, 'PT_DYNAMIC');
  }
  let sections: typeof elf.sections = [];
  try {
    sections = elf.sections;
    const count = sections.length;
    table(h.shoff, h.shentsize, count, SHDR_LAYOUT, SHDR_ROLES, 'shdr');
  } catch {
    return;
  }
  for (const s of sections) {
    map.landmarks.push(s.offset, s.size, s.offset + s.size);
    if (s.type === SHT.NOBITS || s.offset + s.size > bytes.length) continue;
    if ((s.flags & SHF.COMPRESSED) !== 0) {
      bin(s.offset, f(0, 4, 0, 4), 'type', `${s.name}.ch_type`);
      bin(s.offset, f(4, 4, 8, 8), 'size', `${s.name}.ch_size`);
      bin(s.offset, f(8, 4, 16, 8), 'align', `${s.name}.ch_addralign`);
      continue;
    }
    const where = `${s.name || `section[${s.index}]`}`;
    switch (s.type) {
      case SHT.DYNAMIC:
        dynFields(bytes, base, map, s.offset, s.size, is64, le, where);
        break;
      case SHT.SYMTAB:
      case SHT.DYNSYM: {
        const roles = { name: 'index', value: 'value', size: 'size', info: 'type', other: 'flags', shndx: 'index' } as const;
        table(s.offset, is64 ? SYM_LAYOUT.size64 : SYM_LAYOUT.size32, Math.floor(s.size / (is64 ? 24 : 16)), SYM_LAYOUT, roles, where);
        break;
      }
      case SHT.REL:
        table(s.offset, is64 ? 16 : 8, Math.floor(s.size / (is64 ? 16 : 8)), REL_LAYOUT, { offset: 'offset', info: 'index' }, where);
        break;
      case SHT.RELA:
        table(s.offset, is64 ? 24 : 12, Math.floor(s.size / (is64 ? 24 : 12)), RELA_LAYOUT, { offset: 'offset', info: 'index', addend: 'value' }, where);
        break;
      case SHT.NOTE:
        noteFields(bytes, base, map, s.offset, s.size, le, where);
        break;
      case SHT.HASH:
        bin(s.offset, f(0, 4, 0, 4), 'count', `${where}.nbucket`);
        bin(s.offset, f(4, 4, 4, 4), 'count', `${where}.nchain`);
        break;
      case SHT_GNU_HASH:
        bin(s.offset, f(0, 4, 0, 4), 'count', `${where}.nbuckets`);
        bin(s.offset, f(4, 4, 4, 4), 'index', `${where}.symoffset`);
        bin(s.offset, f(8, 4, 8, 4), 'count', `${where}.bloom_size`);
        bin(s.offset, f(12, 4, 12, 4), 'value', `${where}.bloom_shift`);
        break;
      case SHT_GNU_VERNEED:
        versionFields(bytes, base, map, s.offset, s.size, le, where, 'need');
        break;
      case SHT_GNU_VERDEF:
        versionFields(bytes, base, map, s.offset, s.size, le, where, 'def');
        break;
      case SHT_GNU_VERSYM:
        for (const i of sampleIndexes(Math.floor(s.size / 2))) push(map, { kind: 'bin', at: base + s.offset + 2 * i, width: 2, le, role: 'index', what: `${where}[${i}]` });
        break;
      default:
        if (s.name === '.debug_info' || s.name === '.debug_line' || s.name === '.debug_aranges') dwarfUnitFields(bytes, base, map, s.offset, s.size, le, where);
    }
  }
}

function u32(bytes: Uint8Array, at: number, le: boolean): number {
  const b = bytes;
  return le
    ? ((b[at] ?? 0) | ((b[at + 1] ?? 0) << 8) | ((b[at + 2] ?? 0) << 16) | ((b[at + 3] ?? 0) << 24)) >>> 0
    : (((b[at] ?? 0) << 24) | ((b[at + 1] ?? 0) << 16) | ((b[at + 2] ?? 0) << 8) | (b[at + 3] ?? 0)) >>> 0;
}

function u16(bytes: Uint8Array, at: number, le: boolean): number {
  return le ? (bytes[at] ?? 0) | ((bytes[at + 1] ?? 0) << 8) : ((bytes[at] ?? 0) << 8) | (bytes[at + 1] ?? 0);
}

/** Notes (namesz, descsz, type), and the GNU properties inside NT_GNU_PROPERTY_TYPE_0. */
function noteFields(bytes: Uint8Array, base: number, map: FieldMap, offset: number, size: number, le: boolean, where: string): void {
  const end = Math.min(bytes.length, offset + size);
  let at = offset;
  for (let n = 0; n < 16 && at + 12 <= end; n++) {
    const namesz = u32(bytes, at, le);
    const descsz = u32(bytes, at + 4, le);
    const type = u32(bytes, at + 8, le);
    push(map, { kind: 'bin', at: base + at, width: 4, le, role: 'size', what: `${where} note[${n}].namesz` });
    push(map, { kind: 'bin', at: base + at + 4, width: 4, le, role: 'size', what: `${where} note[${n}].descsz` });
    push(map, { kind: 'bin', at: base + at + 8, width: 4, le, role: 'type', what: `${where} note[${n}].type` });
    const descAt = at + 12 + align4(namesz);
    if (type === 5 && namesz === 4 && latin1(bytes, at + 12, 3) === 'GNU') {
      // Properties: pr_type, pr_datasz, data padded to 8 (ELF64) or 4; walk with 8 and 4 alike.
      let p = descAt;
      for (let k = 0; k < 8 && p + 8 <= Math.min(end, descAt + descsz); k++) {
        push(map, { kind: 'bin', at: base + p, width: 4, le, role: 'type', what: `${where} property[${k}].pr_type` });
        push(map, { kind: 'bin', at: base + p + 4, width: 4, le, role: 'size', what: `${where} property[${k}].pr_datasz` });
        push(map, { kind: 'bin', at: base + p + 8, width: 4, le, role: 'flags', what: `${where} property[${k}].data` });
        p += 8 + ((u32(bytes, p + 4, le) + 7) & ~7);
      }
    }
    const next = descAt + align4(descsz);
    if (next <= at) break;
    at = next;
  }
}

function align4(n: number): number {
  return (n + 3) & ~3;
}

function dynFields(bytes: Uint8Array, base: number, map: FieldMap, offset: number, size: number, is64: boolean, le: boolean, where: string): void {
  const ent = is64 ? 16 : 8;
  const n = Math.floor(Math.min(size, bytes.length - offset) / ent);
  for (const i of sampleIndexes(Math.min(n, 64))) {
    const at = base + offset + i * ent;
    const spec = DYN_LAYOUT.fields;
    push(map, { kind: 'bin', at: at + (is64 ? spec.tag.o64 : spec.tag.o32), width: is64 ? 8 : 4, le, role: 'tag', what: `${where}[${i}].d_tag` });
    push(map, { kind: 'bin', at: at + (is64 ? spec.val.o64 : spec.val.o32), width: is64 ? 8 : 4, le, role: 'value', what: `${where}[${i}].d_val` });
  }
}

/** Verneed/verdef chains: counts and the relative offsets that link the records. */
function versionFields(bytes: Uint8Array, base: number, map: FieldMap, offset: number, size: number, le: boolean, where: string, kind: 'need' | 'def'): void {
  let at = offset;
  const end = Math.min(bytes.length, offset + size);
  for (let n = 0; n < 8 && at + 16 <= end; n++) {
    const bin = (o: number, width: 2 | 4, role: Role, what: string): void => push(map, { kind: 'bin', at: base + at + o, width, le, role, what: `${where}[${n}].${what}` });
    if (kind === 'need') {
      bin(0, 2, 'value', 'vn_version');
      bin(2, 2, 'count', 'vn_cnt');
      bin(4, 4, 'index', 'vn_file');
      bin(8, 4, 'offset', 'vn_aux');
      bin(12, 4, 'offset', 'vn_next');
      const aux = at + u32(bytes, at + 8, le);
      if (aux + 16 <= end) {
        for (const [o, w, r, name] of [[0, 4, 'value', 'vna_hash'], [6, 2, 'index', 'vna_other'], [8, 4, 'index', 'vna_name'], [12, 4, 'offset', 'vna_next']] as const) {
          push(map, { kind: 'bin', at: base + aux + o, width: w, le, role: r, what: `${where}[${n}].aux.${name}` });
        }
      }
    } else {
      bin(0, 2, 'value', 'vd_version');
      bin(4, 2, 'index', 'vd_ndx');
      bin(6, 2, 'count', 'vd_cnt');
      bin(12, 4, 'offset', 'vd_aux');
      if (at + 20 <= end) bin(16, 4, 'offset', 'vd_next');
    }
    const next = u32(bytes, at + 12 + (kind === 'def' ? 4 : 0), le);
    if (next === 0) break;
    at += next;
  }
}

/** The first DWARF unit header: unit_length, version, abbrev offset, address size. */
function dwarfUnitFields(bytes: Uint8Array, base: number, map: FieldMap, offset: number, size: number, le: boolean, where: string): void {
  if (size < 12 || offset + 12 > bytes.length) return;
  push(map, { kind: 'bin', at: base + offset, width: 4, le, role: 'size', what: `${where}.unit_length` });
  push(map, { kind: 'bin', at: base + offset + 4, width: 2, le, role: 'value', what: `${where}.version` });
  const version = u16(bytes, offset + 4, le);
  if (version >= 5) {
    push(map, { kind: 'bin', at: base + offset + 7, width: 1, le, role: 'size', what: `${where}.address_size` });
    push(map, { kind: 'bin', at: base + offset + 8, width: 4, le, role: 'offset', what: `${where}.debug_abbrev_offset` });
  } else {
    push(map, { kind: 'bin', at: base + offset + 6, width: 4, le, role: 'offset', what: `${where}.debug_abbrev_offset` });
    push(map, { kind: 'bin', at: base + offset + 10, width: 1, le, role: 'size', what: `${where}.address_size` });
  }
}

// ---- ar ----------------------------------------------------------------------------------

function arFields(bytes: Uint8Array, base: number, map: FieldMap, depth: number, thin: boolean): void {
  let at = 8;
  for (let n = 0; n < 64 && at + 60 <= bytes.length; n++) {
    const name = latin1(bytes, at, 16);
    const size = Number.parseInt(latin1(bytes, at + 48, 10).trim(), 10);
    const what = `ar member[${n}] ${name.trim()}`;
    push(map, { kind: 'text', at: base + at + 48, width: 10, radix: 10, role: 'size', what: `${what}.ar_size` });
    push(map, { kind: 'text', at: base + at + 40, width: 8, radix: 8, role: 'flags', what: `${what}.ar_mode` });
    push(map, { kind: 'text', at: base + at + 16, width: 12, radix: 10, role: 'value', what: `${what}.ar_date` });
    if (/^\/\d/.test(name)) push(map, { kind: 'text', at: base + at + 1, width: 15, radix: 10, role: 'offset', what: `${what} long-name offset` });
    if (name.startsWith('#1/')) push(map, { kind: 'text', at: base + at + 3, width: 13, radix: 10, role: 'size', what: `${what} BSD name length` });
    if (!Number.isFinite(size) || size < 0) return;
    const data = at + 60;
    map.landmarks.push(base + data, size);
    if (name.startsWith('/ ') && data + 4 <= bytes.length) {
      // GNU symbol table: a big-endian count, then that many member offsets.
      push(map, { kind: 'bin', at: base + data, width: 4, le: false, role: 'count', what: `${what} symbol count` });
      const count = u32(bytes, data, false);
      for (const i of sampleIndexes(Math.min(count, 256))) {
        if (data + 4 + 4 * i + 4 > bytes.length) break;
        push(map, { kind: 'bin', at: base + data + 4 + 4 * i, width: 4, le: false, role: 'offset', what: `${what} symbol[${i}] member offset` });
      }
    } else if (!(thin && !name.startsWith('/'))) {
      const body = bytes.subarray(data, Math.min(bytes.length, data + size));
      locate(body, base + data, map, depth + 1);
    }
    if (thin && !name.startsWith('/')) at = data;
    else at = data + size + (size & 1);
  }
}

// ---- tar ---------------------------------------------------------------------------------

function looksLikeTar(bytes: Uint8Array, at: number): boolean {
  if (at + 512 > bytes.length) return false;
  const magic = latin1(bytes, at + 257, 5);
  if (magic === 'ustar') return true;
  // Old tar: a checksum that matches.
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : bytes[at + i]!;
  return sum !== 256 && Number.parseInt(latin1(bytes, at + 148, 8).trim(), 8) === sum;
}

function tarFields(bytes: Uint8Array, base: number, map: FieldMap, depth: number): void {
  let at = 0;
  for (let n = 0; n < 64 && at + 512 <= bytes.length; n++) {
    if (!looksLikeTar(bytes, at)) break;
    const type = String.fromCharCode(bytes[at + 156]!);
    const size = parseOctal(bytes, at + 124, 12);
    const name = latin1(bytes, at, 100).replace(/\0.*$/s, '');
    const what = `tar[${n}] ${name}`;
    map.tarHeaders.push(base + at);
    push(map, { kind: 'text', at: base + at + 124, width: 12, radix: 8, role: 'size', what: `${what}.size` });
    push(map, { kind: 'text', at: base + at + 100, width: 8, radix: 8, role: 'flags', what: `${what}.mode` });
    push(map, { kind: 'text', at: base + at + 136, width: 12, radix: 8, role: 'value', what: `${what}.mtime` });
    push(map, { kind: 'text', at: base + at + 148, width: 8, radix: 8, role: 'checksum', what: `${what}.chksum` });
    push(map, { kind: 'bin', at: base + at + 156, width: 1, le: true, role: 'type', what: `${what}.typeflag` });
    const data = at + 512;
    if (size < 0) break;
    map.landmarks.push(base + data, size);
    if (type === 'x' || type === 'g') paxFields(bytes, base, map, data, size, what);
    else if (type === '0' || type === '\0' || type === '7') locate(bytes.subarray(data, Math.min(bytes.length, data + size)), base + data, map, depth + 1);
    at = data + Math.ceil(size / 512) * 512;
  }
}

function parseOctal(bytes: Uint8Array, at: number, width: number): number {
  const s = latin1(bytes, at, width).replace(/\0.*$/s, '').trim();
  const v = Number.parseInt(s, 8);
  return Number.isFinite(v) ? v : -1;
}

/** pax records "LEN key=value\n": the length and numeric values (size) are text fields. */
function paxFields(bytes: Uint8Array, base: number, map: FieldMap, data: number, size: number, what: string): void {
  let at = data;
  const end = Math.min(bytes.length, data + size);
  for (let n = 0; n < 16 && at < end; n++) {
    const rec = latin1(bytes, at, Math.min(end - at, 512));
    const m = /^(\d+) ([^=]+)=/.exec(rec);
    if (m === null) return;
    push(map, { kind: 'text', at: base + at, width: m[1]!.length, radix: 10, role: 'size', what: `${what} pax[${n}] length` });
    if (m[2] === 'size' || m[2] === 'mtime') {
      const valueAt = at + m[0].length;
      const digits = /^\d+/.exec(rec.slice(m[0].length))?.[0].length ?? 0;
      if (digits > 0) push(map, { kind: 'text', at: base + valueAt, width: digits, radix: 10, role: 'size', what: `${what} pax ${m[2]}` });
    }
    const len = Number(m[1]);
    if (len <= 0) return;
    at += len;
  }
}

// ---- cpio --------------------------------------------------------------------------------

const CPIO_FIELDS: ReadonlyArray<[string, Role]> = [
  ['ino', 'value'],
  ['mode', 'flags'],
  ['uid', 'value'],
  ['gid', 'value'],
  ['nlink', 'count'],
  ['mtime', 'value'],
  ['filesize', 'size'],
  ['devmajor', 'value'],
  ['devminor', 'value'],
  ['rdevmajor', 'value'],
  ['rdevminor', 'value'],
  ['namesize', 'size'],
  ['check', 'checksum'],
];

function cpioFields(bytes: Uint8Array, base: number, map: FieldMap, depth: number): void {
  let at = 0;
  for (let n = 0; n < 64 && at + 110 <= bytes.length; n++) {
    const magic = latin1(bytes, at, 6);
    if (magic !== '070701' && magic !== '070702') return;
    CPIO_FIELDS.forEach(([name, role], i) => push(map, { kind: 'text', at: base + at + 6 + 8 * i, width: 8, radix: 16, role, what: `cpio[${n}].${name}` }));
    const filesize = Number.parseInt(latin1(bytes, at + 54, 8), 16);
    const namesize = Number.parseInt(latin1(bytes, at + 94, 8), 16);
    if (!Number.isFinite(filesize) || !Number.isFinite(namesize)) return;
    const data = align4(at + 110 + namesize);
    map.landmarks.push(base + data, filesize);
    if (filesize > 0) locate(bytes.subarray(data, Math.min(bytes.length, data + filesize)), base + data, map, depth + 1);
    at = align4(data + filesize);
  }
}

// ---- rpm ---------------------------------------------------------------------------------

function rpmFields(bytes: Uint8Array, base: number, map: FieldMap, depth: number): void {
  push(map, { kind: 'bin', at: base + 4, width: 1, le: false, role: 'value', what: 'rpm lead major' });
  push(map, { kind: 'bin', at: base + 78, width: 2, le: false, role: 'type', what: 'rpm lead signature_type' });
  let at = RPM_LEAD_SIZE;
  for (const which of ['signature', 'header']) {
    if (at + 16 > bytes.length) return;
    const il = u32(bytes, at + 8, false);
    const dl = u32(bytes, at + 12, false);
    push(map, { kind: 'bin', at: base + at + 8, width: 4, le: false, role: 'count', what: `rpm ${which} index count` });
    push(map, { kind: 'bin', at: base + at + 12, width: 4, le: false, role: 'size', what: `rpm ${which} store size` });
    const store = at + 16 + 16 * il;
    for (const i of sampleIndexes(Math.min(il, 4096))) {
      const e = at + 16 + 16 * i;
      if (e + 16 > bytes.length) break;
      const tag = u32(bytes, e, false);
      const what = `rpm ${which} entry[${i}] tag ${tag}`;
      push(map, { kind: 'bin', at: base + e, width: 4, le: false, role: 'tag', what: `${what}.tag` });
      push(map, { kind: 'bin', at: base + e + 4, width: 4, le: false, role: 'type', what: `${what}.type` });
      push(map, { kind: 'bin', at: base + e + 8, width: 4, le: false, role: 'offset', what: `${what}.offset` });
      push(map, { kind: 'bin', at: base + e + 12, width: 4, le: false, role: 'count', what: `${what}.count` });
    }
    // The file-list arrays a reader indexes with (DIRINDEXES, FILESIZES, FILEMODES).
    for (let i = 0; i < Math.min(il, 4096); i++) {
      const e = at + 16 + 16 * i;
      if (e + 16 > bytes.length) break;
      const tag = u32(bytes, e, false);
      const type = u32(bytes, e + 4, false);
      const off = u32(bytes, e + 8, false);
      const count = u32(bytes, e + 12, false);
      if (which === 'header' && type === 4 && (tag === 1116 || tag === 1028 || tag === 1030)) {
        for (const k of sampleIndexes(Math.min(count, 64))) {
          const v = store + off + 4 * k;
          if (v + 4 <= bytes.length) push(map, { kind: 'bin', at: base + v, width: 4, le: false, role: tag === 1116 ? 'index' : tag === 1028 ? 'size' : 'flags', what: `rpm tag ${tag}[${k}]` });
        }
      }
    }
    let end = store + dl;
    map.landmarks.push(base + store, dl);
    if (which === 'signature') end += (8 - ((end - RPM_LEAD_SIZE) % 8)) % 8;
    at = end;
  }
  if (at < bytes.length) locate(bytes.subarray(at), base + at, map, depth + 1);
}

// ---- compressed streams --------------------------------------------------------------------

/** The few header bytes that steer a decompressor: flags, window and block sizes. */
function compressedFields(bytes: Uint8Array, base: number, map: FieldMap, c: string): void {
  const bin = (at: number, width: 1 | 2 | 4 | 8, role: Role, what: string, le = true): void => {
    if (at + width <= bytes.length) push(map, { kind: 'bin', at: base + at, width, le, role, what: `${c} ${what}` });
  };
  switch (c) {
    case 'gzip':
      bin(3, 1, 'flags', 'FLG');
      bin(8, 1, 'flags', 'XFL');
      if (bytes.length >= 8) {
        bin(bytes.length - 4, 4, 'size', 'ISIZE');
        bin(bytes.length - 8, 4, 'checksum', 'CRC32');
      }
      break;
    case 'xz':
      bin(7, 1, 'flags', 'stream flags');
      bin(12, 1, 'size', 'block header size');
      bin(13, 1, 'flags', 'block flags');
      bin(14, 1, 'value', 'filter id');
      bin(16, 1, 'value', 'LZMA2 dictionary size');
      if (bytes.length >= 12) bin(bytes.length - 8, 4, 'size', 'backward size');
      break;
    case 'zstd':
      bin(4, 1, 'flags', 'frame header descriptor');
      bin(5, 1, 'value', 'window descriptor');
      bin(6, 4, 'size', 'frame content size');
      break;
    case 'bzip2':
      bin(3, 1, 'value', 'block size digit');
      break;
    case 'lzma':
      bin(0, 1, 'value', 'lc/lp/pb');
      bin(1, 4, 'size', 'dictionary size');
      bin(5, 8, 'size', 'uncompressed size');
      break;
  }
}
