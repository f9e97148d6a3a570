/**
 * Every input the fuzzer ever caught breaking the contract (test/fixtures/malformed/<target>/
 * <hash>.bin, with a .txt saying what failed) goes through its target's entry points again:
 * harden scan's per-file entry never throws, the container readers throw only their typed
 * errors, hardening-check's facts are a value or UnreadableInput, and no result carries a
 * JavaScript engine error as text.
 */
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { savedInputs } from '../../fuzz/findings.js';
import { TIGHT_LIMITS } from '../../fuzz/engine.js';
import { checkInput } from '../../fuzz/oracle.js';
import { DEFAULT_LIMITS } from '../../src/limits.js';

const dir = fileURLToPath(new URL('../fixtures/malformed', import.meta.url));
const inputs = savedInputs(dir);

describe('inputs the fuzzer found', () => {
  it('are kept', () => {
    // The directory exists from the first finding on; an empty list would mean a broken path.
    expect(inputs.length).toBeGreaterThan(0);
  });

  for (const input of inputs) {
    const what = /^kind: (.*)$/m.exec(input.description)?.[1] ?? 'finding';
    it(`${input.name} (${what}) keeps the contract`, () => {
      expect(checkInput(input.target, input.bytes, input.limits === 'tight' ? TIGHT_LIMITS : DEFAULT_LIMITS)).toBeNull();
    });
  }
});
