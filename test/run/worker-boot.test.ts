/**
 * The commands' workers: the one-file CommonJS bundle (dist/bundle/worker.cjs) started through
 * worker-boot.cjs with the code cache the build wrote. The cache must be taken under the
 * commands' V8 flags (else it costs start-up time for nothing), and a worker must work the
 * same with it, without it and with a damaged one.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { scanBatchTask } from '../../src/scan/scan-task.js';
import { type ScanTarget } from '../../src/scan/target.js';
import { REPO } from '../helpers/gcc.js';

const BUNDLE = join(REPO, 'dist', 'bundle');
const SCRIPT = join(BUNDLE, 'worker.cjs');
const CACHE = join(BUNDLE, 'worker.code-cache');
const BOOT = join(BUNDLE, 'worker-boot.cjs');
const tmp = mkdtempSync(join(tmpdir(), 'worker-boot-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Asks a worker started from the boot file to scan `targets`; returns its answer. */
async function scanInBootedWorker(targets: ScanTarget[], cache: string): Promise<unknown> {
  const w = new Worker(BOOT, { workerData: { task: 'scan', script: SCRIPT, cache } });
  try {
    return await new Promise((resolve, reject) => {
      w.once('message', (m: { output?: unknown; error?: string }) => (m.error === undefined ? resolve(m.output) : reject(new Error(m.error))));
      w.once('error', reject);
      w.postMessage({ id: 1, input: { targets } });
    });
  } finally {
    await w.terminate();
  }
}

const fixtures = ['hardened', 'execstack', 'libtextrel.so', 'libpic.a'].map((n) => join(REPO, 'test', 'fixtures', 'cross', 'x86-64', n));
const targets: ScanTarget[] = fixtures.map((path) => ({ kind: 'file', path, size: -1, explicit: true }));

describe('the bundled worker', () => {
  it('was built with its code cache', () => {
    expect(existsSync(SCRIPT)).toBe(true);
    expect(existsSync(CACHE)).toBe(true);
  });

  it('is started with the cache taken, under the V8 flags of the commands', () => {
    // A process of its own: the cache is bound to the process's V8 flags, which this test
    // runner's may not be; the commands set theirs by importing engine-tuning first.
    const probe = (tuned: boolean): string => {
      const code = `${tuned ? `import ${JSON.stringify(join(REPO, 'dist', 'src', 'run', 'engine-tuning.js'))};\n` : ''}import { Worker } from 'node:worker_threads';
const src = ${JSON.stringify(`const { compileBundle, readCodeCache } = require(${JSON.stringify(BOOT)});
require('node:worker_threads').parentPort.postMessage(compileBundle(${JSON.stringify(SCRIPT)}, readCodeCache(${JSON.stringify(CACHE)})).cachedDataRejected);`)};
const w = new Worker(src, { eval: true, resourceLimits: { maxYoungGenerationSizeMb: 8 } });
w.on('message', (rejected) => { console.log(rejected ? 'rejected' : 'taken'); void w.terminate(); });`;
      const file = join(tmp, `probe-${tuned ? 'tuned' : 'plain'}.mjs`);
      writeFileSync(file, code);
      const r = spawnSync(process.execPath, [file], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      return r.stdout.trim();
    };
    expect(probe(true)).toBe('taken');
    // Other flags: V8 refuses the cache (and compiles as usual, next test).
    expect(probe(false)).toBe('rejected');
  });

  it('answers as the analysis does in this thread, with the cache, without one and with a damaged one', async () => {
    const expected = JSON.parse(JSON.stringify(scanBatchTask({ targets }))) as unknown;
    const damaged = join(tmp, 'damaged.code-cache');
    writeFileSync(damaged, Buffer.alloc(4096, 0x5a));
    for (const cache of [CACHE, join(tmp, 'missing.code-cache'), damaged]) {
      expect(await scanInBootedWorker(targets, cache)).toEqual(expected);
    }
  });
});
