/**
 * Scans the bytes of one input, whatever it is: an ELF file gives one result; a static archive
 * gives one result per ELF member, named `ARCHIVE!MEMBER`, and a row for the archive itself
 * only when there is something to say about it (malformed, or no ELF member). Anything else is
 * reported only when the user named it. Pure: the caller opens the bytes (a file, a buffer in a
 * browser page, a package member), so this module never touches the file system.
 *
 * Packages (.deb, .rpm, tarballs; scan-package.ts) plug in here the same way as archives: their
 * members are scanned with this function, one level deeper, under `PKG!MEMBER`. A package is
 * recognised by its content when the user named it, by its name otherwise (a walk must not
 * decompress every `.gz` it meets); a `.deb` is always one (its `!<arch>` magic is read anyway).
 */
import { arMemberSource, readArMembers } from '../io/ar.js';
import { type ByteSource } from '../io/byte-source.js';
import { detectContainer } from '../io/container.js';
import { ElfFile } from '../elf/file.js';
import { type Limits } from '../limits.js';
import { type ElfAnalysis } from '../checks/analyse.js';
import { type FileKind, type FileResult } from './result.js';
import { isPackageName, scanPackage } from './scan-package.js';
import { message, type Sniffed, sniff } from './sniff.js';

/** The checks (src/checks/analyse.ts `analyseElf`), passed in so tests and pages can choose. */
export type AnalyseElf = (elf: ElfFile) => ElfAnalysis;

export interface SourceScanContext {
  readonly limits: Limits;
  readonly analyse: AnalyseElf;
  /** Named by the user (or a member of something that was): a non-ELF file is then reported. */
  readonly explicit: boolean;
  /** Container nesting so far (a member of an archive is at depth 1). */
  readonly depth?: number;
  /** Opens the external member of a thin archive (a path relative to the archive), if possible. */
  readonly openExternal?: (name: string) => ByteSource;
}

export { message, type Sniffed, sniff } from './sniff.js';

function row(path: string, kind: FileKind, extra: { error?: string; note?: string; machine?: string } = {}): FileResult {
  return { path, kind, ...extra, checks: {} };
}

/** Scans `src`, shown as `path`. Never throws for bad input: a bad file is a result with `error`. */
export function scanSource(src: ByteSource, path: string, ctx: SourceScanContext): FileResult[] {
  let head: Uint8Array;
  try {
    // 512 bytes: a tar header is the longest signature (ELF and ar need 8, a .deb 24).
    head = src.read(0, Math.min(512, src.size));
  } catch (e) {
    return [row(path, 'unreadable', { error: message(e, src.name) })];
  }
  switch (sniff(head)) {
    case 'elf':
      return [scanElf(src, path, ctx)];
    case 'ar':
      // A .deb is an ar archive whose first member is debian-binary: a package, not objects.
      if (detectContainer(head) === 'deb') return scanPackage(src, path, ctx, scanSource);
      return scanArchive(src, path, ctx);
    case 'llvm-bitcode':
      // LTO objects without machine code: none of the properties exists yet to be checked.
      return ctx.explicit ? [row(path, 'not-elf', { error: 'LLVM bitcode (an LTO object without machine code): nothing to check until it is compiled' })] : [];
    case 'other': {
      const kind = ctx.explicit || isPackageName(path) ? detectContainer(head) : null;
      if (kind !== null) return scanPackage(src, path, ctx, scanSource);
      return ctx.explicit ? [row(path, 'not-elf', { error: src.size === 0 ? 'empty file: not an ELF file' : 'not an ELF file or static archive' })] : [];
    }
  }
}

function scanElf(src: ByteSource, path: string, ctx: SourceScanContext): FileResult {
  let elf: ElfFile;
  try {
    elf = ElfFile.open(src, ctx.limits);
  } catch (e) {
    return row(path, 'unreadable', { error: message(e, src.name) });
  }
  let machine: string | undefined;
  try {
    machine = elf.machineName;
    const a = ctx.analyse(elf);
    const r: FileResult = { path, kind: a.kind, machine: a.machine, checks: a.checks };
    return a.error === undefined ? r : { ...r, error: a.error };
  } catch (e) {
    // The checks turn malformed structures into `unknown` verdicts; reaching here is a bug or
    // a limit, and still only this file's problem.
    const error = message(e, src.name);
    return row(path, 'unreadable', machine === undefined ? { error } : { error, machine });
  }
}

function scanArchive(src: ByteSource, path: string, ctx: SourceScanContext): FileResult[] {
  const depth = (ctx.depth ?? 0) + 1;
  if (depth > ctx.limits.maxDepth) {
    return [row(path, 'archive', { error: `archive nested ${depth} deep: exceeds limit maxDepth=${ctx.limits.maxDepth}` })];
  }
  const members: FileResult[] = [];
  let error: string | undefined;
  let seen = 0;
  try {
    for (const m of readArMembers(src, ctx.limits)) {
      seen++;
      const name = `${path}!${m.name.replace(/^(\.\/)+/, '')}`;
      let member: ByteSource;
      if (m.external) {
        if (ctx.openExternal === undefined) {
          members.push(row(name, 'unreadable', { error: 'member of a thin archive: its bytes are in another file, which cannot be opened here' }));
          continue;
        }
        try {
          member = ctx.openExternal(m.name);
        } catch (e) {
          members.push(row(name, 'unreadable', { error: `member of a thin archive: ${message(e, name)}` }));
          continue;
        }
      } else {
        member = arMemberSource(src, m);
      }
      // Members are reported when they hold code (ELF or bitcode); text members such as GNU
      // ar's __.LIBDEP are not code and are skipped.
      const kind = sniffSource(member);
      if (kind === 'other') continue;
      members.push(...scanSource(member, name, { ...ctx, explicit: true, depth }));
    }
  } catch (e) {
    error = message(e, src.name);
  }
  if (error !== undefined) {
    const note = `${seen} member${seen === 1 ? '' : 's'} read before the error`;
    return [row(path, 'archive', { error, note }), ...members];
  }
  if (members.length === 0) return [row(path, 'archive', { note: `static archive with no ELF member (${seen} member${seen === 1 ? '' : 's'})` })];
  return members;
}

function sniffSource(src: ByteSource): Sniffed {
  try {
    return sniff(src.read(0, Math.min(8, src.size)));
  } catch {
    return 'other';
  }
}
