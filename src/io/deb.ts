/**
 * Debian binary packages: an ar archive whose members are `debian-binary` ("2.0\n"),
 * `control.tar[.gz|.xz|.zst]` and `data.tar[.gz|.xz|.zst|.bz2|.lzma]` (dpkg-deb(1), deb(5)).
 * Compression is taken from the member's magic bytes, falling back to its name.
 *
 *   isDeb(src)              → boolean: an ar archive whose first member is debian-binary
 *   readDeb(src, limits)    → DebPackage: control fields (Package, Version, Architecture...)
 *                             read from control.tar, and the data member to stream
 *   debDataReader(src, pkg, limits) → SequentialReader over the data tarball (decompressing
 *                             on the fly; zero-copy when data.tar is uncompressed)
 */
import type { ByteSource } from './byte-source.js';
import { type ArMember, arMemberSource, readArMembers } from './ar.js';
import { type Compression, decompressStream, detectCompression } from './decompress.js';
import { type SequentialReader, sequentialFromSource, sequentialFromStream } from './sequential.js';
import { TarReader } from './tar.js';
import { type Limits } from '../limits.js';

export class DebFormatError extends Error {
  constructor(
    readonly source: string,
    detail: string,
  ) {
    super(`${source}: bad .deb: ${detail}`);
    this.name = 'DebFormatError';
  }
}

export interface DebPackage {
  name: string;
  version: string;
  arch: string;
  /** Every field of the control file, by its name as written (continuation lines joined with "\n"). */
  fields: Record<string, string>;
  formatVersion: string;
  control: ArMember;
  data: ArMember;
  dataCompression: Compression | null;
}

const NAME_COMPRESSION: Record<string, Compression> = { gz: 'gzip', xz: 'xz', zst: 'zstd', bz2: 'bzip2', lzma: 'lzma' };

function memberCompression(src: ByteSource, m: ArMember): Compression | null {
  const byMagic = detectCompression(src.read(m.dataOffset, Math.min(16, m.size)));
  if (byMagic !== null) return byMagic;
  const ext = /\.tar\.([a-z0-9]+)$/.exec(m.name)?.[1];
  return ext === undefined ? null : (NAME_COMPRESSION[ext] ?? null);
}

export function isDeb(src: ByteSource): boolean {
  return src.size >= 8 + 60 && isDebHead(src.read(0, 8 + 16));
}

/** The first 24 bytes say it: ar magic, then a first member named debian-binary (GNU or BSD style). */
export function isDebHead(head: Uint8Array): boolean {
  if (head.length < 24) return false;
  const text = new TextDecoder('latin1').decode(head.subarray(0, 24));
  return text.startsWith('!<arch>\n') && /^debian-binary\/? *$/.test(text.slice(8));
}

function tarOf(src: ByteSource, m: ArMember, limits: Limits): SequentialReader {
  const slice = arMemberSource(src, m);
  const c = memberCompression(src, m);
  return c === null ? sequentialFromSource(slice) : sequentialFromStream(decompressStream(slice, c, limits));
}

/** Parses deb822 control text: "Field: value" lines, continuation lines start with space/tab. */
export function parseControl(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  let last: string | null = null;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if ((line.startsWith(' ') || line.startsWith('\t')) && last !== null) {
      fields[last] += `\n${line.slice(1)}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    last = line.slice(0, colon);
    fields[last] = line.slice(colon + 1).trim();
  }
  return fields;
}

export function readDeb(src: ByteSource, limits: Limits): DebPackage {
  const fail = (detail: string): never => {
    throw new DebFormatError(src.name, detail);
  };
  const members = [...readArMembers(src, limits)];
  const first = members[0];
  if (first === undefined || first.name !== 'debian-binary') fail('the first member is not debian-binary');
  const formatVersion = new TextDecoder().decode(src.read(first!.dataOffset, Math.min(first!.size, 64))).trim();
  if (!formatVersion.startsWith('2.')) fail(`unsupported format version ${JSON.stringify(formatVersion)}`);
  const control = members.find((m) => /^control\.tar(\.[a-z0-9]+)?$/.test(m.name)) ?? fail('no control.tar member');
  const data = members.find((m) => /^data\.tar(\.[a-z0-9]+)?$/.test(m.name)) ?? fail('no data.tar member');
  // The control tarball is small (maintainer scripts, md5sums); the control file is metadata,
  // read whole under the table cap rather than the member cap.
  const t = new TarReader(tarOf(src, control, limits), limits);
  let fields: Record<string, string> | null = null;
  for (let e = t.next(); e !== null; e = t.next()) {
    if (e.path === 'control' && e.type === 'file') {
      const cap = limits.maxTableBytes;
      const bytes = t.takeData(`${src.name}!control.tar!control`, cap);
      fields = parseControl(new TextDecoder().decode(bytes.read(0, bytes.size)));
      break;
    }
  }
  if (fields === null) return fail('control.tar has no control file');
  return {
    name: fields['Package'] ?? fail('control file has no Package field'),
    version: fields['Version'] ?? fail('control file has no Version field'),
    arch: fields['Architecture'] ?? '',
    fields,
    formatVersion,
    control,
    data,
    dataCompression: memberCompression(src, data),
  };
}

export function debDataReader(src: ByteSource, pkg: DebPackage, limits: Limits): SequentialReader {
  return tarOf(src, pkg.data, limits);
}
