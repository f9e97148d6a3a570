/** What every architecture's stack-probe recogniser reports, as virtual addresses. */
export interface StackProbes {
  /** Probe loops for run-time-sized allocations (alloca, VLA): the address of each loop's page step. */
  allocaLoops: number[];
  /** Probes of compile-time-sized allocations, one address per allocation (its first page step). */
  fixedFrame: number[];
  /**
   * True when the scan stopped early: a list reached `MAX_FINDINGS`, or (x86-64) the decode
   * budget ran out. Compiler output never comes near either; crafted input can.
   */
  truncated: boolean;
}

/** Most addresses kept per list: evidence needs a few, and a crafted section could yield millions. */
export const MAX_FINDINGS = 65536;

/** Appends `address` unless the list is full; returns false (and marks the result) when it is. */
export function record(out: StackProbes, list: number[], address: number): boolean {
  if (list.length >= MAX_FINDINGS) {
    out.truncated = true;
    return false;
  }
  list.push(address);
  return true;
}

/**
 * A count of decode steps a scan may still spend. The x86-64 recognisers decode a few
 * instructions per anchor hit, more where a hit looks like a loop; crafted input made of
 * near-misses could otherwise keep them busy for minutes. Real code spends a few steps per
 * hit (libLLVM-15: ~100k hits, ~300k steps), well below the budget; a step costs ~0.2-1 us.
 */
export class WorkBudget {
  constructor(private left: number) {}

  /** Spends `steps`; false once the budget is exhausted. */
  take(steps: number): boolean {
    this.left -= steps;
    return this.left >= 0;
  }

  get exhausted(): boolean {
    return this.left < 0;
  }

  /** The budget for one section: a million steps plus one per 32 bytes of code. */
  static forSection(codeLength: number): WorkBudget {
    return new WorkBudget(1_000_000 + Math.floor(codeLength / 32));
  }
}
