/**
 * Bundles `harden` (bin/harden) into one CommonJS file, dist/bundle/harden.cjs, after
 * vite.cli.config.ts (which empties the directory and bundles hardening-check). The launcher
 * compiles it with V8's code cache (dist/bundle/harden.code-cache, written by
 * scripts/cli-cache.ts), the way the scan workers start (src/run/worker-boot.cts).
 *
 * Why: every run of `harden` otherwise has Node's ES-module loader resolve, read and compile
 * the command's chunks before anything else happens, and a scan's workers start only after
 * that. `harden scan` of one file (/usr/bin/ls), 15 alternated pairs: 0.27 -> 0.23 s (median
 * pair ratio 0.86 of the wall time, 0.89 of the CPU). The subcommands' modules stay lazily
 * initialised inside the file: `harden flags` still runs no ELF code.
 */
import { nodeBundle } from './vite.node-bundle.js';

export default nodeBundle({ input: { harden: 'dist/src/cli/harden.js' }, format: 'cjs' });
