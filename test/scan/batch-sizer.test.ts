/** Batch sizes adapt to how long batches take (durations are given, not measured). */
import { describe, expect, it } from 'vitest';
import { BatchSizer } from '../../src/scan/batch-sizer.js';

describe('BatchSizer', () => {
  it('starts at the initial count', () => {
    expect(new BatchSizer(64).count).toBe(64);
  });

  it('grows for fast targets and shrinks for slow ones, within its bounds', () => {
    const s = new BatchSizer(64, 8, 1024, 50);
    s.observe(64, 6.4); // 0.1 ms a target: 500 would take 50 ms
    expect(s.count).toBe(500);
    s.observe(500, 0.5); // 0.001 ms each: the average moves to 0.0703 ms
    expect(s.count).toBe(711);
    for (let i = 0; i < 5; i++) s.observe(500, 0.5);
    expect(s.count).toBe(1024);
    const slow = new BatchSizer(64, 8, 1024, 50);
    slow.observe(64, 640); // 10 ms a target
    expect(slow.count).toBe(8);
  });

  it('averages: one slow batch among fast ones moves the size, not to the slow size', () => {
    const s = new BatchSizer(64, 8, 1024, 50);
    s.observe(100, 10); // 0.1 ms each
    s.observe(100, 100); // 1 ms each: average 0.37 ms
    expect(s.count).toBe(Math.round(50 / (0.7 * 0.1 + 0.3 * 1)));
  });

  it('ignores empty batches, and a fixed sizer never moves', () => {
    const s = new BatchSizer(64, 64, 64);
    s.observe(0, 5);
    s.observe(10, 1000);
    expect(s.count).toBe(64);
  });
});
