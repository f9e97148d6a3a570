/**
 * One entry point for every container the scanner meets: static archives (`.a`), `.deb`,
 * `.rpm`, tarballs (plain or compressed), cpio archives and single compressed files.
 *
 *   detectContainer(head)  → ContainerKind | null   from the first bytes (pass 512: a tar
 *                            header is 512 bytes; ar, rpm and compression magics need ≤ 24)
 *   openContainer(src, limits?, options?) → OpenedContainer
 *       .kind              what it is ('tar' for a compressed tarball, with .compression set)
 *       .meta              package name/version/arch for deb and rpm (read at open), else null
 *       .entries()         Generator<ContainerEntry>: synchronous iteration
 *       [Symbol.asyncIterator]  the same entries as an AsyncIterable
 *
 * Entries come in archive order, one at a time. Memory stays bounded: members of an archive on
 * disk (ar members, uncompressed tar/cpio) are zero-copy SliceSources; members of a stream
 * (compressed tarballs, deb data, rpm payloads) are copied into a BufferSource one at a time,
 * at most `maxMemberBytes`. A member over that cap comes out with `error` (a LimitError naming
 * the limit) and no `source`, and iteration goes on. `options.want(header, firstBytes)` lets a
 * caller decline a file's bytes (e.g. not ELF): the entry still comes out, without `source`,
 * and its bytes are skipped without being buffered.
 *
 * Errors: openContainer throws on an unknown or malformed container (ArFormatError,
 * RpmFormatError, DebFormatError, DecompressError, LimitError...); the iterator throws when the
 * rest of the archive cannot be read (corrupt stream, bad header, truncation). Entries already
 * yielded stay valid. Nested containers (an `.a` inside a `.deb`) are the caller's to open, with
 * `options.depth` one higher; past `maxDepth` openContainer throws a LimitError.
 */
import { BufferSource, type ByteSource, SliceSource } from './byte-source.js';
import { AR_MAGIC, AR_THIN_MAGIC, arMemberSource, readArMembers } from './ar.js';
import { CpioReader, isCpioMagic } from './cpio.js';
import { debDataReader, isDebHead, readDeb } from './deb.js';
import { type Compression, decompressStream, detectCompression } from './decompress.js';
import type { EntryHeader } from './entry.js';
import { isRpm, readRpm } from './rpm.js';
import { type SequentialReader, sequentialFromSource, sequentialFromStream } from './sequential.js';
import { TarReader, isTarHeader } from './tar.js';
import { DEFAULT_LIMITS, type Limits, LimitError } from '../limits.js';

export type { EntryHeader, EntryType } from './entry.js';

export type ContainerKind = 'ar' | 'deb' | 'rpm' | 'tar' | 'cpio' | 'compressed';

export interface PackageMeta {
  format: 'deb' | 'rpm';
  name: string;
  /** deb: the Version field as written (epoch:upstream-revision); rpm: VERSION. */
  version: string;
  /** rpm RELEASE; absent for deb (it is part of the version). */
  release?: string;
  /** rpm EPOCH when set. */
  epoch?: number;
  arch: string;
}

export interface ContainerEntry extends EntryHeader {
  /** A file's bytes, named `${outer}!${path}`; absent for non-files, declined or failed files. */
  source?: ByteSource;
  /** Why a file's bytes are missing (e.g. LimitError maxMemberBytes); the archive goes on. */
  error?: Error;
  /** Thin-archive member: the bytes are in an external file `path` beside the archive. */
  external?: boolean;
  /**
   * cpio (rpm payloads) marks hard links by a shared inode, not by a target: every name of a
   * linked file (nlink > 1) carries its inode here, and only the last one carries the bytes.
   */
  linkId?: number;
}

export interface OpenOptions {
  /** Return false to skip a file's bytes; `head` is its first `headBytes` bytes (fewer if smaller). */
  want?: (header: EntryHeader, head: Uint8Array) => boolean;
  /** How many first bytes `want` sees; default 64 (an ELF64 header). */
  headBytes?: number;
  /** Nesting depth of this container (0 = a file on disk). */
  depth?: number;
  /** Name for a single compressed file's entry; default: the source name without its suffix. */
  innerName?: string;
}

export interface OpenedContainer extends AsyncIterable<ContainerEntry> {
  kind: ContainerKind;
  /** For kind 'tar' and 'compressed': the outer compression; null when none. */
  compression: Compression | null;
  meta: PackageMeta | null;
  entries(): Generator<ContainerEntry>;
}

/** What the first bytes are. `.deb` needs 24 bytes, tar 512. */
export function detectContainer(head: Uint8Array): ContainerKind | null {
  if (isRpm(head)) return 'rpm';
  const magic = new TextDecoder('latin1').decode(head.subarray(0, 8));
  if (magic === AR_MAGIC && isDebHead(head)) return 'deb';
  if (magic === AR_MAGIC || magic === AR_THIN_MAGIC) return 'ar';
  if (isCpioMagic(head)) return 'cpio';
  if (head.length >= 512 && isTarHeader(head.subarray(0, 512))) return 'tar';
  if (detectCompression(head) !== null) return 'compressed';
  return null;
}

interface MemberReader {
  next(): (EntryHeader & { path: string; ino?: number; nlink?: number }) | null;
  peekData(n: number): Uint8Array;
  takeData(name: string): ByteSource;
}

function* memberEntries(reader: MemberReader, outer: string, opts: OpenOptions): Generator<ContainerEntry> {
  const headBytes = opts.headBytes ?? 64;
  for (let e = reader.next(); e !== null; e = reader.next()) {
    const entry: ContainerEntry = { path: e.path, type: e.type, size: e.size, mode: e.mode, mtime: e.mtime };
    if (e.linkTarget !== undefined) entry.linkTarget = e.linkTarget;
    if (e.ino !== undefined && e.nlink !== undefined && e.nlink > 1 && (e.type === 'file' || e.type === 'hardlink')) entry.linkId = e.ino;
    if (e.type === 'file' && (opts.want === undefined || opts.want(entry, reader.peekData(headBytes)))) {
      try {
        entry.source = reader.takeData(`${outer}!${e.path}`);
      } catch (err) {
        // Only the per-member cap leaves the archive readable; a bomb or corruption ends it.
        if (!(err instanceof LimitError) || err.limit !== 'maxMemberBytes') throw err;
        entry.error = err;
      }
    }
    yield entry;
  }
}

function* arEntries(src: ByteSource, limits: Limits, opts: OpenOptions): Generator<ContainerEntry> {
  const headBytes = opts.headBytes ?? 64;
  for (const m of readArMembers(src, limits)) {
    const entry: ContainerEntry = { path: m.name, type: 'file', size: m.size, mode: m.mode, mtime: m.date };
    if (m.external) {
      entry.external = true;
    } else {
      const source = arMemberSource(src, m);
      if (opts.want === undefined || opts.want(entry, source.read(0, Math.min(headBytes, m.size)))) entry.source = source;
    }
    yield entry;
  }
}

/** A compressed file that is not a tarball: one entry holding the decompressed bytes. */
function* singleEntry(stream: SequentialReader, name: string, outer: string, limits: Limits, opts: OpenOptions): Generator<ContainerEntry> {
  const head = stream.peek(opts.headBytes ?? 64);
  const entry: ContainerEntry = { path: name, type: 'file', size: 0, mode: 0, mtime: 0 };
  if (opts.want !== undefined && !opts.want(entry, head)) {
    // Size unknown without reading; skipping it costs decompression only.
    let n = 0;
    for (let c = stream.peek(1 << 16); c.length > 0; c = stream.peek(1 << 16)) {
      stream.skip(c.length);
      n += c.length;
    }
    entry.size = n;
    yield entry;
    return;
  }
  const parts: Uint8Array[] = [];
  let n = 0;
  for (let c = stream.peek(1 << 16); c.length > 0; c = stream.peek(1 << 16)) {
    n += c.length;
    if (n > limits.maxMemberBytes) {
      entry.error = new LimitError('maxMemberBytes', n, limits.maxMemberBytes, `${outer}!${name}: member size`);
      break;
    }
    parts.push(stream.read(c.length));
  }
  if (entry.error === undefined) {
    const bytes = new Uint8Array(n);
    let at = 0;
    for (const p of parts) {
      bytes.set(p, at);
      at += p.length;
    }
    entry.size = n;
    entry.source = new BufferSource(bytes, `${outer}!${name}`);
  }
  yield entry;
}

/** The name of a compressed file's content: `x.ko.xz` → `x.ko`, `x.tgz` → `x.tar`. */
function innerName(outer: string): string {
  const base = outer.split(/[\\/!]/).pop() ?? 'data';
  const m = /\.(gz|xz|zst|lzma|bz2|tgz|txz|tzst)$/.exec(base);
  if (m === null) return base;
  return base.slice(0, m.index) + (m[1]!.startsWith('t') ? '.tar' : '');
}

export function openContainer(src: ByteSource, limits: Limits = DEFAULT_LIMITS, options: OpenOptions = {}): OpenedContainer {
  const depth = options.depth ?? 0;
  if (depth > limits.maxDepth) throw new LimitError('maxDepth', depth, limits.maxDepth, `${src.name}: container nesting`);
  const head = src.read(0, Math.min(512, src.size));
  const kind = detectContainer(head);
  let meta: PackageMeta | null = null;
  let compression: Compression | null = null;
  let make: () => Generator<ContainerEntry>;
  let resultKind: ContainerKind;
  switch (kind) {
    case 'ar':
      resultKind = 'ar';
      make = () => arEntries(src, limits, options);
      break;
    case 'deb': {
      const pkg = readDeb(src, limits);
      meta = { format: 'deb', name: pkg.name, version: pkg.version, arch: pkg.arch };
      compression = pkg.dataCompression;
      resultKind = 'deb';
      make = () => memberEntries(new TarReader(debDataReader(src, pkg, limits), limits), src.name, options);
      break;
    }
    case 'rpm': {
      const pkg = readRpm(src, limits);
      meta = { format: 'rpm', name: pkg.name, version: pkg.version, release: pkg.release, arch: pkg.arch };
      if (pkg.epoch !== null) meta.epoch = pkg.epoch;
      if (pkg.payloadFormat !== 'cpio') throw new ContainerError(src.name, `unsupported rpm payload format ${JSON.stringify(pkg.payloadFormat)}`);
      compression = pkg.payloadCompression;
      resultKind = 'rpm';
      const payload = new SliceSource(src, pkg.payloadOffset, src.size - pkg.payloadOffset, `${src.name}!payload`);
      const files = pkg.files;
      make = () => {
        const reader = compression === null ? sequentialFromSource(payload) : sequentialFromStream(decompressStream(payload, compression, limits));
        const resolve = (i: number) => files[i] ?? null;
        return memberEntries(new CpioReader(reader, limits, resolve), src.name, options);
      };
      break;
    }
    case 'tar':
      resultKind = 'tar';
      make = () => memberEntries(new TarReader(sequentialFromSource(src), limits), src.name, options);
      break;
    case 'cpio':
      resultKind = 'cpio';
      make = () => memberEntries(new CpioReader(sequentialFromSource(src), limits), src.name, options);
      break;
    case 'compressed': {
      const c = detectCompression(head)!;
      compression = c;
      // Peek at the decompressed start: a tarball (or cpio) inside is read as such.
      const probe = sequentialFromStream(decompressStream(src, c, limits));
      const inner = probe.peek(512);
      const innerKind = inner.length >= 512 && isTarHeader(inner) ? 'tar' : isCpioMagic(inner) ? 'cpio' : null;
      resultKind = innerKind ?? 'compressed';
      let first = true;
      const reader = (): SequentialReader => {
        // The probe already holds the first bytes: reuse it for the first iteration.
        if (first) {
          first = false;
          return probe;
        }
        return sequentialFromStream(decompressStream(src, c, limits));
      };
      const name = options.innerName ?? innerName(src.name);
      make =
        innerKind === 'tar'
          ? () => memberEntries(new TarReader(reader(), limits), src.name, options)
          : innerKind === 'cpio'
            ? () => memberEntries(new CpioReader(reader(), limits), src.name, options)
            : () => singleEntry(reader(), name, src.name, limits, options);
      break;
    }
    default:
      throw new ContainerError(src.name, 'not a recognised archive, package or compressed file');
  }
  return {
    kind: resultKind,
    compression,
    meta,
    entries: make,
    async *[Symbol.asyncIterator]() {
      yield* make();
    },
  };
}

export class ContainerError extends Error {
  constructor(
    readonly source: string,
    detail: string,
  ) {
    super(`${source}: ${detail}`);
    this.name = 'ContainerError';
  }
}
