/**
 * Turns command-line paths into the files to analyse. Directories are walked recursively in
 * sorted order (stable output); symbolic links are reported and followed only when asked,
 * with cycle detection by device and inode; FIFOs, sockets and devices are reported and never
 * opened (opening a FIFO blocks); unreadable directories and files are reported, never fatal.
 */
import { lstatSync, opendirSync, realpathSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';

export type WalkEntry =
  /** A regular file to analyse. `explicit`: named on the command line (not found by walking). */
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

/** Walks `roots` in order, yielding one entry per file, link, special file or error. */
export function* walk(roots: Iterable<string>, opts: WalkOptions): Generator<WalkEntry> {
  const maxDepth = opts.maxDepth ?? 256;
  for (const root of roots) {
    // Directories being walked (dev:ino), to cut cycles made by followed links or bind mounts.
    const active = new Set<string>();
    yield* visit(root, true, 0);

    function* visit(path: string, explicit: boolean, depth: number): Generator<WalkEntry> {
      let st: Stats;
      try {
        st = lstatSync(path);
      } catch (e) {
        yield { kind: 'error', path, message: errorMessage(e), explicit };
        return;
      }
      if (st.isSymbolicLink()) {
        if (!opts.follow && !explicit) {
          let target = '';
          try {
            target = realpathSync(path);
          } catch (e) {
            target = `(${errorMessage(e)})`;
          }
          yield { kind: 'symlink', path, target, explicit };
          return;
        }
        // Named on the command line, or --follow: use what the link points to.
        try {
          st = statSync(path);
        } catch (e) {
          yield { kind: 'error', path, message: errorMessage(e), explicit };
          return;
        }
      }
      const special = specialType(st);
      if (special !== undefined) {
        yield { kind: 'special', path, type: special, explicit };
        return;
      }
      if (st.isFile()) {
        yield { kind: 'file', path, size: st.size, explicit };
        return;
      }
      if (!st.isDirectory()) {
        yield { kind: 'special', path, type: 'unknown file type', explicit };
        return;
      }
      const id = `${st.dev}:${st.ino}`;
      if (active.has(id)) {
        yield { kind: 'error', path, message: 'directory cycle (already being walked)', explicit };
        return;
      }
      if (depth >= maxDepth) {
        yield { kind: 'error', path, message: `deeper than ${maxDepth} directory levels`, explicit };
        return;
      }
      let names: string[];
      try {
        const dir = opendirSync(path);
        names = [];
        try {
          for (let d = dir.readSync(); d !== null; d = dir.readSync()) names.push(d.name);
        } finally {
          dir.closeSync();
        }
      } catch (e) {
        yield { kind: 'error', path, message: errorMessage(e), explicit };
        return;
      }
      names.sort();
      active.add(id);
      for (const name of names) yield* visit(join(path, name), false, depth + 1);
      active.delete(id);
    }
  }
}
