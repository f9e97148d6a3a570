/**
 * `node dist/scripts/worker-cache.js` (run by `npm run build:cli`, after the worker bundle):
 * writes dist/bundle/worker.code-cache, V8's code cache for dist/bundle/worker.cjs, which the
 * workers of `harden scan` and `hardening-check` start with (src/run/worker-boot.cts says
 * why and what it saves).
 *
 * V8 caches the functions compiled so far, so the bundle is first run over the package's own
 * test fixtures (every architecture, Go, Rust and musl binaries, malformed files) with both
 * tasks and the row rendering, the way a scan runs it. The cache is written under the
 * commands' V8 flags (engine-tuning.ts, imported first) because V8 accepts a cache only under
 * the flags it was made with. Without fixtures (a package built without its tests) the cache
 * holds what loading the bundle compiled.
 */
import '../src/run/engine-tuning.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CHECKS } from '../src/checks/registry.js';
import { walk } from '../src/io/walk.js';
import { PROFILES } from '../src/policy/profiles.js';
import { type RenderSpec } from '../src/scan/rendered-rows.js';
import { type ScanTarget } from '../src/scan/target.js';
import { type TaskFunction, type TaskName } from '../src/run/tasks.js';
import { loadBundle } from './bundle-cache.js';

type LoadTask = (name: TaskName) => Promise<TaskFunction>;

function isWorkerModule(v: unknown): v is { loadTask: LoadTask } {
  return typeof v === 'object' && v !== null && typeof (v as { loadTask?: unknown }).loadTask === 'function';
}

async function fixtureFiles(root: string): Promise<ScanTarget[]> {
  const dirs = ['cross', 'toolchains', 'malformed'].map((d) => join(root, 'test', 'fixtures', d)).filter((d) => existsSync(d));
  const files: ScanTarget[] = [];
  for await (const e of walk(dirs, { follow: false })) if (e.kind === 'file') files.push(e);
  return files;
}

async function main(): Promise<void> {
  const loaded = loadBundle('worker', 'worker-cache');
  const worker = loaded.exports;
  if (!isWorkerModule(worker)) throw new Error('worker.cjs does not export loadTask');

  const targets = await fixtureFiles(loaded.root);
  const scan = await worker.loadTask('scan');
  const render: RenderSpec = { order: CHECKS.map((c) => c.id), policy: { required: PROFILES.debian.required, unknownIs: 'warn' }, separator: '\n' };
  for (let i = 0; i < targets.length; i += 32) {
    const batch = targets.slice(i, i + 32);
    scan({ targets: batch, scan: 1 });
    scan({ targets: batch, scan: 2, render });
  }
  const facts = await worker.loadTask('reference-facts');
  for (const t of targets) facts({ path: t.path, stackClash: true });
  loaded.writeCache(`${targets.length} fixture files`);
}

await main();
