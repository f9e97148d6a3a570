/** What every architecture's stack-probe recogniser reports, as virtual addresses. */
export interface StackProbes {
  /** Probe loops for run-time-sized allocations (alloca, VLA): the address of each loop's page step. */
  allocaLoops: number[];
  /** Probes of compile-time-sized allocations, one address per allocation (its first page step). */
  fixedFrame: number[];
}
