/**
 * The CI fuzz run: a fixed number of executions per target with a fixed seed (repeatable:
 * the same inputs every time for the same code), seeds from the repository only, no coverage
 * feedback (which would make the run depend on timing of nothing, but costs time) and no
 * timing oracle (tests assert outcomes, the fuzzer measures time). Any finding fails the test
 * and is saved under test/fixtures/malformed so that it becomes a regression test.
 */
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { type Finding, runFuzz } from '../../fuzz/engine.js';
import { saveFinding } from '../../fuzz/findings.js';
import { TARGETS } from '../../fuzz/oracle.js';
import { loadSeeds } from '../../fuzz/seeds.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MALFORMED = fileURLToPath(new URL('../fixtures/malformed', import.meta.url));
/** Executions per target: about 10 000 in all, a minute or two on an ordinary machine. */
const RUNS = 2000;
const SEED = 20250101;

describe('CI fuzz run (fixed seed)', () => {
  for (const target of TARGETS) {
    it(`${target}: ${RUNS} executions keep the contract`, { timeout: 900_000 }, () => {
      const seeds = loadSeeds([target], { root: ROOT, system: false });
      expect(seeds.length).toBeGreaterThan(0);
      const findings: Finding[] = [];
      const stats = runFuzz({
        seeds,
        targets: [target],
        seed: SEED,
        runs: RUNS,
        coverage: null,
        slowMs: Infinity,
        memoryBound: Infinity,
        onFinding: (f) => {
          findings.push(f);
          saveFinding(MALFORMED, f, `test/fuzz/fuzz.test.ts (seed ${SEED}, ${RUNS} runs)`);
        },
      });
      expect(stats.execs).toBe(RUNS);
      expect(findings.map((f) => `${f.kind} ${f.where}: ${f.message} [${f.origin}]`)).toEqual([]);
    });
  }
});
