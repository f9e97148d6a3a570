/**
 * Bundles the commands (bin/harden, bin/hardening-check) and the scan worker into dist/bundle/,
 * from tsc's output in dist/src/ (the code the tests type-check and run), with their
 * dependencies. The library entry stays dist/src/index.js, module per module.
 *
 * Why: start-up. A command, and each of its worker threads, otherwise resolves and reads ~100
 * modules one by one: on a 2-core machine two scan workers are ready in 228 ms from the
 * modules and in 121 ms from the bundle (medians, `node dist/bench/worker-start.js`), and
 * `harden scan` of one file takes 0.27 s instead of 0.36 s. Shared code is split into chunks in the same directory, so the pool finds
 * `./worker.js` next to itself and each subcommand still loads only what it needs.
 */
import { defineConfig } from 'vite';

export default defineConfig({
  // Nothing from a public directory or an index.html: this is a Node build.
  publicDir: false,
  logLevel: 'warn',
  build: {
    ssr: true,
    outDir: 'dist/bundle',
    emptyOutDir: true,
    target: 'node20',
    // Readable stack traces in bug reports; the size does not matter for start-up.
    minify: false,
    reportCompressedSize: false,
    rolldownOptions: {
      input: {
        harden: 'dist/src/cli/harden.js',
        'hardening-check': 'dist/src/cli/hardening-check.js',
        worker: 'dist/src/run/worker.js',
      },
      output: { format: 'esm', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
    },
  },
  // Bundle the dependencies too (commander, ajv, fflate...): resolving them is part of the cost.
  ssr: { noExternal: true, target: 'node' },
});
