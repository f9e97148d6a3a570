/**
 * RPM packages (v3/v4 file format): a 96-byte lead, the signature header (padded to 8 bytes),
 * the main header, then the payload: a cpio archive (newc, or rpm's stripped "07070X"),
 * compressed as RPMTAG_PAYLOADCOMPRESSOR says (gzip, xz, lzma, zstd, bzip2 — unsupported —,
 * or none).
 *
 * A header is: magic 8E AD E8 01, 4 reserved bytes, index count and store size (big-endian
 * u32), 16-byte index entries {tag, type, offset, count}, then the store. Every count, offset
 * and length is checked against the store before use; a bad one is an RpmFormatError.
 *
 *   isRpm(head)                 → boolean (lead magic ED AB EE DB)
 *   readRpm(src, limits)        → RpmPackage: metadata, file list from the header, where the
 *                                 payload starts and its compression. Reads only the headers.
 *   readRpmHeader(src, offset, limits) → RpmHeader (generic tag access)
 */
import type { ByteSource } from './byte-source.js';
import { view } from './bytes.js';
import { type Compression, detectCompression } from './decompress.js';
import { type Limits, LimitError } from '../limits.js';

export const RPM_LEAD_SIZE = 96;
const HEADER_MAGIC = [0x8e, 0xad, 0xe8, 0x01];

export const RPMTAG = {
  NAME: 1000,
  VERSION: 1001,
  RELEASE: 1002,
  EPOCH: 1003,
  OS: 1021,
  ARCH: 1022,
  OLDFILENAMES: 1027,
  FILESIZES: 1028,
  FILEMODES: 1030,
  FILEMTIMES: 1034,
  FILELINKTOS: 1036,
  FILEFLAGS: 1037,
  DIRINDEXES: 1116,
  BASENAMES: 1117,
  DIRNAMES: 1118,
  PAYLOADFORMAT: 1124,
  PAYLOADCOMPRESSOR: 1125,
  LONGFILESIZES: 5008,
} as const;

/** Header value types (rpm's RPM_*_TYPE). */
export const RPM_TYPE = { NULL: 0, CHAR: 1, INT8: 2, INT16: 3, INT32: 4, INT64: 5, STRING: 6, BIN: 7, STRING_ARRAY: 8, I18NSTRING: 9 } as const;
const TYPE_SIZE: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 7: 1 };
/** RPMFILE_GHOST: listed in the header, absent from the payload. */
export const RPMFILE_GHOST = 1 << 6;

export class RpmFormatError extends Error {
  constructor(
    readonly source: string,
    readonly offset: number,
    readonly field: string,
    detail: string,
  ) {
    super(`${source}: bad rpm ${field} at byte 0x${offset.toString(16)}: ${detail}`);
    this.name = 'RpmFormatError';
  }
}

interface IndexEntry {
  tag: number;
  type: number;
  offset: number;
  count: number;
}

const utf8 = new TextDecoder('utf-8');

/** One parsed header: typed, checked access to its tags. */
export class RpmHeader {
  private readonly index = new Map<number, IndexEntry>();

  constructor(
    private readonly sourceName: string,
    /** File offset of the header's magic. */
    readonly offset: number,
    /** File offset just past the store. */
    readonly end: number,
    private readonly store: Uint8Array,
    entries: IndexEntry[],
  ) {
    for (const e of entries) if (!this.index.has(e.tag)) this.index.set(e.tag, e);
  }

  private fail(tag: number, detail: string): never {
    throw new RpmFormatError(this.sourceName, this.offset, `header tag ${tag}`, detail);
  }

  has(tag: number): boolean {
    return this.index.has(tag);
  }

  private entry(tag: number, types: number[]): IndexEntry | null {
    const e = this.index.get(tag);
    if (e === undefined) return null;
    if (!types.includes(e.type)) this.fail(tag, `type ${e.type}, expected ${types.join(' or ')}`);
    if (e.offset >= this.store.length && e.count > 0) this.fail(tag, `offset ${e.offset} is outside the ${this.store.length}-byte store`);
    return e;
  }

  /** NUL-terminated strings starting at the entry's offset, `count` of them, all inside the store. */
  private strings(e: IndexEntry): string[] {
    if (e.count > this.store.length) this.fail(e.tag, `${e.count} strings cannot fit in a ${this.store.length}-byte store`);
    const out: string[] = [];
    let at = e.offset;
    for (let i = 0; i < e.count; i++) {
      const nul = this.store.indexOf(0, at);
      if (nul < 0) this.fail(e.tag, `string ${i} runs past the end of the store`);
      out.push(utf8.decode(this.store.subarray(at, nul)));
      at = nul + 1;
    }
    return out;
  }

  string(tag: number): string | null {
    const e = this.entry(tag, [RPM_TYPE.STRING, RPM_TYPE.I18NSTRING, RPM_TYPE.STRING_ARRAY]);
    if (e === null) return null;
    return this.strings({ ...e, count: Math.min(1, e.count) })[0] ?? null;
  }

  stringArray(tag: number): string[] | null {
    const e = this.entry(tag, [RPM_TYPE.STRING_ARRAY, RPM_TYPE.I18NSTRING, RPM_TYPE.STRING]);
    return e === null ? null : this.strings(e);
  }

  /** INT8/16/32/64 (or CHAR) values as numbers; INT64 above 2^53 is an error. */
  numbers(tag: number): number[] | null {
    const e = this.entry(tag, [RPM_TYPE.CHAR, RPM_TYPE.INT8, RPM_TYPE.INT16, RPM_TYPE.INT32, RPM_TYPE.INT64]);
    if (e === null) return null;
    const size = TYPE_SIZE[e.type]!;
    if (e.count > (this.store.length - e.offset) / size) this.fail(tag, `${e.count} values of ${size} bytes run past the store`);
    const dv = view(this.store);
    const out: number[] = new Array<number>(e.count);
    for (let i = 0; i < e.count; i++) {
      const at = e.offset + i * size;
      switch (size) {
        case 1:
          out[i] = dv.getUint8(at);
          break;
        case 2:
          out[i] = dv.getUint16(at);
          break;
        case 4:
          out[i] = dv.getUint32(at);
          break;
        default: {
          const v = dv.getBigUint64(at);
          if (v > BigInt(Number.MAX_SAFE_INTEGER)) this.fail(tag, `value ${v} too large`);
          out[i] = Number(v);
        }
      }
    }
    return out;
  }
}

/** Parses the header at `offset`, checking its size fields against the file and the limits. */
export function readRpmHeader(src: ByteSource, offset: number, limits: Limits, what = 'header'): RpmHeader {
  const fail = (at: number, detail: string): never => {
    throw new RpmFormatError(src.name, at, what, detail);
  };
  if (offset + 16 > src.size) fail(offset, `truncated: ${Math.max(0, src.size - offset)} bytes left, the header intro needs 16`);
  const intro = src.read(offset, 16);
  for (let k = 0; k < 4; k++) if (intro[k] !== HEADER_MAGIC[k]) fail(offset, 'bad header magic (expected 8E AD E8 01)');
  const dv = view(intro);
  const n = dv.getUint32(8);
  const hsize = dv.getUint32(12);
  if (n > limits.maxEntries) throw new LimitError('maxEntries', n, limits.maxEntries, `${src.name}: rpm ${what} index`);
  if (16 * n + hsize > limits.maxTableBytes) throw new LimitError('maxTableBytes', 16 * n + hsize, limits.maxTableBytes, `${src.name}: rpm ${what}`);
  const end = offset + 16 + 16 * n + hsize;
  if (end > src.size) fail(offset, `${n} index entries and a ${hsize}-byte store run past the end of the file`);
  const idx = view(src.read(offset + 16, 16 * n));
  const entries: IndexEntry[] = [];
  for (let i = 0; i < n; i++) {
    const e = { tag: idx.getUint32(i * 16), type: idx.getUint32(i * 16 + 4), offset: idx.getUint32(i * 16 + 8), count: idx.getUint32(i * 16 + 12) };
    if (e.type > RPM_TYPE.I18NSTRING) fail(offset + 16 + i * 16, `index entry ${i} (tag ${e.tag}) has unknown type ${e.type}`);
    if (e.offset > hsize) fail(offset + 16 + i * 16, `index entry ${i} (tag ${e.tag}) offset ${e.offset} is outside the ${hsize}-byte store`);
    entries.push(e);
  }
  const store = src.read(offset + 16 + 16 * n, hsize);
  return new RpmHeader(src.name, offset, end, store, entries);
}

export interface RpmFile {
  path: string;
  size: number;
  mode: number;
  mtime: number;
  linkTarget?: string;
  /** RPMFILE_* flags (ghost files are not in the payload). */
  flags: number;
}

export interface RpmPackage {
  name: string;
  version: string;
  release: string;
  epoch: number | null;
  arch: string;
  os: string | null;
  payloadFormat: string;
  /** From the payload's magic when it has one, else the header tag; null = not compressed. */
  payloadCompression: Compression | null;
  /** The tag as written, e.g. "zstd", "xz", or null when absent. */
  payloadCompressorTag: string | null;
  payloadOffset: number;
  files: RpmFile[];
  header: RpmHeader;
}

export function isRpm(head: Uint8Array): boolean {
  return head.length >= 4 && head[0] === 0xed && head[1] === 0xab && head[2] === 0xee && head[3] === 0xdb;
}

const COMPRESSOR_TAGS: Record<string, Compression | null> = {
  gzip: 'gzip',
  xz: 'xz',
  lzma: 'lzma',
  zstd: 'zstd',
  bzip2: 'bzip2',
  identity: null,
};

export function readRpm(src: ByteSource, limits: Limits): RpmPackage {
  const fail = (at: number, field: string, detail: string): never => {
    throw new RpmFormatError(src.name, at, field, detail);
  };
  if (src.size < RPM_LEAD_SIZE) fail(0, 'lead', `truncated: ${src.size} bytes, the lead needs ${RPM_LEAD_SIZE}`);
  const lead = src.read(0, RPM_LEAD_SIZE);
  if (!isRpm(lead)) fail(0, 'lead', 'bad magic (expected ED AB EE DB)');
  if (lead[4]! < 3) fail(4, 'lead', `format version ${lead[4]} is too old`);
  const sigType = view(lead).getUint16(78);
  if (sigType !== 5) fail(78, 'lead', `signature type ${sigType} is not a header-style signature (5)`);
  const sig = readRpmHeader(src, RPM_LEAD_SIZE, limits, 'signature header');
  // The signature header's store is padded to a multiple of 8 bytes.
  const mainAt = sig.end + ((8 - ((sig.end - RPM_LEAD_SIZE) % 8)) % 8);
  const h = readRpmHeader(src, mainAt, limits, 'header');
  const name = h.string(RPMTAG.NAME) ?? fail(mainAt, 'header', 'no NAME tag');
  const version = h.string(RPMTAG.VERSION) ?? fail(mainAt, 'header', 'no VERSION tag');
  const release = h.string(RPMTAG.RELEASE) ?? '';
  const epoch = h.numbers(RPMTAG.EPOCH)?.[0] ?? null;
  const payloadFormat = h.string(RPMTAG.PAYLOADFORMAT) ?? 'cpio';
  const tag = h.string(RPMTAG.PAYLOADCOMPRESSOR);
  const head = src.read(h.end, Math.min(16, src.size - h.end));
  let compression = detectCompression(head);
  if (compression === null && tag !== null) {
    if (!(tag in COMPRESSOR_TAGS)) fail(mainAt, 'header', `unknown payload compressor ${JSON.stringify(tag)}`);
    // A tag naming a compressor whose magic is missing: trust the bytes only if they are cpio.
    compression = head.length >= 6 && /^07070[12X]$/.test(String.fromCharCode(...head.subarray(0, 6))) ? null : COMPRESSOR_TAGS[tag]!;
  }
  return {
    name,
    version,
    release,
    epoch,
    arch: h.string(RPMTAG.ARCH) ?? '',
    os: h.string(RPMTAG.OS),
    payloadFormat,
    payloadCompression: compression,
    payloadCompressorTag: tag,
    payloadOffset: h.end,
    files: rpmFiles(src, h),
    header: h,
  };
}

/** The file list from BASENAMES/DIRNAMES/DIRINDEXES (or OLDFILENAMES), all arrays in step. */
function rpmFiles(src: ByteSource, h: RpmHeader): RpmFile[] {
  const fail = (detail: string): never => {
    throw new RpmFormatError(src.name, h.offset, 'file list', detail);
  };
  let paths: string[];
  const base = h.stringArray(RPMTAG.BASENAMES);
  if (base !== null) {
    const dirs = h.stringArray(RPMTAG.DIRNAMES) ?? fail('BASENAMES without DIRNAMES');
    const di = h.numbers(RPMTAG.DIRINDEXES) ?? fail('BASENAMES without DIRINDEXES');
    if (di.length !== base.length) fail(`${base.length} BASENAMES but ${di.length} DIRINDEXES`);
    paths = base.map((b, i) => {
      const d = dirs[di[i]!];
      if (d === undefined) fail(`DIRINDEXES[${i}] = ${di[i]} is past the ${dirs.length} DIRNAMES`);
      return d + b;
    });
  } else {
    paths = h.stringArray(RPMTAG.OLDFILENAMES) ?? [];
  }
  const n = paths.length;
  const sizes = h.numbers(RPMTAG.LONGFILESIZES) ?? h.numbers(RPMTAG.FILESIZES) ?? [];
  const modes = h.numbers(RPMTAG.FILEMODES) ?? [];
  const mtimes = h.numbers(RPMTAG.FILEMTIMES) ?? [];
  const links = h.stringArray(RPMTAG.FILELINKTOS) ?? [];
  const flags = h.numbers(RPMTAG.FILEFLAGS) ?? [];
  for (const [label, arr] of [['sizes', sizes], ['modes', modes], ['mtimes', mtimes], ['link targets', links], ['flags', flags]] as const) {
    if (arr.length !== 0 && arr.length !== n) fail(`${n} files but ${arr.length} file ${label}`);
  }
  return paths.map((path, i) => {
    const f: RpmFile = { path, size: sizes[i] ?? 0, mode: modes[i] ?? 0, mtime: mtimes[i] ?? 0, flags: flags[i] ?? 0 };
    const l = links[i];
    if (l !== undefined && l !== '') f.linkTarget = l;
    return f;
  });
}
