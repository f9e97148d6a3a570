/**
 * The per-target work of `harden scan`, run in a worker thread or in-process (src/run/pool.ts):
 * a batch of targets in, their results out, in the same order. Opening, sniffing and reading
 * happen here, never in the main thread. Never throws for bad input.
 */
import { closeSync, fstatSync, readSync, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { analyseElf } from '../checks/analyse.js';
import { FileSource, openReadOnly } from '../io/file-source.js';
import { DEFAULT_LIMITS, type Limits } from '../limits.js';
import { renderRows, type RenderedRows, type RenderSpec } from './rendered-rows.js';
import { type FileResult } from './result.js';
import { isPackageName } from './scan-package.js';
import { message, type Sniffed, scanSource, sniff } from './scan-source.js';
import { type ScanTarget } from './target.js';

export interface ScanBatch {
  readonly targets: readonly ScanTarget[];
  readonly limits?: Partial<Limits>;
  /**
   * Which scan the batch belongs to: within one scan a file met again under another hard link
   * is not analysed again (see `recent`). Without it every file is analysed.
   */
  readonly scan?: number;
  /** Judge and render the rows here (see rendered-rows.ts); without it the results go back as objects. */
  readonly render?: RenderSpec;
}

/**
 * The last ELF files this thread analysed in the current scan, by identity (device, inode,
 * size, times): a file met again under another hard link is not analysed again, its row is
 * reused with the new path. Distributions hardlink large files (Mesa's 13 DRI drivers are one
 * 26 MB library; perl, bzip2, unzip): in /usr that is 313 MB of the 4.3 GB of ELF files. The
 * names of one file sit together in a walk or a sorted list, so a few entries are enough. A
 * row is reused only when nothing in it but `path` names the file (no error, no evidence
 * quoting the path), and only within one scan: a file rewritten in place between two scans
 * may keep its size and, within a clock tick, its times.
 */
const recent = new Map<string, FileResult>();
const RECENT_MAX = 16;
let recentScan: number | undefined;

function identity(st: Stats, explicit: boolean): string {
  return `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}:${explicit ? 1 : 0}`;
}

function remember(key: string, path: string, rows: readonly FileResult[]): void {
  const [r] = rows;
  if (rows.length !== 1 || r === undefined || r.error !== undefined || r.path !== path) return;
  recent.set(key, r);
  if (recent.size > RECENT_MAX) recent.delete(recent.keys().next().value ?? '');
}

/** The row analysed for the same file under another name, if it can stand for this one. */
function reusable(key: string): FileResult | undefined {
  const r = recent.get(key);
  // Checked on a hit only (rare), not for every file remembered.
  return r !== undefined && !JSON.stringify(r.checks).includes(r.path) ? r : undefined;
}

/** Worker entry point (registered as `'scan'` in src/run/tasks.ts). */
export function scanBatchTask(input: unknown): FileResult[] | RenderedRows {
  const batch = input as ScanBatch;
  const results = scanBatch(batch);
  return batch.render === undefined ? results : renderRows(results, batch.render);
}

/** The results of a batch's targets, in order (a target may give several rows: an archive). */
export function scanBatch(batch: ScanBatch): FileResult[] {
  const limits: Limits = { ...DEFAULT_LIMITS, ...batch.limits };
  if (batch.scan !== recentScan) {
    recent.clear();
    recentScan = batch.scan;
  }
  const reuse = batch.scan !== undefined;
  const out: FileResult[] = [];
  for (const t of batch.targets) {
    try {
      out.push(...scanTarget(t, limits, reuse));
    } catch (e) {
      // scanTarget turns every expected failure into a result; this is the last guard.
      out.push({ path: t.path, kind: 'unreadable', error: `internal error: ${message(e)}`, checks: {} });
    }
  }
  return out;
}

function openError(e: unknown): string {
  switch ((e as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    default:
      return message(e);
  }
}

interface Opened {
  /** Open, read-only; the caller closes it or hands it to a FileSource. */
  readonly fd: number;
  readonly st: Stats;
  /** The first bytes (up to 8), for `sniff`. */
  readonly head: Uint8Array;
  /** With `first`: the bytes read at offset 0, for `FileSource.fromDescriptor`. */
  readonly first?: Uint8Array;
}

/**
 * Opens a file and reads its first bytes with one small pread (cheaper than a FileSource's
 * 16 KiB block: most files a walk meets are not ELF), with what fstat says of it. Opened
 * non-blocking and checked to be a regular file: the walk saw a regular file, but a FIFO put in
 * its place since would block a plain open forever. The descriptor stays open, so a file worth
 * analysing is not opened and stat'ed a second time (on /usr's 3,590 ELF files that was four
 * system calls per file, each with Node's costs around it).
 */
function openHead(path: string, first = false): Opened {
  const fd = openReadOnly(path);
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'ENOTREG' });
    if (first) {
      // A file named by the user (a --files-from list: ELF files, as a rule) is about to be
      // read from offset 0 anyway: one pread brings its first block and its head together.
      const bytes = Buffer.allocUnsafe(Math.max(FileSource.firstBlockLength(st.size), 8));
      const n = readSync(fd, bytes, 0, bytes.length, 0);
      return { fd, st, head: bytes.subarray(0, Math.min(n, 8)), first: bytes.subarray(0, n) };
    }
    const head = new Uint8Array(8);
    const n = readSync(fd, head, 0, 8, 0);
    return { fd, st, head: head.subarray(0, n) };
  } catch (e) {
    closeSync(fd);
    throw e;
  }
}

/** The first bytes of a file (see `openHead`), closed again. */
function headOf(path: string): Uint8Array {
  const h = openHead(path);
  closeSync(h.fd);
  return h.head;
}

/** Scans one target; `reuse`: rows of hard links to a file analysed in this scan may be reused. */
export function scanTarget(t: ScanTarget, limits: Limits, reuse = false): FileResult[] {
  switch (t.kind) {
    case 'error':
      return [{ path: t.path, kind: 'unreadable', error: t.message, checks: {} }];
    case 'special':
      return t.explicit
        ? [{ path: t.path, kind: 'special', error: `${t.type}: not opened (only regular files are scanned)`, checks: {} }]
        : [{ path: t.path, kind: 'special', note: `${t.type}: not opened`, checks: {} }];
    case 'symlink':
      return scanLink(t.path, t.target);
    case 'file':
      return scanFile(t.path, t.open ?? t.path, t.explicit, limits, reuse);
  }
}

function scanFile(path: string, open: string, explicit: boolean, limits: Limits, reuse: boolean): FileResult[] {
  let h: Opened;
  try {
    h = openHead(open, explicit);
  } catch (e) {
    return [{ path, kind: 'unreadable', error: openError(e), checks: {} }];
  }
  const what = sniff(h.head);
  // The common case in a directory walk: not ELF, not named, not named like a package: nothing
  // more to read.
  if (what === 'other' && !explicit && !isPackageName(path)) {
    closeSync(h.fd);
    return [];
  }
  if (what === 'elf' && reuse) {
    // The key only here: a walk of /usr sniffs ~150,000 files, 2% of them ELF.
    const key = identity(h.st, explicit);
    const seen = reusable(key);
    if (seen !== undefined) {
      closeSync(h.fd);
      return [{ ...seen, path }];
    }
    const rows = scanFileSource(FileSource.fromDescriptor(h.fd, h.st.size, path, h.first), path, open, explicit, limits);
    remember(key, path, rows);
    return rows;
  }
  return scanFileSource(FileSource.fromDescriptor(h.fd, h.st.size, path, h.first), path, open, explicit, limits);
}

/** Scans what an opened file holds (an ELF file, an archive, a package), and closes it. */
function scanFileSource(src: FileSource, path: string, open: string, explicit: boolean, limits: Limits): FileResult[] {
  const opened: FileSource[] = [];
  try {
    return scanSource(src, path, {
      limits,
      analyse: analyseElf,
      explicit,
      openExternal: (name) => {
        const member = FileSource.open(resolve(dirname(open), name), `${path}!${name}`);
        opened.push(member);
        return member;
      },
    });
  } finally {
    src.close();
    for (const m of opened) m.close();
  }
}

/**
 * A link that was not followed is reported when it leads somewhere a scan would look: an ELF
 * file or archive, a directory, a special file, or nowhere (dangling). Links to other files are
 * skipped like the files themselves.
 */
function scanLink(path: string, target: string): FileResult[] {
  const link = (note: string): FileResult[] => [{ path, kind: 'symlink', target, note, checks: {} }];
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    return link(`dangling symbolic link (${openError(e)})`);
  }
  if (st.isDirectory()) return link('symbolic link to a directory, not followed');
  if (!st.isFile()) return link('symbolic link to a special file, not followed');
  let what: Sniffed;
  try {
    what = sniff(headOf(path));
  } catch (e) {
    return link(`symbolic link to an unreadable file (${openError(e)})`);
  }
  if (what === 'other') return [];
  return link(`symbolic link to ${what === 'ar' ? 'a static archive' : what === 'elf' ? 'an ELF file' : 'LLVM bitcode'}, not followed`);
}
