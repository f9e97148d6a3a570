/**
 * Who runs a job that sits in a worker's queue: the worker, when it gets to it, or another
 * worker that has run out of work. A job posted to a worker cannot be taken out of its message
 * queue, so each job carries a slot in memory shared with the pool: the worker claims the slot
 * before it starts the job, and the pool may take a job back only while its slot is unclaimed.
 * Whichever compare-and-swap comes first wins; the loser skips (the worker answers `skipped`).
 *
 * Why: at the end of a scan one worker ran out of batches while the other still had one
 * running and one waiting behind it; in scans of /usr's 3,590 ELF files the first idled
 * 70-120 ms (~3% of the wall time) before the last batch was done.
 */

/** A slot's states. */
export const SLOT_FREE = 0;
export const SLOT_QUEUED = 1;
export const SLOT_STARTED = 2;
export const SLOT_TAKEN_BACK = 3;

/** What a job message may carry besides `{id, input}`. */
export interface ClaimSlot {
  /** Shared slots (an Int32Array over a SharedArrayBuffer). */
  readonly claims?: Int32Array;
  readonly slot?: number;
}

/**
 * Worker side: true when this worker may run the job (its slot was still queued, or the job
 * came without one); false when the pool took it back for another worker.
 */
export function claimJob(m: ClaimSlot): boolean {
  const { claims, slot } = m;
  if (claims === undefined || slot === undefined) return true;
  return Atomics.compareExchange(claims, slot, SLOT_QUEUED, SLOT_STARTED) === SLOT_QUEUED;
}

/** Pool side: takes a queued job back; false when its worker has started it. */
export function takeBack(claims: Int32Array, slot: number): boolean {
  return Atomics.compareExchange(claims, slot, SLOT_QUEUED, SLOT_TAKEN_BACK) === SLOT_QUEUED;
}

/**
 * The pool's slots: one per job in flight. A job taken back gets a new slot when it is posted
 * again, and its old slot is free again only once the worker that lost it has answered
 * `skipped`: until then that worker may still try to claim it, and must find it taken.
 */
export class ClaimRing {
  readonly claims: Int32Array;
  private next = 0;

  constructor(readonly size: number) {
    this.claims = new Int32Array(new SharedArrayBuffer(4 * size));
  }

  /** A free slot, marked queued, for a job about to be posted; -1 when none is free (then the job cannot be taken back). */
  queue(): number {
    for (let i = 0; i < this.size; i++) {
      const slot = (this.next + i) % this.size;
      if (Atomics.load(this.claims, slot) !== SLOT_FREE) continue;
      this.next = (slot + 1) % this.size;
      Atomics.store(this.claims, slot, SLOT_QUEUED);
      return slot;
    }
    return -1;
  }

  /** Frees a slot once its job is answered, skipped, or its worker is gone. */
  free(slot: number): void {
    Atomics.store(this.claims, slot, SLOT_FREE);
  }
}
