import { describe, expect, it } from 'vitest';
import { type Outcome, runOrdered } from '../../src/run/pool.js';

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
});
