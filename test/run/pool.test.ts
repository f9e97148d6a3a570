import { describe, expect, it, vi } from 'vitest';
import { type Outcome, prestartWorkers, runOrdered } from '../../src/run/pool.js';

const dyingWorker = new URL('./dying-worker.mjs', import.meta.url);

async function run(inputs: (number | string)[], jobs: number): Promise<[number, Outcome<number>][]> {
  const got: [number, Outcome<number>][] = [];
  await runOrdered<number | string, number>(inputs, { task: 'scan', jobs, workerUrl: dyingWorker }, (i, o) => got.push([i, o]));
  return got;
}

describe('runOrdered on worker threads', () => {
  it('emits every result once, in input order, with two jobs queued per worker', async () => {
    const inputs = Array.from({ length: 40 }, (_, i) => i);
    const got = await run(inputs, 3);
    expect(got.map(([i]) => i)).toEqual(inputs);
    expect(got.map(([, o]) => (o.ok ? o.value : o.error))).toEqual(inputs.map((i) => i * i));
    expect(got.every(([, o]) => o.ok && o.ms === 2)).toBe(true);
  });

  it('reports an exception as that input\'s error and goes on', async () => {
    const got = await run([1, 'throw', 3], 2);
    expect(got.map(([, o]) => (o.ok ? o.value : o.error))).toEqual([1, 'Error: asked to throw', 9]);
  });

  it('a worker that dies fails only the input it was on; what it had queued runs elsewhere', async () => {
    const inputs: (number | string)[] = Array.from({ length: 30 }, (_, i) => i);
    inputs[5] = 'die';
    inputs[17] = 'die';
    // Three workers, two deaths: the survivor takes what the dead ones had queued.
    const got = await run(inputs, 3);
    expect(got.map(([i]) => i)).toEqual(inputs.map((_, i) => i));
    for (const [i, o] of got) {
      if (i === 5 || i === 17) expect(o).toEqual({ ok: false, error: 'worker failed: exited with status 7' });
      else expect(o).toMatchObject({ ok: true, value: (inputs[i] as number) ** 2 });
    }
  });

  it('a worker out of work runs a job another worker has queued but not started', async () => {
    // Worker A gets jobs 0 and 2, worker B jobs 1 and 3 (they pull in turn). A blocks on job 0;
    // B, done with its own, takes job 2 back from A's queue instead of idling until A is free.
    const got: [number, Outcome<number>][] = [];
    await runOrdered<string, number>(['sleep:400', 'who', 'who', 'who'], { task: 'scan', jobs: 2, workerUrl: dyingWorker }, (i, o) => got.push([i, o]));
    const thread = got.map(([, o]) => (o.ok ? o.value : -1));
    expect(got.map(([i]) => i)).toEqual([0, 1, 2, 3]);
    expect(thread[1]).toBe(thread[3]);
    expect(thread[2]).toBe(thread[1]);
    expect(thread[0]).not.toBe(thread[1]);
  });

  it('never runs a job twice: a job taken back is skipped by the worker that had it', async () => {
    // Many rounds of a slow job with short ones queued behind it, on three workers: every
    // answer arrives once, in order, from the square of its own input.
    const inputs: (number | string)[] = [];
    for (let i = 0; i < 12; i++) inputs.push('sleep:30', ...Array.from({ length: 5 }, (_, k) => i * 10 + k));
    const got = await run(inputs, 3);
    expect(got.map(([i]) => i)).toEqual(inputs.map((_, i) => i));
    for (const [i, o] of got) if (typeof inputs[i] === 'number') expect(o).toMatchObject({ ok: true, value: (inputs[i] as number) ** 2 });
  });

  it('takes workers started ahead of time, and stops those it does not need', async () => {
    const warm = prestartWorkers('scan', 3, dyingWorker);
    expect(warm).toHaveLength(3);
    const ids = new Set(warm.map((w) => w.threadId));
    const got: [number, Outcome<number>][] = [];
    await runOrdered<string, number>(Array.from({ length: 20 }, () => 'who'), { task: 'scan', jobs: 2, workerUrl: dyingWorker }, (i, o) => got.push([i, o]));
    const used = new Set(got.map(([, o]) => (o.ok ? o.value : -1)));
    // Every answer came from a prestarted worker, two of them; all three are gone afterwards.
    expect(used.size).toBe(2);
    for (const id of used) expect(ids.has(id)).toBe(true);
    // (A worker's threadId turns -1 once its thread has ended.)
    await vi.waitFor(() => expect(warm.map((w) => w.threadId)).toEqual([-1, -1, -1]));
  });

  it('runs a one-job scan here and stops the prestarted workers', async () => {
    const warm = prestartWorkers('scan', 2, dyingWorker);
    const got: Outcome<unknown>[] = [];
    // jobs 1 runs the real task in this thread: an empty batch gives no rows.
    await runOrdered<unknown, unknown>([{ targets: [] }], { task: 'scan', jobs: 1, workerUrl: dyingWorker }, (_, o) => got.push(o));
    expect(got).toEqual([{ ok: true, value: [], ms: expect.any(Number) as number }]);
    await vi.waitFor(() => expect(warm.map((w) => w.threadId)).toEqual([-1, -1]));
  });
});
