import { describe, expect, it } from 'vitest';
import { ClaimRing, claimJob, SLOT_FREE, SLOT_QUEUED, SLOT_STARTED, SLOT_TAKEN_BACK, takeBack } from '../../src/run/claims.js';

describe('claim slots', () => {
  it('either the worker claims a queued job or the pool takes it back, never both', () => {
    const ring = new ClaimRing(4);
    const a = ring.queue();
    expect(claimJob({ claims: ring.claims, slot: a })).toBe(true);
    expect(takeBack(ring.claims, a)).toBe(false);
    expect(claimJob({ claims: ring.claims, slot: a })).toBe(false);
    const b = ring.queue();
    expect(takeBack(ring.claims, b)).toBe(true);
    expect(claimJob({ claims: ring.claims, slot: b })).toBe(false);
    expect(takeBack(ring.claims, b)).toBe(false);
    expect([...ring.claims]).toEqual([SLOT_STARTED, SLOT_TAKEN_BACK, SLOT_FREE, SLOT_FREE]);
  });

  it('a job without a slot is always the worker’s to run', () => {
    expect(claimJob({})).toBe(true);
  });

  it('hands out only free slots: one taken back stays taken until freed', () => {
    const ring = new ClaimRing(3);
    const slots = [ring.queue(), ring.queue(), ring.queue()];
    expect(slots).toEqual([0, 1, 2]);
    expect(takeBack(ring.claims, 1)).toBe(true);
    ring.free(0);
    ring.free(2);
    // Round the ring: 1 is still taken back (its worker may yet try to claim it), so 2 and 0 come next.
    expect([ring.queue(), ring.queue()]).toEqual([0, 2]);
    expect(ring.queue()).toBe(-1);
    ring.free(1);
    expect(ring.queue()).toBe(1);
    expect(Atomics.load(ring.claims, 1)).toBe(SLOT_QUEUED);
  });
});
