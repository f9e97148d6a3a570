/**
 * `--pid PID`: the executable of a running process and every file it has mapped. The bytes are
 * read through `/proc/PID/exe` and `/proc/PID/map_files/…`, which reach the mapped file even
 * when its path was deleted or replaced since (a library upgraded under a running daemon), so
 * the report describes the code that runs, not what the path holds today.
 *
 * Mapped files are not "named by the user": those that are not ELF (locale archives, fonts,
 * caches) are skipped silently, and non-regular ones (/dev/zero, DRM devices) are never opened.
 */
import { readFileSync, readlinkSync, statSync } from 'node:fs';
import { parseProcMaps } from './proc-maps.js';
import { type ScanTarget } from './target.js';

function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ESRCH') return 'no such process';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return e instanceof Error ? e.message : String(e);
}

/** Display path, read-from path, and whether the user named it (the executable) or not. */
function target(path: string, open: string, explicit: boolean): ScanTarget | undefined {
  try {
    const st = statSync(open);
    if (!st.isFile()) return explicit ? { kind: 'special', path, type: 'not a regular file', explicit } : undefined;
    return { kind: 'file', path, open, size: st.size, explicit };
  } catch (e) {
    return { kind: 'error', path, message: reason(e), explicit };
  }
}

/** True when `path` still names the mapped file (not a newer file installed over it). */
function sameInode(path: string, inode: number): boolean {
  try {
    return statSync(path).ino === inode;
  } catch {
    return false;
  }
}

/** The targets of one process, executable first, each file once. */
export function pidTargets(pid: number, procRoot = '/proc'): ScanTarget[] {
  const dir = `${procRoot}/${pid}`;
  const label = `pid ${pid}`;
  let exe: string;
  try {
    exe = readlinkSync(`${dir}/exe`);
  } catch (e) {
    // A kernel thread has no exe link; a vanished or foreign process gives ENOENT/EACCES.
    return [{ kind: 'error', path: `${label}: /proc/${pid}/exe`, message: reason(e), explicit: true }];
  }
  const out: ScanTarget[] = [];
  const first = target(exe, `${dir}/exe`, true);
  if (first !== undefined) out.push(first);
  let maps: string;
  try {
    maps = readFileSync(`${dir}/maps`, 'utf8');
  } catch (e) {
    out.push({ kind: 'error', path: `${label}: /proc/${pid}/maps`, message: reason(e), explicit: true });
    return out;
  }
  for (const m of parseProcMaps(maps)) {
    const shown = m.deleted ? `${m.path} (deleted)` : m.path;
    if (shown === exe) continue;
    const mapping = `${dir}/map_files/${m.range}`;
    if (!m.deleted) {
      if (sameInode(m.path, m.inode)) {
        const t = target(shown, m.path, false);
        if (t !== undefined) out.push(t);
        continue;
      }
      // The path names another inode: a newer file installed over the mapped one, or an
      // overlay file system that reports the lower inode. Prefer the mapping's own bytes.
      const viaMapping = target(shown, mapping, false);
      const t = viaMapping !== undefined && viaMapping.kind !== 'error' ? viaMapping : target(shown, m.path, false);
      if (t !== undefined) out.push(t);
      continue;
    }
    // Deleted: the bytes are reachable only through map_files (reading it needs the right to
    // inspect the process; without it, say so rather than scan some other file).
    const t = target(shown, mapping, false);
    if (t === undefined) continue;
    if (t.kind === 'error') {
      out.push({ kind: 'error', path: shown, message: `mapped by ${label} but unreadable through /proc/${pid}/map_files: ${t.message}`, explicit: true });
    } else {
      out.push(t);
    }
  }
  return out;
}
