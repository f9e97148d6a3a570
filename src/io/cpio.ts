/**
 * cpio "newc" archives ("070701", and "070702" whose check field is a byte sum), as in RPM
 * payloads and initramfs images, plus RPM's stripped variant "07070X" (rpm ≥ 4.12, for files
 * over 4 GiB) whose header is just an index into the package header's file list.
 *
 * newc layout: a 110-byte ASCII header (magic, then 13 fields of 8 hex digits: ino, mode, uid,
 * gid, nlink, mtime, filesize, devmajor, devminor, rdevmajor, rdevminor, namesize, check), the
 * NUL-terminated name, padding to 4, the data, padding to 4. "TRAILER!!!" ends the archive.
 * A symlink's data is its target. Hard links share an inode: only the last of them carries
 * the data; the others (size 0, nlink > 1) are reported as type 'hardlink' with no target.
 *
 *   const c = new CpioReader(reader, limits, stripped?)   stripped resolves "07070X" indexes
 *   c.next() → CpioEntry | null;  c.peekData(n);  c.takeData(name)   (as TarReader)
 *   isCpioMagic(head) → boolean
 */
import type { ByteSource } from './byte-source.js';
import { type EntryHeader, type EntryType, normalizePath } from './entry.js';
import type { SequentialReader } from './sequential.js';
import { type Limits, LimitError } from '../limits.js';

const NEWC_HEADER = 110;
const STRIPPED_HEADER = 14;
const TRAILER = 'TRAILER!!!';
/** Longest name we accept (PATH_MAX is 4096; RPM's are shorter). */
const MAX_NAME = 64 * 1024;

export interface CpioEntry extends EntryHeader {
  ino: number;
  nlink: number;
  uid: number;
  gid: number;
  headerOffset: number;
  dataOffset: number;
}

/** For "07070X": the file's facts from the package header, by index. */
export type StrippedResolver = (index: number) => { path: string; size: number; mode: number; mtime: number; linkTarget?: string } | null;

export class CpioFormatError extends Error {
  constructor(
    readonly source: string,
    readonly offset: number,
    readonly field: string,
    detail: string,
  ) {
    super(`${source}: bad cpio ${field} in header at byte 0x${offset.toString(16)}: ${detail}`);
    this.name = 'CpioFormatError';
  }
}

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');

export function isCpioMagic(head: Uint8Array): boolean {
  const m = latin1.decode(head.subarray(0, 6));
  return m === '070701' || m === '070702' || m === '07070X';
}

/** st_mode's file type bits. */
export function typeFromMode(mode: number): EntryType {
  switch (mode & 0o170000) {
    case 0o100000:
      return 'file';
    case 0o120000:
      return 'symlink';
    case 0o040000:
      return 'dir';
    default:
      return 'other';
  }
}

const pad4 = (n: number): number => (4 - (n % 4)) % 4;

export class CpioReader {
  private dataLeft = 0;
  private padLeft = 0;
  private current: CpioEntry | null = null;
  private count = 0;
  private done = false;

  constructor(
    private readonly r: SequentialReader,
    private readonly limits: Limits,
    private readonly stripped?: StrippedResolver,
  ) {}

  private fail(offset: number, field: string, detail: string): never {
    throw new CpioFormatError(this.r.name, offset, field, detail);
  }

  next(): CpioEntry | null {
    if (this.done) return null;
    this.r.skip(this.dataLeft + this.padLeft);
    this.dataLeft = this.padLeft = 0;
    this.current = null;
    const at = this.r.position;
    if (this.r.atEnd()) this.fail(at, 'trailer', 'archive ends without TRAILER!!!');
    const magic = latin1.decode(this.r.read(6));
    let entry: CpioEntry;
    if (magic === '07070X') {
      entry = this.strippedEntry(at);
    } else if (magic === '070701' || magic === '070702') {
      const h = latin1.decode(this.r.read(NEWC_HEADER - 6));
      const field = (i: number, name: string): number => {
        const t = h.slice(i * 8, i * 8 + 8);
        if (!/^[0-9a-fA-F]{8}$/.test(t)) this.fail(at, name, `${JSON.stringify(t)} is not 8 hex digits`);
        return parseInt(t, 16);
      };
      const ino = field(0, 'ino');
      const mode = field(1, 'mode');
      const uid = field(2, 'uid');
      const gid = field(3, 'gid');
      const nlink = field(4, 'nlink');
      const mtime = field(5, 'mtime');
      const size = field(6, 'filesize');
      const nameSize = field(11, 'namesize');
      if (nameSize < 1 || nameSize > MAX_NAME) this.fail(at, 'namesize', `${nameSize} is out of range`);
      const nameBytes = this.r.read(nameSize);
      if (nameBytes[nameSize - 1] !== 0) this.fail(at, 'name', 'not NUL-terminated');
      const name = utf8.decode(nameBytes.subarray(0, nameSize - 1));
      this.r.skip(pad4(NEWC_HEADER + nameSize));
      if (name === TRAILER) {
        this.done = true;
        return null;
      }
      let type = typeFromMode(mode);
      if (type === 'file' && size === 0 && nlink > 1) type = 'hardlink';
      entry = { path: normalizePath(name), type, size, mode, mtime, ino, nlink, uid, gid, headerOffset: at, dataOffset: this.r.position };
      if (type === 'symlink') {
        if (size > MAX_NAME) this.fail(at, 'symlink target', `${size} bytes is too long`);
        entry.linkTarget = utf8.decode(this.r.read(size));
        entry.size = 0;
        this.r.skip(pad4(size));
        entry.dataOffset = this.r.position;
      }
    } else {
      return this.fail(at, 'magic', `${JSON.stringify(magic)} is not a newc cpio header (070701/070702)`);
    }
    if (++this.count > this.limits.maxMembers) {
      throw new LimitError('maxMembers', this.count, this.limits.maxMembers, `${this.r.name}: cpio entries`);
    }
    this.dataLeft = entry.size;
    this.padLeft = pad4(entry.size);
    this.current = entry;
    return entry;
  }

  /** "07070X" + 8 hex digits of file index; the rest comes from the package header. */
  private strippedEntry(at: number): CpioEntry {
    const t = latin1.decode(this.r.read(STRIPPED_HEADER - 6));
    if (!/^[0-9a-fA-F]{8}$/.test(t)) this.fail(at, 'file index', `${JSON.stringify(t)} is not 8 hex digits`);
    const index = parseInt(t, 16);
    // The archive still ends with an ordinary newc "TRAILER!!!" header.
    const f = this.stripped?.(index) ?? null;
    if (f === null) this.fail(at, 'file index', `${index} is not in the package's file list`);
    this.r.skip(pad4(STRIPPED_HEADER));
    const type = typeFromMode(f.mode);
    // Stripped entries store data only for regular files; link targets live in the header.
    const size = type === 'file' ? f.size : 0;
    // Header paths are absolute; payload names are "./usr/...": report both the same way.
    const e: CpioEntry = { path: normalizePath(f.path.replace(/^\/+/, '')), type, size, mode: f.mode, mtime: f.mtime, ino: index, nlink: 1, uid: 0, gid: 0, headerOffset: at, dataOffset: this.r.position };
    if (f.linkTarget !== undefined && type === 'symlink') e.linkTarget = f.linkTarget;
    return e;
  }

  peekData(n: number): Uint8Array {
    if (this.current === null || this.dataLeft !== this.current.size) throw new Error('peekData: no unread current entry');
    return this.r.peek(Math.min(n, this.dataLeft));
  }

  takeData(name: string, cap: number = this.limits.maxMemberBytes): ByteSource {
    const e = this.current;
    if (e === null || this.dataLeft !== e.size) throw new Error('takeData: no unread current entry');
    if (!this.r.positional && e.size > cap) throw new LimitError('maxMemberBytes', e.size, cap, `${name}: member size`);
    const src = this.r.take(e.size, name);
    this.dataLeft = 0;
    return src;
  }
}
