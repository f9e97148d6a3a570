/**
 * `node dist/scripts/cli-cache.js` (run by `npm run build:cli`, after the bundles and the
 * worker's cache): writes dist/bundle/harden.code-cache, V8's code cache for
 * dist/bundle/harden.cjs, which bin/harden compiles the command with (vite.harden.config.ts
 * says why).
 *
 * V8 caches the functions compiled so far, so the bundle is first run as the commands run: a
 * scan of the package's own fixtures in the formats a scan most often writes, its output
 * discarded. The cache is written under the commands' V8 flags (engine-tuning.ts, imported
 * first, as bin/harden does) because V8 accepts a cache only under the flags it was made with.
 * Without fixtures (a package built without its tests) the cache holds what loading compiled.
 */
import '../src/run/engine-tuning.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadBundle } from './bundle-cache.js';

type Main = (argv: string[]) => Promise<number>;

function isCommandModule(v: unknown): v is { main: Main } {
  return typeof v === 'object' && v !== null && typeof (v as { main?: unknown }).main === 'function';
}

/** Runs `fn` with standard output discarded (write callbacks still called, as a stream does). */
async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const out = process.stdout;
  const write = out.write.bind(out);
  out.write = ((_chunk: unknown, encoding?: unknown, done?: unknown): boolean => {
    const cb = typeof encoding === 'function' ? encoding : done;
    if (typeof cb === 'function') process.nextTick(cb as () => void);
    return true;
  }) as typeof out.write;
  try {
    return await fn();
  } finally {
    out.write = write;
  }
}

async function main(): Promise<void> {
  const loaded = loadBundle('harden', 'cli-cache');
  const command = loaded.exports;
  if (!isCommandModule(command)) throw new Error('harden.cjs does not export main');

  const fixtures = ['cross', 'toolchains'].map((d) => join(loaded.root, 'test', 'fixtures', d)).filter((d) => existsSync(d));
  if (fixtures.length > 0) {
    await quietly(async () => {
      await command.main(['scan', '--no-config', '--format', 'jsonl', '--profile', 'none', ...fixtures]);
      await command.main(['scan', '--no-config', '--format', 'json', ...fixtures]);
      await command.main(['scan', '--no-config', '--format', 'text', ...fixtures]);
    });
  }
  loaded.writeCache(fixtures.length === 0 ? 'loading only' : `scanning ${fixtures.join(', ')}`);
}

await main();
