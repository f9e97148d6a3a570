/**
 * Bundles `hardening-check` (bin/hardening-check) into dist/bundle/, from tsc's output in
 * dist/src/ (the code the tests type-check and run), with its dependencies. The library entry
 * stays dist/src/index.js, module per module. Built next into the same directory: `harden` as
 * one CommonJS file with a code cache (vite.harden.config.ts) and the worker threads' bundle
 * (vite.worker.config.ts; the pool finds `./worker.cjs` beside it).
 *
 * Why: start-up. A command otherwise resolves and reads ~100 modules one by one: `harden scan`
 * of one file takes 0.27 s from the bundle instead of 0.36 s (and two scan workers were ready
 * in 121 ms from an ES-module bundle instead of 228 ms from the modules, `node
 * dist/bench/worker-start.js`). The shared options are in vite.node-bundle.ts.
 */
import { nodeBundle } from './vite.node-bundle.js';

export default nodeBundle({ input: { 'hardening-check': 'dist/src/cli/hardening-check.js' }, format: 'esm', emptyOutDir: true });
