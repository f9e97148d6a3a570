/**
 * Streaming tar reader: v7, ustar (prefix + name), GNU (`././@LongLink` 'L'/'K' long names,
 * base-256 numbers) and pax ('x' per-entry and 'g' global headers: path, linkpath, size, mtime,
 * uid, gid, uname, gname). Header checksums are verified (unsigned, or the signed sum some old
 * tars wrote). GNU sparse entries ('S') are reported as type 'other' with their stored bytes
 * (their map's extension blocks skipped).
 *
 *   const t = new TarReader(reader, limits)   over a SequentialReader (sequential.ts)
 *   t.next()            → TarEntry | null     skips what is left of the previous entry's data
 *   t.peekData(n)       → first ≤ n data bytes of the current entry, not consumed
 *   t.takeData(name)    → the current entry's data as a ByteSource: a zero-copy slice over a
 *                         positional source, else a buffer (LimitError past `maxMemberBytes`:
 *                         the entry can still be skipped and the archive read on)
 *   isTarHeader(block)  → true when a 512-byte block is a tar header with a valid checksum
 *
 * End of archive: a zero block, or the end of the data at a header boundary (tolerated, as
 * GNU tar does). Malformed headers throw TarFormatError; data that ends early TruncatedError.
 */
import type { ByteSource } from './byte-source.js';
import { copy } from './bytes.js';
import { type EntryHeader, type EntryType, normalizePath } from './entry.js';
import { type SequentialReader, TruncatedError } from './sequential.js';
import { type Limits, LimitError } from '../limits.js';

export const TAR_BLOCK = 512;
/** Largest GNU long name or pax header we accept: they are metadata, not payload. */
const MAX_META_BYTES = 1024 * 1024;

export interface TarEntry extends EntryHeader {
  /** The raw typeflag character ('0', '5', 'S'...). */
  typeflag: string;
  uid: number;
  gid: number;
  uname: string;
  gname: string;
  /** Offset of the entry's (last) header block in the tar stream. */
  headerOffset: number;
  /** Offset of the entry's first data byte in the tar stream. */
  dataOffset: number;
}

export class TarFormatError extends Error {
  constructor(
    readonly source: string,
    readonly offset: number,
    readonly field: string,
    detail: string,
  ) {
    super(`${source}: bad tar ${field} in header at byte 0x${offset.toString(16)}: ${detail}`);
    this.name = 'TarFormatError';
  }
}

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');

function cstr(b: Uint8Array, at: number, len: number, dec: TextDecoder = utf8): string {
  const f = b.subarray(at, at + len);
  const nul = f.indexOf(0);
  return dec.decode(nul >= 0 ? f.subarray(0, nul) : f);
}

function checksums(b: Uint8Array): { unsigned: number; signed: number } {
  let u = 0;
  let s = 0;
  for (let i = 0; i < TAR_BLOCK; i++) {
    const v = i >= 148 && i < 156 ? 0x20 : b[i]!;
    u += v;
    s += v > 127 ? v - 256 : v;
  }
  return { unsigned: u, signed: s };
}

/** Octal with NUL/space padding, or GNU base-256 (high bit of the first byte set). null = bad. */
function numeric(b: Uint8Array, at: number, len: number): number | null {
  const f = b.subarray(at, at + len);
  if (f[0]! & 0x80) {
    if (f[0] === 0xff) return null; // negative
    let v = f[0]! & 0x7f;
    for (let i = 1; i < f.length; i++) {
      v = v * 256 + f[i]!;
      if (!Number.isSafeInteger(v)) return null;
    }
    return v;
  }
  const t = latin1.decode(f).replace(/[\0 ]+$/, '').replace(/^ +/, '').replace(/\0.*$/, '');
  if (t === '') return 0;
  if (!/^[0-7]+$/.test(t)) return null;
  const v = parseInt(t, 8);
  return Number.isSafeInteger(v) ? v : null;
}

/** True for a 512-byte tar header block (ustar magic, or a valid checksum over a non-zero block). */
export function isTarHeader(b: Uint8Array): boolean {
  if (b.length < TAR_BLOCK) return false;
  const stored = numeric(b, 148, 8);
  if (stored === null || b.every((x) => x === 0)) return false;
  const c = checksums(b);
  return stored === c.unsigned || stored === c.signed;
}

interface Pax {
  path?: string;
  linkpath?: string;
  size?: number;
  mtime?: number;
  uid?: number;
  gid?: number;
  uname?: string;
  gname?: string;
}

export class TarReader {
  private dataLeft = 0;
  private padLeft = 0;
  private current: TarEntry | null = null;
  private global: Pax = {};
  private count = 0;
  private done = false;

  constructor(
    private readonly r: SequentialReader,
    private readonly limits: Limits,
  ) {}

  private fail(offset: number, field: string, detail: string): never {
    throw new TarFormatError(this.r.name, offset, field, detail);
  }

  /** Reads a GNU long name or pax body of `size` bytes (plus padding) after the header. */
  private meta(size: number, at: number, what: string): Uint8Array {
    if (size > MAX_META_BYTES) this.fail(at, what, `${size} bytes is more than the ${MAX_META_BYTES} accepted for metadata`);
    const data = copy(this.r.read(size));
    this.r.skip(pad(size));
    return data;
  }

  private parsePax(data: Uint8Array, at: number, into: Pax): void {
    let i = 0;
    while (i < data.length) {
      // "%d %s=%s\n": the length counts the whole record.
      const sp = data.indexOf(0x20, i);
      if (sp < 0) {
        if (data.subarray(i).every((x) => x === 0)) return; // NUL padding some writers leave
        this.fail(at, 'pax record', 'no length');
      }
      const lenText = latin1.decode(data.subarray(i, sp));
      if (!/^[0-9]+$/.test(lenText)) this.fail(at, 'pax record', `bad length ${JSON.stringify(lenText)}`);
      const len = parseInt(lenText, 10);
      if (len <= sp - i + 1 || i + len > data.length || data[i + len - 1] !== 0x0a) this.fail(at, 'pax record', `length ${len} does not frame a record`);
      const rec = utf8.decode(data.subarray(sp + 1, i + len - 1));
      i += len;
      const eq = rec.indexOf('=');
      if (eq < 0) this.fail(at, 'pax record', `no "=" in ${JSON.stringify(rec.slice(0, 40))}`);
      const key = rec.slice(0, eq);
      const value = rec.slice(eq + 1);
      const num = (): number => {
        const v = Number(value.split('.')[0]);
        if (!/^-?[0-9]+(\.[0-9]*)?$/.test(value) || !Number.isSafeInteger(v)) this.fail(at, `pax ${key}`, `bad number ${JSON.stringify(value)}`);
        return v;
      };
      switch (key) {
        case 'path':
          into.path = value;
          break;
        case 'linkpath':
          into.linkpath = value;
          break;
        case 'size': {
          const v = num();
          if (v < 0) this.fail(at, 'pax size', 'negative');
          into.size = v;
          break;
        }
        case 'mtime':
          into.mtime = num();
          break;
        case 'uid':
          into.uid = num();
          break;
        case 'gid':
          into.gid = num();
          break;
        case 'uname':
          into.uname = value;
          break;
        case 'gname':
          into.gname = value;
          break;
        default:
          break;
      }
    }
  }

  next(): TarEntry | null {
    if (this.done) return null;
    this.r.skip(this.dataLeft + this.padLeft);
    this.dataLeft = this.padLeft = 0;
    this.current = null;
    let longName: string | undefined;
    let longLink: string | undefined;
    let local: Pax = {};
    for (;;) {
      if (this.r.atEnd()) {
        if (longName !== undefined || longLink !== undefined || Object.keys(local).length > 0) {
          throw new TruncatedError(this.r.name, this.r.position, TAR_BLOCK, 0);
        }
        this.done = true;
        return null;
      }
      const at = this.r.position;
      const b = this.r.read(TAR_BLOCK);
      if (b.every((x) => x === 0)) {
        this.done = true;
        return null;
      }
      const stored = numeric(b, 148, 8);
      const sums = checksums(b);
      if (stored === null || (stored !== sums.unsigned && stored !== sums.signed)) {
        this.fail(at, 'checksum', `stored ${cstr(b, 148, 8, latin1).trim() || '(empty)'}, computed ${sums.unsigned.toString(8)}`);
      }
      const typeflag = b[156] === 0 ? '0' : String.fromCharCode(b[156]!);
      const size = numeric(b, 124, 12);
      if (size === null) this.fail(at, 'size', `${JSON.stringify(cstr(b, 124, 12, latin1))} is not a number`);
      if (typeflag === 'L') {
        longName = cstr(this.meta(size, at, 'GNU long name'), 0, size);
        continue;
      }
      if (typeflag === 'K') {
        longLink = cstr(this.meta(size, at, 'GNU long link'), 0, size);
        continue;
      }
      if (typeflag === 'x' || typeflag === 'g') {
        const data = this.meta(size, at, 'pax header');
        this.parsePax(data, at, typeflag === 'x' ? local : this.global);
        continue;
      }
      if (typeflag === 'S' && b[482] !== 0) {
        // Old GNU sparse entry with more map entries than its header holds: extension blocks
        // (21 map entries, then the same "more follow" flag at byte 504, no checksum) come
        // between the header and the data. Each read consumes input, so a hostile chain ends
        // at the end of the data (TruncatedError).
        for (let ext = this.r.read(TAR_BLOCK); ext[504] !== 0; ext = this.r.read(TAR_BLOCK));
      }
      const magic = latin1.decode(b.subarray(257, 263));
      const posix = magic === 'ustar\0';
      const prefix = posix ? cstr(b, 345, 155) : '';
      const name = cstr(b, 0, 100);
      const px: Pax = { ...this.global, ...local };
      local = {};
      const rawPath = px.path ?? longName ?? (prefix !== '' ? `${prefix}/${name}` : name);
      const rawLink = px.linkpath ?? longLink ?? cstr(b, 157, 100);
      longName = longLink = undefined;
      const mode = numeric(b, 100, 8);
      if (mode === null) this.fail(at, 'mode', `${JSON.stringify(cstr(b, 100, 8, latin1))} is not octal`);
      let type: EntryType;
      let hasData = true;
      switch (typeflag) {
        case '0':
        case '7':
          // v7 archives mark directories only with a trailing slash.
          type = rawPath.endsWith('/') ? 'dir' : 'file';
          break;
        case '1':
          type = 'hardlink';
          hasData = false;
          break;
        case '2':
          type = 'symlink';
          hasData = false;
          break;
        case '5':
          type = 'dir';
          hasData = false;
          break;
        case '3':
        case '4':
        case '6':
          type = 'other';
          hasData = false;
          break;
        default:
          type = 'other';
      }
      // Header-only types carry no data blocks whatever their size field says (POSIX).
      const dataSize = hasData ? (px.size ?? size) : 0;
      if (++this.count > this.limits.maxMembers) {
        throw new LimitError('maxMembers', this.count, this.limits.maxMembers, `${this.r.name}: tar entries`);
      }
      const entry: TarEntry = {
        path: normalizePath(rawPath),
        type,
        size: dataSize,
        mode,
        mtime: px.mtime ?? numeric(b, 136, 12) ?? 0,
        typeflag,
        uid: px.uid ?? numeric(b, 108, 8) ?? 0,
        gid: px.gid ?? numeric(b, 116, 8) ?? 0,
        uname: px.uname ?? cstr(b, 265, 32),
        gname: px.gname ?? cstr(b, 297, 32),
        headerOffset: at,
        dataOffset: this.r.position,
      };
      if (type === 'symlink' || type === 'hardlink') {
        entry.linkTarget = type === 'hardlink' ? normalizePath(rawLink) : rawLink;
      }
      this.dataLeft = dataSize;
      this.padLeft = pad(dataSize);
      this.current = entry;
      return entry;
    }
  }

  /** Up to `n` first data bytes of the current entry, without consuming them. */
  peekData(n: number): Uint8Array {
    if (this.current === null || this.dataLeft !== this.current.size) throw new Error('peekData: no unread current entry');
    return this.r.peek(Math.min(n, this.dataLeft));
  }

  /** The current entry's data, once. */
  takeData(name: string, cap: number = this.limits.maxMemberBytes): ByteSource {
    const e = this.current;
    if (e === null || this.dataLeft !== e.size) throw new Error('takeData: no unread current entry');
    // Only a copied member costs memory; a slice of a positional source is free.
    if (!this.r.positional && e.size > cap) throw new LimitError('maxMemberBytes', e.size, cap, `${name}: member size`);
    const src = this.r.take(e.size, name);
    this.dataLeft = 0;
    return src;
  }
}

function pad(n: number): number {
  return (TAR_BLOCK - (n % TAR_BLOCK)) % TAR_BLOCK;
}
