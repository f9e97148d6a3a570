/**
 * Unix `ar` archives: static libraries (`.a`), `.deb` packages, thin archives.
 *
 * Layout (from ar(5), binutils' and llvm-ar's observed output):
 *   "!<arch>\n" (or "!<thin>\n"), then members, each a 60-byte header
 *   name[16] date[12] uid[6] gid[6] mode[8, octal] size[10, decimal] "`\n"
 *   followed by `size` data bytes and one '\n' pad byte when `size` is odd.
 *
 * Name conventions handled:
 *   GNU/SysV  "name.o/"; "/" symbol index (32-bit BE); "/SYM64/" (64-bit BE); "//" long-name
 *             table whose entries end in "/\n", referenced as "/123" (byte offset).
 *   BSD       "name.o" padded with spaces; "#1/len": the name is the first `len` bytes of the
 *             data (NUL-padded), so the real data starts `len` bytes later; "__.SYMDEF",
 *             "__.SYMDEF SORTED", "__.SYMDEF_64" symbol indexes (ranlib records, host-endian).
 *   Thin      "!<thin>\n": members' bytes live in external files named by the (long) name,
 *             relative to the archive; only the index and name table have data here.
 *
 * API (all synchronous and zero-copy; a member's bytes are
 * `new SliceSource(src, m.dataOffset, m.size, `${src.name}!${m.name}`)`, see `arMemberSource`):
 *   isArArchive(src)                 → boolean (either magic)
 *   readArMembers(src, limits?)      → Generator<ArMember>; index and name-table members are
 *                                      not yielded. Throws ArFormatError (offset, field, value)
 *                                      at the first malformed header, after yielding the good
 *                                      members before it; LimitError past `maxMembers`.
 *   readArSymbolIndex(src, limits?)  → ArSymbolIndex | null (null: the archive has no index).
 */
import { type ByteSource, SliceSource } from './byte-source.js';
import { DEFAULT_LIMITS, type Limits, LimitError } from '../limits.js';

export const AR_MAGIC = '!<arch>\n';
export const AR_THIN_MAGIC = '!<thin>\n';
const MAGIC_SIZE = 8;
export const AR_HEADER_SIZE = 60;

/** One ordinary member (object file, `debian-binary`, `data.tar.xz`...). */
export interface ArMember {
  /** The member name with GNU/BSD encodings resolved ("foo.o", "data.tar.xz", a path in thin archives). */
  name: string;
  /** Offset of the 60-byte header; symbol indexes refer to members by this offset. */
  headerOffset: number;
  /** Offset of the first data byte (after a BSD `#1/len` name). Meaningless when `external`. */
  dataOffset: number;
  /** Data size in bytes (BSD name bytes excluded). */
  size: number;
  /** st_mode bits as stored (octal field); 0 when blank. */
  mode: number;
  /** Modification time, seconds since the epoch; 0 in deterministic archives. */
  date: number;
  uid: number;
  gid: number;
  /** Thin archive member: the bytes are in the file `name` beside the archive, not here. */
  external: boolean;
}

export interface ArSymbol {
  name: string;
  /** Header offset of the member that defines the symbol (matches `ArMember.headerOffset`). */
  memberHeaderOffset: number;
}

export interface ArSymbolIndex {
  /** Which index member held it. */
  format: 'gnu' | 'gnu64' | 'bsd' | 'bsd64';
  symbols: ArSymbol[];
}

/** A malformed archive: where, which field, and what was there. */
export class ArFormatError extends Error {
  constructor(
    readonly source: string,
    readonly offset: number,
    readonly field: string,
    readonly value: string,
    detail: string,
  ) {
    super(`${source}: bad ar ${field} ${JSON.stringify(value)} in header at byte 0x${offset.toString(16)}: ${detail}`);
    this.name = 'ArFormatError';
  }
}

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');

function ascii(bytes: Uint8Array): string {
  return latin1.decode(bytes);
}

/** True when the source starts with either ar magic. */
export function isArArchive(src: ByteSource): boolean {
  if (src.size < MAGIC_SIZE) return false;
  const m = ascii(src.read(0, MAGIC_SIZE));
  return m === AR_MAGIC || m === AR_THIN_MAGIC;
}

/** True for "!<thin>\n" archives. */
export function isThinArArchive(src: ByteSource): boolean {
  return src.size >= MAGIC_SIZE && ascii(src.read(0, MAGIC_SIZE)) === AR_THIN_MAGIC;
}

/** The bytes of one (non-external) member as a zero-copy window of the archive. */
export function arMemberSource(src: ByteSource, m: ArMember): SliceSource {
  return new SliceSource(src, m.dataOffset, m.size, `${src.name}!${m.name}`);
}

/** A raw header with its name not yet resolved. */
interface RawHeader {
  offset: number;
  rawName: string;
  date: number;
  uid: number;
  gid: number;
  mode: number;
  /** Size as stored: includes a BSD long name. */
  size: number;
}

function parseNumber(src: ByteSource, offset: number, field: string, text: string, radix: 8 | 10): number {
  const t = text.trimEnd();
  if (t === '') return 0;
  const re = radix === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
  if (!re.test(t)) {
    throw new ArFormatError(src.name, offset, field, text, radix === 8 ? 'not an octal number' : 'not a decimal number');
  }
  const v = parseInt(t, radix);
  if (!Number.isSafeInteger(v)) throw new ArFormatError(src.name, offset, field, text, 'number too large');
  return v;
}

function readRawHeader(src: ByteSource, offset: number): RawHeader {
  if (offset + AR_HEADER_SIZE > src.size) {
    throw new ArFormatError(src.name, offset, 'header', '', `truncated: ${src.size - offset} bytes left, a header needs ${AR_HEADER_SIZE}`);
  }
  const h = src.read(offset, AR_HEADER_SIZE);
  const fmag = ascii(h.subarray(58, 60));
  if (fmag !== '`\n') throw new ArFormatError(src.name, offset, 'header magic', fmag, 'expected "`\\n"');
  return {
    offset,
    rawName: ascii(h.subarray(0, 16)),
    date: parseNumber(src, offset, 'date', ascii(h.subarray(16, 28)), 10),
    uid: parseNumber(src, offset, 'uid', ascii(h.subarray(28, 34)), 10),
    gid: parseNumber(src, offset, 'gid', ascii(h.subarray(34, 40)), 10),
    mode: parseNumber(src, offset, 'mode', ascii(h.subarray(40, 48)), 8),
    size: parseNumber(src, offset, 'size', ascii(h.subarray(48, 58)), 10),
  };
}

type Special = 'gnu-index' | 'gnu64-index' | 'names' | 'bsd-index' | 'bsd64-index' | null;

function specialKind(name: string): Special {
  switch (name) {
    case '/':
      return 'gnu-index';
    case '/SYM64/':
      return 'gnu64-index';
    case '//':
      return 'names';
    case '__.SYMDEF':
    case '__.SYMDEF SORTED':
      return 'bsd-index';
    case '__.SYMDEF_64':
    case '__.SYMDEF_64 SORTED':
      return 'bsd64-index';
    default:
      return null;
  }
}

/** One walked header with its resolved name, special or not. */
interface WalkedMember extends ArMember {
  special: Special;
}

/**
 * Walks every header, resolving names. Shared by `readArMembers` and `readArSymbolIndex` so
 * both agree on offsets and on what is malformed.
 */
function* walk(src: ByteSource, limits: Limits): Generator<WalkedMember> {
  if (!isArArchive(src)) {
    const got = src.size >= MAGIC_SIZE ? ascii(src.read(0, MAGIC_SIZE)) : '';
    throw new ArFormatError(src.name, 0, 'magic', got, 'not an ar archive');
  }
  const thin = isThinArArchive(src);
  let names: Uint8Array | null = null;
  let offset = MAGIC_SIZE;
  let count = 0;
  while (offset < src.size) {
    // A lone pad byte or trailing newline after the last member is tolerated, as binutils does.
    if (src.size - offset === 1 && src.read(offset, 1)[0] === 0x0a) break;
    const h = readRawHeader(src, offset);
    const dataStart = offset + AR_HEADER_SIZE;
    let name = h.rawName;
    let nameLen = 0; // BSD name bytes at the start of the data
    let special: Special = null;
    const trimmed = name.trimEnd();
    if (trimmed.startsWith('#1/')) {
      nameLen = parseNumber(src, offset, 'BSD name length', trimmed.slice(3), 10);
      if (nameLen > h.size) {
        throw new ArFormatError(src.name, offset, 'BSD name length', trimmed, `longer than the member (${h.size} bytes)`);
      }
      if (dataStart + nameLen > src.size) {
        throw new ArFormatError(src.name, offset, 'BSD name length', trimmed, 'name runs past the end of the file');
      }
      const raw = src.read(dataStart, nameLen);
      const nul = raw.indexOf(0);
      name = utf8.decode(nul >= 0 ? raw.subarray(0, nul) : raw);
      special = specialKind(name);
    } else if ((special = specialKind(trimmed)) !== null) {
      name = trimmed;
    } else if (/^\/[0-9]/.test(trimmed)) {
      const ref = trimmed.slice(1);
      const at = parseNumber(src, offset, 'long name offset', ref, 10);
      if (names === null) {
        throw new ArFormatError(src.name, offset, 'long name offset', trimmed, 'no "//" name table before this member');
      }
      if (at >= names.length) {
        throw new ArFormatError(src.name, offset, 'long name offset', trimmed, `past the end of the ${names.length}-byte name table`);
      }
      name = longName(names, at);
    } else if (trimmed.endsWith('/')) {
      name = trimmed.slice(0, -1);
    } else {
      name = trimmed;
    }
    // Thin archives store no data for ordinary members; the index and name table are inline.
    const external = thin && special === null;
    const stored = external ? 0 : h.size;
    if (!external && dataStart + stored > src.size) {
      throw new ArFormatError(src.name, offset, 'size', String(h.size), `member runs past the end of the file (${src.size - dataStart} bytes left)`);
    }
    if (special === 'names') {
      if (h.size > limits.maxTableBytes) throw new LimitError('maxTableBytes', h.size, limits.maxTableBytes, `${src.name}: ar name table`);
      names = src.read(dataStart, h.size);
    }
    if (special === null && ++count > limits.maxMembers) {
      throw new LimitError('maxMembers', count, limits.maxMembers, `${src.name}: ar members`);
    }
    yield {
      name,
      headerOffset: offset,
      dataOffset: dataStart + nameLen,
      size: h.size - nameLen,
      mode: h.mode,
      date: h.date,
      uid: h.uid,
      gid: h.gid,
      external,
      special,
    };
    offset = dataStart + stored + (stored & 1);
  }
}

/** A GNU name-table entry: ends at "/\n" (GNU), "\n" or NUL (other SysV writers). */
function longName(names: Uint8Array, at: number): string {
  let end = at;
  while (end < names.length && names[end] !== 0x0a && names[end] !== 0) end++;
  let s = utf8.decode(names.subarray(at, end));
  if (s.endsWith('/')) s = s.slice(0, -1);
  return s;
}

/** Ordinary members in file order. See the module comment for errors. */
export function* readArMembers(src: ByteSource, limits: Limits = DEFAULT_LIMITS): Generator<ArMember> {
  for (const m of walk(src, limits)) {
    if (m.special !== null) continue;
    const { special: _special, ...member } = m;
    yield member;
  }
}

/**
 * The archive's symbol index (the first index member found), or null when it has none.
 * Counts and string offsets are checked against the member; a bad index is an ArFormatError.
 */
export function readArSymbolIndex(src: ByteSource, limits: Limits = DEFAULT_LIMITS): ArSymbolIndex | null {
  for (const m of walk(src, limits)) {
    if (m.special === null || m.special === 'names') continue;
    if (m.size > limits.maxTableBytes) {
      throw new LimitError('maxTableBytes', m.size, limits.maxTableBytes, `${src.name}: ar symbol index`);
    }
    const data = src.read(m.dataOffset, m.size);
    switch (m.special) {
      case 'gnu-index':
        return { format: 'gnu', symbols: gnuIndex(src, m, data, 4, limits) };
      case 'gnu64-index':
        return { format: 'gnu64', symbols: gnuIndex(src, m, data, 8, limits) };
      case 'bsd-index':
        return { format: 'bsd', symbols: bsdIndex(src, m, data, 4, limits) };
      case 'bsd64-index':
        return { format: 'bsd64', symbols: bsdIndex(src, m, data, 8, limits) };
    }
  }
  return null;
}

function readUint(data: Uint8Array, at: number, width: 4 | 8, littleEndian: boolean): number {
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (width === 4) return dv.getUint32(at, littleEndian);
  const big = dv.getBigUint64(at, littleEndian);
  return big > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(big);
}

/** NUL-terminated string at `at`; ok=false when it runs off the end. */
function cString(data: Uint8Array, at: number): { s: string; end: number } | null {
  const nul = data.indexOf(0, at);
  if (nul < 0) return null;
  return { s: latin1.decode(data.subarray(at, nul)), end: nul + 1 };
}

/** GNU: count, count big-endian member offsets, then count NUL-terminated names. */
function gnuIndex(src: ByteSource, m: WalkedMember, data: Uint8Array, width: 4 | 8, limits: Limits): ArSymbol[] {
  const fail = (detail: string, value: string): never => {
    throw new ArFormatError(src.name, m.headerOffset, 'symbol index', value, detail);
  };
  if (data.length < width) fail(`${data.length} bytes is too short for the symbol count`, m.name);
  const count = readUint(data, 0, width, false);
  const tableEnd = width + count * width;
  if (tableEnd > data.length) fail(`${count} offsets need ${tableEnd} bytes, the member has ${data.length}`, String(count));
  if (count > limits.maxEntries) throw new LimitError('maxEntries', count, limits.maxEntries, `${src.name}: ar symbol index`);
  const symbols: ArSymbol[] = [];
  let at = tableEnd;
  for (let i = 0; i < count; i++) {
    const str = cString(data, at);
    if (str === null) return fail(`symbol name ${i} is not NUL-terminated`, String(count));
    symbols.push({ name: str.s, memberHeaderOffset: readUint(data, width + i * width, width, false) });
    at = str.end;
  }
  return symbols;
}

/**
 * BSD: ranlib-array byte size, {string offset, member offset} records, string-table byte size,
 * strings. The byte order is the writer's; little-endian is tried first and kept when the
 * sizes fit the member, else big-endian.
 */
function bsdIndex(src: ByteSource, m: WalkedMember, data: Uint8Array, width: 4 | 8, limits: Limits): ArSymbol[] {
  const fail = (detail: string, value: string): never => {
    throw new ArFormatError(src.name, m.headerOffset, 'symbol index', value, detail);
  };
  const fits = (le: boolean): boolean => {
    if (data.length < width) return false;
    const ranSize = readUint(data, 0, width, le);
    if (ranSize % (2 * width) !== 0 || width + ranSize + width > data.length) return false;
    const strSize = readUint(data, width + ranSize, width, le);
    return width + ranSize + width + strSize <= data.length;
  };
  const le = fits(true) ? true : fits(false) ? false : fail('ranlib or string-table size runs past the member', m.name);
  const ranSize = readUint(data, 0, width, le);
  const count = ranSize / (2 * width);
  if (count > limits.maxEntries) throw new LimitError('maxEntries', count, limits.maxEntries, `${src.name}: ar symbol index`);
  const strStart = width + ranSize + width;
  const strSize = readUint(data, width + ranSize, width, le);
  const strings = data.subarray(strStart, strStart + strSize);
  const symbols: ArSymbol[] = [];
  for (let i = 0; i < count; i++) {
    const rec = width + i * 2 * width;
    const strx = readUint(data, rec, width, le);
    const str = strx < strings.length ? cString(strings, strx) : null;
    if (str === null) return fail(`symbol ${i} name offset ${strx} is outside the ${strSize}-byte string table`, String(strx));
    symbols.push({ name: str.s, memberHeaderOffset: readUint(data, rec + width, width, le) });
  }
  return symbols;
}
