/**
 * Machine-code pattern recognisers: pure functions over the bytes of one executable section
 * and its virtual address. They never disassemble a whole section; see each module's comment
 * for the instruction sequences it knows and their encodings.
 */
export { ByteSearcher, indexOfFallback } from './byte-search.js';
export { MAX_FINDINGS, WorkBudget, type StackProbes } from './stack-probes.js';
export { hasDebianProbeLoop, findX86StackProbes, type X86StackProbes } from './x86-64-stack-probes.js';
export type { X86Bits } from './x86-decode.js';
export { findAarch64StackProbes } from './aarch64-stack-probes.js';
export { findS390xStackProbes } from './s390x-stack-probes.js';
export { findPpc64StackProbes } from './ppc64-stack-probes.js';
