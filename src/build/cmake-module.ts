/**
 * Where the CMake module ships: `cmake/Hardening.cmake` at the package root, found from this
 * file whether it runs from the TypeScript sources or from the compiled dist/ tree.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CMAKE_MODULE_NAME = 'Hardening.cmake';

export function cmakeModulePath(): string {
  const candidates = ['../../cmake/', '../../../cmake/'].map((rel) => fileURLToPath(new URL(rel + CMAKE_MODULE_NAME, import.meta.url)));
  const found = candidates.find((p) => existsSync(p));
  if (found === undefined) throw new Error(`${CMAKE_MODULE_NAME} not found (looked in ${candidates.join(', ')})`);
  return found;
}

export function readCMakeModule(): string {
  return readFileSync(cmakeModulePath(), 'utf8');
}

/** Copies the module into `dir` (created if needed); returns the path written. */
export function installCMakeModule(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const target = join(dir, CMAKE_MODULE_NAME);
  copyFileSync(cmakeModulePath(), target);
  return target;
}
