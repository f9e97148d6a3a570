/**
 * Starts a worker thread from the commands' bundled worker (dist/bundle/worker.cjs, one
 * CommonJS file) with V8's code cache for it (dist/bundle/worker.code-cache, written at build
 * time by scripts/worker-cache.ts), so that each worker starts with the analysis code already
 * compiled to bytecode instead of parsing and compiling every function on first use.
 *
 * Why: each worker thread is an engine of its own that parses and compiles its own copy of
 * the checks. A scan of /usr's 3,590 ELF files, 16 pairs alternated with the ES-module worker
 * bundle this replaces: median pair ratio 0.944 of the CPU and 0.951 of the wall time. Two
 * workers are ready in 92 ms with the cache, 120 ms without it, 132 ms from the ES-module
 * bundle (which also loads Node's ES-module loader in each worker) and 220 ms from the
 * modules (`node dist/bench/worker-start.js`).
 *
 * CommonJS, and built by tsc rather than bundled: it must run before anything else in the
 * worker, with nothing to resolve. V8 takes the cache only for the same source, the same V8
 * and the same V8 flags (the commands set theirs in engine-tuning.ts; the cache script imports
 * the same module); otherwise it compiles as usual and `cachedDataRejected` says so: the
 * cache only ever changes how fast a worker starts, never what it does.
 *
 * bin/harden starts the `harden` command the same way, from dist/bundle/harden.cjs and its
 * cache (vite.harden.config.ts), with the functions exported here.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';
import { workerData } from 'node:worker_threads';

/**
 * Compiles the bundle as Node wraps a CommonJS module. The cache script and the workers must
 * wrap it identically, or V8 rejects the cache: both call this. Code compiled this way has no
 * module loader behind it: an `import()` left in a bundle fails when it runs ("A dynamic import
 * callback was not specified"), so the bundles inline their own dynamic imports and import
 * Node's modules statically.
 */
export function compileBundle(file: string, cachedData?: Buffer): Script {
  const source = readFileSync(file, 'utf8');
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  return new Script(wrapped, cachedData === undefined ? { filename: file } : { filename: file, cachedData });
}

type ModuleFunction = (exports: unknown, require: NodeJS.Require, module: { exports: unknown }, filename: string, dirname: string) => void;

function isModuleFunction(v: unknown): v is ModuleFunction {
  return typeof v === 'function';
}

/** Runs a compiled bundle as a CommonJS module in this thread; returns its exports. */
export function runBundle(script: Script, file: string): unknown {
  const fn: unknown = script.runInThisContext();
  if (!isModuleFunction(fn)) throw new Error(`${file}: did not compile to a module function`);
  const module: { exports: unknown } = { exports: {} };
  fn(module.exports, createRequire(file), module, file, dirname(file));
  return module.exports;
}

/** The code cache at `path`, or undefined when there is none (a build without one). */
export function readCodeCache(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

/** What the pool gives a worker started from this file (besides the task name). */
export interface BootData {
  readonly script: string;
  readonly cache: string;
}

function isBootData(v: unknown): v is BootData {
  return typeof v === 'object' && v !== null && typeof (v as Partial<BootData>).script === 'string' && typeof (v as Partial<BootData>).cache === 'string';
}

// Started as a worker by the pool: boot the bundle. Imported (the cache script, tests): only
// the functions above.
const data: unknown = workerData;
if (isBootData(data)) runBundle(compileBundle(data.script, readCodeCache(data.cache)), data.script);
