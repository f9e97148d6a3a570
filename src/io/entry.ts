/** What every archive reader (tar, cpio, ar) says about one member, before its bytes. */

export type EntryType = 'file' | 'symlink' | 'hardlink' | 'dir' | 'other';

export interface EntryHeader {
  /** Path as stored, with leading "./" removed and a directory's trailing "/" dropped; the root is ".". */
  path: string;
  type: EntryType;
  /** Data size in bytes (0 for links and directories). */
  size: number;
  /** Mode bits as stored: permission bits for tar, the full st_mode for cpio and ar. */
  mode: number;
  /** Modification time, seconds since the epoch. */
  mtime: number;
  /** Symlink target, or hardlink target path (normalised like `path`). */
  linkTarget?: string;
}

/** Drops leading "./" and a trailing "/"; "./" and "." become ".". */
export function normalizePath(p: string): string {
  let s = p;
  while (s.startsWith('./')) s = s.slice(2);
  while (s.length > 1 && s.endsWith('/')) s = s.slice(0, -1);
  return s === '' || s === '/' ? (p.startsWith('/') ? '/' : '.') : s;
}
