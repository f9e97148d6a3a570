/**
 * Scans a package or tarball (.deb, .rpm, .tar[.gz|.xz|.zst|.bz2], cpio, a single compressed
 * file) in memory, never extracting it: every ELF member (and every static archive member of
 * an `.a` inside) is scanned by the same `scanSource` as a loose file, under the name
 * `PKG!path/in/pkg`, so it gets the same verdicts. Pure (no file system): the caller hands a
 * ByteSource, so a browser page can scan a package it holds in a buffer.
 *
 * Memory: members come out of the container one at a time (src/io/container.ts). Only members
 * whose first bytes say ELF, static archive or (by name) another package are buffered; the
 * rest are decompressed and skipped. A member over `maxMemberBytes` becomes a row with the
 * error; a decompression bomb, a corrupt stream or a bad header ends the package with an error
 * row for it, after the members read before the damage.
 */
import { type ByteSource } from '../io/byte-source.js';
import { type ContainerEntry, type ContainerKind, openContainer, type OpenedContainer } from '../io/container.js';
import { type EntryHeader } from '../io/entry.js';
import { type FileResult, type PackageFormat, type PackageRef } from './result.js';
import { type SourceScanContext } from './scan-source.js';
import { message, sniff } from './sniff.js';

/**
 * Names of packages and tarballs. While a directory is walked, only files named so are opened
 * as packages (by content), so thousands of `.gz` man pages are never decompressed. Named
 * files, listed files and package members named so are detected by content whatever the name
 * (members: by name, as in a walk, for the same reason).
 */
const PACKAGE_NAME = /\.(deb|udeb|ddeb|rpm|tar|tgz|txz|tzst|tbz2|tar\.(gz|xz|zst|bz2))$/i;

/** True when `path` is named like a package or tarball. */
export function isPackageName(path: string): boolean {
  return PACKAGE_NAME.test(path);
}

/** The kinds of container this module reads (static archives are scan-source.ts's own). */
export type PackageKind = Exclude<ContainerKind, 'ar'>;

/** Scans one member (or a loose file): scan-source.ts's `scanSource`, passed in to avoid an import cycle. */
export type ScanMember = (src: ByteSource, path: string, ctx: SourceScanContext) => FileResult[];

/** What a member's first bytes make it worth buffering for: code, an archive, or a package by name. */
function wanted(header: EntryHeader, head: Uint8Array): boolean {
  const what = sniff(head);
  return what === 'elf' || what === 'ar' || isPackageName(header.path);
}

/** `foo_1.2.tar.gz` → `foo_1.2`: a tarball's name, for reports that need a package name. */
export function tarballName(path: string): string {
  const base = path.split(/[\\/!]/).pop() ?? path;
  return base.replace(/\.(tar(\.(gz|xz|zst|bz2|lzma))?|tgz|txz|tzst|tbz2?|cpio(\.(gz|xz|zst|bz2))?|gz|xz|zst|bz2)$/i, '') || base;
}

const FORMAT_WORDS: Readonly<Record<PackageFormat, string>> = {
  deb: 'Debian package',
  rpm: 'RPM package',
  tar: 'tarball',
  cpio: 'cpio archive',
  compressed: 'compressed file',
};

function packageRef(path: string, c: OpenedContainer): PackageRef {
  if (c.meta !== null) {
    const m = c.meta;
    // rpm's EVR as rpm prints it (E:V-R); a deb's Version field already holds epoch and revision.
    const version = m.format === 'rpm' ? `${m.epoch === undefined ? '' : `${m.epoch}:`}${m.version}${m.release === undefined ? '' : `-${m.release}`}` : m.version;
    return { path, format: m.format, name: m.name, version, architecture: m.arch };
  }
  const format: PackageFormat = c.kind === 'cpio' ? 'cpio' : c.kind === 'tar' ? 'tar' : 'compressed';
  return { path, format, name: tarballName(path) };
}

function plural(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

/**
 * Scans the package `src`, shown as `path`. Never throws for bad input: a package that cannot
 * be opened or read to the end gives a row of kind `package` with the error (and how many
 * members were read), followed by the rows of the members read before the damage.
 */
export function scanPackage(src: ByteSource, path: string, ctx: SourceScanContext, scanMember: ScanMember): FileResult[] {
  const depth = (ctx.depth ?? 0) + 1;
  const errorRow = (error: string, note?: string, pkg?: PackageRef): FileResult => ({
    path,
    kind: 'package',
    error,
    ...(note === undefined ? {} : { note }),
    ...(pkg === undefined ? {} : { package: pkg }),
    checks: {},
  });
  if (depth > ctx.limits.maxDepth) return [errorRow(`package nested ${depth} deep: exceeds limit maxDepth=${ctx.limits.maxDepth}`)];
  let c: OpenedContainer;
  try {
    c = openContainer(src, ctx.limits, { want: wanted, headBytes: 512, depth: depth - 1 });
  } catch (e) {
    return [errorRow(message(e, src.name))];
  }
  const pkg = packageRef(path, c);
  const rows: FileResult[] = [];
  // Rows of the ELF files seen so far by member path, for hard links to them: extracted, a hard
  // link is the same file under a second name, and a scan of the tree reports both names.
  const byMember = new Map<string, FileResult[]>();
  let members = 0;
  let files = 0;
  const memberCtx: SourceScanContext = { limits: ctx.limits, analyse: ctx.analyse, explicit: false, depth };
  // cpio's earlier names of a hard-linked file, by inode, until the name with the bytes comes.
  const waiting = new Map<number, string[]>();
  const add = (member: string, found: readonly FileResult[]): void => {
    // Rows of an inner package already name theirs; the others are members of this one.
    const named = found.map((r) => (r.package === undefined ? { ...r, package: pkg } : r));
    rows.push(...named);
    if (named.length > 0) byMember.set(member, named);
  };
  try {
    for (const e of c.entries()) {
      members++;
      if (e.type === 'file') files++;
      if (e.type === 'hardlink' && e.linkTarget === undefined && e.linkId !== undefined) {
        waiting.set(e.linkId, [...(waiting.get(e.linkId) ?? []), e.path]);
        continue;
      }
      add(e.path, scanEntry(e, `${path}!${e.path}`, memberCtx, scanMember, byMember));
      const earlier = e.linkId === undefined ? undefined : waiting.get(e.linkId);
      if (earlier === undefined || e.linkId === undefined) continue;
      waiting.delete(e.linkId);
      for (const other of earlier) add(other, linkRows(byMember.get(e.path), `${path}!${other}`, `${path}!${e.path}`));
    }
  } catch (e) {
    return [errorRow(message(e, src.name), `${plural(members, 'member')} read before the error`, pkg), ...rows];
  }
  if (rows.length === 0) {
    // A named compressed file is a named file: not ELF inside is not ELF, as for a loose file.
    if (c.kind === 'compressed' && ctx.explicit) {
      return [{ path, kind: 'not-elf', error: `${c.compression ?? 'compressed'} data whose content is not an ELF file or static archive`, checks: {} }];
    }
    return [{ path, kind: 'package', note: `${FORMAT_WORDS[pkg.format]} with no ELF file (${plural(files, 'file')})`, package: pkg, checks: {} }];
  }
  return rows;
}

function scanEntry(e: ContainerEntry, name: string, ctx: SourceScanContext, scanMember: ScanMember, byMember: ReadonlyMap<string, FileResult[]>): FileResult[] {
  switch (e.type) {
    case 'file':
      if (e.error !== undefined) return [{ path: name, kind: 'unreadable', error: message(e.error, name), checks: {} }];
      // No source: declined by `wanted` (not ELF), so skipped as a walk skips such files.
      if (e.source === undefined) return [];
      return scanMember(e.source, name, ctx);
    case 'hardlink':
      // tar names the target, which came before.
      if (e.linkTarget === undefined) return [];
      return linkRows(byMember.get(e.linkTarget), name, `${name.slice(0, name.length - e.path.length)}${e.linkTarget}`);
    default:
      // Symbolic links, directories and devices: a link's target is a member in its own right
      // (or in another package); the rest hold no code.
      return [];
  }
}

/** The rows of a hard link's target under the link's name: `PKG!target[!member]` → `PKG!link[!member]`. */
function linkRows(target: readonly FileResult[] | undefined, name: string, targetName: string): FileResult[] {
  if (target === undefined) return [];
  return target.map((r) => ({ ...r, path: name + r.path.slice(targetName.length) }));
}
