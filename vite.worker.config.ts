/**
 * Bundles the scan worker into one CommonJS file, dist/bundle/worker.cjs, beside the commands'
 * bundle (vite.cli.config.ts, which runs first and empties the directory), with the boot file
 * that starts it (tsc's dist/src/run/worker-boot.cjs, copied as it is: it imports only Node's
 * own modules).
 *
 * Why one CommonJS file: a worker started from it does not load Node's ES-module loader
 * (two workers ready in 92 instead of 132 ms), and one file can be given one V8 code cache,
 * which scripts/worker-cache.ts then writes (worker-boot.cts says what that saves). Its
 * dynamic imports (the task loaders) are inlined, so the whole analysis is in that file.
 */
import { readFileSync } from 'node:fs';
import { type Plugin } from 'vite';
import { nodeBundle } from './vite.node-bundle.js';

const BOOT = 'dist/src/run/worker-boot.cjs';

/** Copies the boot file into the bundle directory. */
function bootFile(): Plugin {
  return {
    name: 'worker-boot',
    generateBundle() {
      // Without tsc's source-map comment: the map stays in dist/src.
      const source = readFileSync(BOOT, 'utf8').replace(/\n\/\/# sourceMappingURL=.*\s*$/, '\n');
      this.emitFile({ type: 'asset', fileName: 'worker-boot.cjs', source });
    },
  };
}

export default nodeBundle({ input: { worker: 'dist/src/run/worker.js' }, format: 'cjs', plugins: [bootFile()] });
