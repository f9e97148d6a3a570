/**
 * This package's own files (package.json, dist/web, cmake/), found by walking up from the
 * running module to the directory whose package.json names this package. The same code runs
 * from src/ (the tests), dist/src/ (the library) and dist/bundle/ (the commands), each at a
 * different depth, so no path is written relative to a module.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'hardening-check';

let root: { dir: string; version: string } | null | undefined;

function findRoot(): { dir: string; version: string } | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const p = join(dir, 'package.json');
    if (existsSync(p)) {
      try {
        const pkg = JSON.parse(readFileSync(p, 'utf8')) as { name?: unknown; version?: unknown };
        if (pkg.name === PACKAGE_NAME) return { dir, version: typeof pkg.version === 'string' ? pkg.version : '0.0.0' };
      } catch {
        // Not ours, or unreadable: keep looking higher.
      }
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return null;
}

/** The package's root directory, or undefined when it cannot be found (a copied bundle). */
export function packageRoot(): string | undefined {
  if (root === undefined) root = findRoot();
  return root?.dir;
}

/** The package's version from its package.json ("0.0.0" when it cannot be found). */
export function packageVersion(): string {
  if (root === undefined) root = findRoot();
  return root?.version ?? '0.0.0';
}

/** A path inside the package (undefined when the root cannot be found). */
export function packageFile(...parts: string[]): string | undefined {
  const dir = packageRoot();
  return dir === undefined ? undefined : join(dir, ...parts);
}
