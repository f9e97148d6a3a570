/**
 * What the two code-cache scripts share (worker-cache.ts, cli-cache.ts): load a bundle of
 * dist/bundle/ the way it is started (compiled by worker-boot's compileBundle, run as a
 * CommonJS module), let the script exercise it, then write V8's cache of what got compiled
 * beside it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Script } from 'node:vm';
import { packageRoot } from '../src/io/package-files.js';
import { compileBundle, runBundle } from '../src/run/worker-boot.cjs';

export interface LoadedBundle {
  /** The package root (where test/fixtures/ is, when the package has its tests). */
  readonly root: string;
  /** What the bundle exports. */
  readonly exports: unknown;
  /** Writes the code cache (`NAME.code-cache`) and says so, with `what` it was exercised on. */
  writeCache(what: string): void;
}

/** Loads dist/bundle/`name`.cjs. `script` names the caller in messages. */
export function loadBundle(name: string, script: string): LoadedBundle {
  const root = packageRoot();
  if (root === undefined) throw new Error(`${script}: package root not found`);
  const bundle = join(root, 'dist', 'bundle', `${name}.cjs`);
  const out = join(root, 'dist', 'bundle', `${name}.code-cache`);
  const compiled: Script = compileBundle(bundle);
  const exports = runBundle(compiled, bundle);
  return {
    root,
    exports,
    writeCache(what: string): void {
      const cache = compiled.createCachedData();
      writeFileSync(out, cache);
      console.log(`${script}: ${out} (${Math.round(cache.length / 1024)} KiB, after ${what})`);
    },
  };
}
