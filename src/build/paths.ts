/**
 * POSIX path arithmetic for build files (which CMake and compilation databases write with
 * forward slashes), without node:path so that the readers run anywhere.
 */

/** Collapses `.`, `..` and repeated separators of an absolute or relative path. */
export function normalizePath(path: string): string {
  const absolute = path.startsWith('/');
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!absolute) out.push('..');
      continue;
    }
    out.push(part);
  }
  const joined = out.join('/');
  return absolute ? `/${joined}` : joined === '' ? '.' : joined;
}

/** `path` resolved against the directory `base` (unless already absolute). */
export function resolvePath(base: string, path: string): string {
  return normalizePath(path.startsWith('/') ? path : `${base}/${path}`);
}

/** `path` relative to `base` when inside it, else `path` itself. */
export function relativeTo(base: string, path: string): string {
  const b = base.endsWith('/') ? base : `${base}/`;
  return path.startsWith(b) ? path.slice(b.length) : path;
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
