/**
 * Turns command-line paths into the files to analyse. Directories are walked recursively in
 * sorted order (stable output); symbolic links are reported and followed only when asked,
 * with cycle detection by device and inode; FIFOs, sockets and devices are reported and never
 * opened (opening a FIFO blocks); unreadable directories and files are reported, never fatal.
 */
import { type Dirent, lstatSync, readdirSync, realpathSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';

export type WalkEntry =
  /**
   * A regular file to analyse. `explicit`: named on the command line (not found by walking).
   * `size` is -1 for a file found while walking with `statFiles: false`.
   */
  | { readonly kind: 'file'; readonly path: string; readonly size: number; readonly explicit: boolean }
  /** A symbolic link that was not followed. */
  | { readonly kind: 'symlink'; readonly path: string; readonly target: string; readonly explicit: boolean }
  /** A FIFO, socket or device: never opened. */
  | { readonly kind: 'special'; readonly path: string; readonly type: string; readonly explicit: boolean }
  /** Something that could not be read (missing, permission, a link loop...). */
  | { readonly kind: 'error'; readonly path: string; readonly message: string; readonly explicit: boolean };

export interface WalkOptions {
  /** Follow symbolic links (to files and directories), with loop detection. */
  readonly follow: boolean;
  /** Stop descending below this many directory levels (loop guard for odd file systems). */
  readonly maxDepth?: number;
  /**
   * Stat the regular files met while walking, to report their size (default true). Off, the
   * directory entry's type is enough to know a regular file, its size is -1, and the caller
   * learns it when it opens the file: a walk of /usr (150,000 files) then costs a readdir per
   * directory instead of an lstat per file, which matters when one thread walks for many.
   */
  readonly statFiles?: boolean;
}

function specialType(st: Stats): string | undefined {
  if (st.isFIFO()) return 'fifo';
  if (st.isSocket()) return 'socket';
  if (st.isCharacterDevice()) return 'character device';
  if (st.isBlockDevice()) return 'block device';
  return undefined;
}

function errorMessage(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err.code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    default:
      return err.message ?? String(e);
  }
}

/** A FIFO, socket or device, from its directory entry; undefined for anything else. */
function direntSpecialType(d: Dirent): string | undefined {
  if (d.isFIFO()) return 'fifo';
  if (d.isSocket()) return 'socket';
  if (d.isCharacterDevice()) return 'character device';
  if (d.isBlockDevice()) return 'block device';
  return undefined;
}

/** Where a link leads, resolved, or why that cannot be told. */
function linkTarget(path: string): string {
  try {
    return realpathSync(path);
  } catch (e) {
    return `(${errorMessage(e)})`;
  }
}

/**
 * What a path is, from lstat (and stat, for a link that is to be followed): the entry to report
 * for anything but a directory, or the directory's Stats (its dev:ino for the cycle check).
 */
function statEntry(path: string, explicit: boolean, opts: WalkOptions): WalkEntry | Stats {
  let st: Stats;
  try {
    st = lstatSync(path);
  } catch (e) {
    return { kind: 'error', path, message: errorMessage(e), explicit };
  }
  if (st.isSymbolicLink()) {
    if (!opts.follow && !explicit) return { kind: 'symlink', path, target: linkTarget(path), explicit };
    // Named on the command line, or --follow: use what the link points to.
    try {
      st = statSync(path);
    } catch (e) {
      return { kind: 'error', path, message: errorMessage(e), explicit };
    }
  }
  const special = specialType(st);
  if (special !== undefined) return { kind: 'special', path, type: special, explicit };
  if (st.isFile()) return { kind: 'file', path, size: st.size, explicit };
  if (!st.isDirectory()) return { kind: 'special', path, type: 'unknown file type', explicit };
  return st;
}

function isEntry(x: WalkEntry | Stats): x is WalkEntry {
  return 'kind' in x;
}

/**
 * Walks `roots` in order, yielding one entry per file, link, special file or error. A root
 * that is not a directory costs one lstat and no generator of its own: a `--files-from` list
 * is thousands of roots, and the generators, the closure and the cycle set made for each cost
 * more than the lstat.
 */
export function* walk(roots: Iterable<string>, opts: WalkOptions): Generator<WalkEntry> {
  for (const root of roots) {
    const first = statEntry(root, true, opts);
    if (isEntry(first)) yield first;
    else yield* walkDirectory(root, first, opts);
  }
}

/** The entries under directory `root` (whose Stats are `rootStats`), in sorted order. */
function* walkDirectory(root: string, rootStats: Stats, opts: WalkOptions): Generator<WalkEntry> {
  const maxDepth = opts.maxDepth ?? 256;
  // Directories being walked (dev:ino), to cut cycles made by followed links or bind mounts.
  const active = new Set<string>();
  yield* directory(root, rootStats, true, 0);

  function* visit(path: string, explicit: boolean, depth: number, dirent: Dirent): Generator<WalkEntry> {
    // The directory entry already tells regular files, links and special files apart (no
    // stat needed); directories still need one, for the cycle check's dev:ino.
    if (dirent.isFile() && opts.statFiles === false) {
      yield { kind: 'file', path, size: -1, explicit };
      return;
    }
    const special = direntSpecialType(dirent);
    if (special !== undefined) {
      yield { kind: 'special', path, type: special, explicit };
      return;
    }
    if (dirent.isSymbolicLink() && !opts.follow) {
      yield { kind: 'symlink', path, target: linkTarget(path), explicit };
      return;
    }
    const e = statEntry(path, explicit, opts);
    if (isEntry(e)) yield e;
    else yield* directory(path, e, explicit, depth);
  }

  function* directory(path: string, st: Stats, explicit: boolean, depth: number): Generator<WalkEntry> {
    const id = `${st.dev}:${st.ino}`;
    if (active.has(id)) {
      yield { kind: 'error', path, message: 'directory cycle (already being walked)', explicit };
      return;
    }
    if (depth >= maxDepth) {
      yield { kind: 'error', path, message: `deeper than ${maxDepth} directory levels`, explicit };
      return;
    }
    let entries: Dirent[];
    try {
      entries = readdirSync(path, { withFileTypes: true });
    } catch (e) {
      yield { kind: 'error', path, message: errorMessage(e), explicit };
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    // join() once per directory: a child's path is the prefix plus its name (an entry name
    // never holds a slash, '.' or '..'), exactly what join(path, name) gives.
    const prefix = join(path, '_').slice(0, -1);
    active.add(id);
    for (const d of entries) yield* visit(prefix + d.name, false, depth + 1, d);
    active.delete(id);
  }
}
