/**
 * Finding and reading `harden.config.json`: named with `--config`, or the first one found in
 * the working directory or above it (as git finds .git), so a scan run anywhere in a project
 * uses the project's policy.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ConfigError } from './config-error.js';
import { type HardenConfig } from './config.js';

export const CONFIG_NAME = 'harden.config.json';

/** The nearest config file at or above `start`, or undefined. */
export function findConfig(start: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    const candidate = join(dir, CONFIG_NAME);
    try {
      if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
    } catch {
      // An unreadable directory on the way up ends nothing: keep looking higher.
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export interface LoadedConfig {
  readonly path: string;
  /** Waiver globs are relative to this directory. */
  readonly dir: string;
  readonly config: HardenConfig;
}

/**
 * Reads and validates a config file. Rejects with `ConfigError`. The validator (config.ts and
 * its JSON Schema library, ~70 ms to load) is loaded only here, when there is a file.
 */
export async function loadConfig(path: string): Promise<LoadedConfig> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError(path, code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : e instanceof Error ? e.message : String(e));
  }
  const { parseConfig } = await import('./config.js');
  const abs = resolve(path);
  return { path: abs, dir: dirname(abs), config: parseConfig(text, path) };
}
