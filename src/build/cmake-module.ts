/**
 * Where the CMake module ships: `cmake/Hardening.cmake` at the package root (src/io/package-files.ts
 * finds the root from the sources, the compiled tree or the commands' bundle).
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageFile } from '../io/package-files.js';

export const CMAKE_MODULE_NAME = 'Hardening.cmake';

export function cmakeModulePath(): string {
  const path = packageFile('cmake', CMAKE_MODULE_NAME);
  if (path === undefined || !existsSync(path)) throw new Error(`${CMAKE_MODULE_NAME} not found (looked in ${path ?? 'the package root, which was not found'})`);
  return path;
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
