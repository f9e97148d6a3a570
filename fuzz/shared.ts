/**
 * The shared memory between the runner and its worker: the input being executed (target,
 * bytes, origin) and a counter of executions, so that the runner can tell a hang from
 * progress and save the input that hung or crashed the worker.
 */
import { type Finding, type Stats } from './engine.js';
import { type Target } from './oracle.js';

export type WorkerMessage = { type: 'finding'; finding: Finding } | { type: 'progress'; stats: Stats } | { type: 'done'; stats: Stats };

export interface WorkerInput {
  readonly root: string;
  readonly targets: readonly Target[];
  readonly seed: number;
  readonly runs?: number;
  readonly seconds?: number;
  readonly coverage: boolean;
  readonly system: boolean;
  readonly slowMs: number;
  readonly memoryBound: number;
  readonly progressMs: number;
  readonly shared: SharedArrayBuffer;
}

export const CURRENT = {
  HEADER_INTS: 8,
  /** 1 while an input runs. */
  STATE: 0,
  /** Executions started (wraps). */
  COUNTER: 1,
  TARGET: 2,
  LENGTH: 3,
  ORIGIN_LENGTH: 4,
  /** 1 when the input runs under the tight limits. */
  TIGHT: 5,
  ORIGIN_BYTES: 4096,
  INPUT_BYTES: 9 * 1024 * 1024,
} as const;

export function sharedSize(): number {
  return CURRENT.HEADER_INTS * 4 + CURRENT.ORIGIN_BYTES + CURRENT.INPUT_BYTES;
}

const encoder = new TextEncoder();

export function writeCurrent(shared: SharedArrayBuffer, target: number, bytes: Uint8Array, origin: string, tight: boolean): void {
  const h = new Int32Array(shared, 0, CURRENT.HEADER_INTS);
  const o = encoder.encode(origin).subarray(0, CURRENT.ORIGIN_BYTES);
  new Uint8Array(shared, CURRENT.HEADER_INTS * 4, CURRENT.ORIGIN_BYTES).set(o);
  const n = Math.min(bytes.length, CURRENT.INPUT_BYTES);
  new Uint8Array(shared, CURRENT.HEADER_INTS * 4 + CURRENT.ORIGIN_BYTES, n).set(bytes.subarray(0, n));
  h[CURRENT.TARGET] = target;
  h[CURRENT.LENGTH] = n;
  h[CURRENT.ORIGIN_LENGTH] = o.length;
  h[CURRENT.TIGHT] = tight ? 1 : 0;
  h[CURRENT.STATE] = 1;
  Atomics.add(h, CURRENT.COUNTER, 1);
}

export function readCurrent(shared: SharedArrayBuffer): { state: number; counter: number; target: number; tight: boolean; bytes: Uint8Array; origin: string } {
  const h = new Int32Array(shared, 0, CURRENT.HEADER_INTS);
  const n = h[CURRENT.LENGTH]!;
  const on = h[CURRENT.ORIGIN_LENGTH]!;
  return {
    state: h[CURRENT.STATE]!,
    counter: Atomics.load(h, CURRENT.COUNTER),
    target: h[CURRENT.TARGET]!,
    tight: h[CURRENT.TIGHT] === 1,
    bytes: new Uint8Array(shared, CURRENT.HEADER_INTS * 4 + CURRENT.ORIGIN_BYTES, n).slice(),
    origin: new TextDecoder().decode(new Uint8Array(shared, CURRENT.HEADER_INTS * 4, on)),
  };
}
