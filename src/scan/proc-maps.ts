/**
 * `/proc/PID/maps`, decoded. Each line is `start-end perms offset dev inode pathname`; the
 * pathname is absent for anonymous memory, bracketed for kernel areas (`[heap]`, `[vdso]`),
 * and ends in ` (deleted)` when the file was removed or replaced after it was mapped (what a
 * package upgrade does to a running program's libraries). Pure text processing: the caller
 * reads the file.
 */

export interface MappedFile {
  /** The path as the kernel shows it, without the ` (deleted)` mark. */
  readonly path: string;
  /** The file was unlinked after being mapped: its bytes are reachable only through map_files. */
  readonly deleted: boolean;
  /** `start-end` of the first mapping of this file, the name of its `/proc/PID/map_files/` link. */
  readonly range: string;
  /** Inode number of the mapped file, to tell whether the path still names the same file. */
  readonly inode: number;
}

const DELETED = ' (deleted)';

/**
 * The distinct files mapped, in order of first mapping. Anonymous and kernel areas are left out,
 * and so are lines that do not parse (the format is the kernel's; a future field should not
 * make a scan fail).
 */
export function parseProcMaps(text: string): MappedFile[] {
  const seen = new Set<string>();
  const out: MappedFile[] = [];
  for (const line of text.split('\n')) {
    // Five space-separated fields, then the pathname, which may itself contain spaces.
    const m = /^([0-9a-f]+-[0-9a-f]+)\s+\S+\s+\S+\s+\S+\s+(\d+)\s+(.*)$/.exec(line);
    if (m === null) continue;
    const range = m[1] ?? '';
    const inode = Number(m[2]);
    let path = (m[3] ?? '').trimStart();
    if (!path.startsWith('/')) continue;
    let deleted = false;
    if (path.endsWith(DELETED)) {
      deleted = true;
      path = path.slice(0, -DELETED.length);
    }
    const key = `${deleted ? 'd' : 'p'}:${path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ path, deleted, range, inode });
  }
  return out;
}
