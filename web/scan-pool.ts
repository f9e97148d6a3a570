/**
 * A few scan workers, each on one file at a time, fed from a queue: every dropped file gets a
 * promise of its rows. A worker that dies (out of memory on a hostile file) costs only its
 * file, which becomes an `unreadable` row as in the CLI's pool, and is replaced.
 */
import { type FileResult } from '../src/scan/result.js';
import { type ScanReply, type ScanRequest } from './protocol.js';

export interface ScanJob {
  readonly file: File;
  readonly path: string;
  readonly explicit: boolean;
}

interface Pending {
  readonly request: ScanRequest;
  readonly resolve: (rows: readonly FileResult[]) => void;
}

interface Slot {
  worker: Worker;
  busy: Pending | undefined;
}

export class ScanPool {
  private readonly queue: Pending[] = [];
  private readonly slots: Slot[] = [];
  private nextId = 0;

  constructor(
    private readonly size: number,
    private readonly create: () => Worker,
  ) {}

  /** The rows of one file. Never rejects: a failure is a row with the error. */
  scan(job: ScanJob): Promise<readonly FileResult[]> {
    return new Promise((resolve) => {
      this.queue.push({ request: { id: this.nextId++, ...job }, resolve });
      this.pump();
    });
  }

  /** Stops every worker; files in flight are abandoned (their promises never settle). */
  terminate(): void {
    for (const s of this.slots) s.worker.terminate();
    this.slots.length = 0;
    this.queue.length = 0;
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => s.busy === undefined);
      if (slot === undefined && this.slots.length < this.size) slot = this.spawn();
      if (slot === undefined) return;
      const job = this.queue.shift() as Pending;
      slot.busy = job;
      slot.worker.postMessage(job.request);
    }
  }

  private spawn(): Slot {
    const slot: Slot = { worker: this.create(), busy: undefined };
    this.listen(slot);
    this.slots.push(slot);
    return slot;
  }

  private listen(slot: Slot): void {
    slot.worker.addEventListener('message', (e: MessageEvent<ScanReply>) => {
      const job = slot.busy;
      if (job === undefined || e.data.id !== job.request.id) return;
      slot.busy = undefined;
      job.resolve(e.data.ok ? e.data.results : [failed(job.request.path, e.data.error)]);
      this.pump();
    });
    slot.worker.addEventListener('error', (e: ErrorEvent) => {
      e.preventDefault();
      const job = slot.busy;
      slot.worker.terminate();
      slot.worker = this.create();
      slot.busy = undefined;
      this.listen(slot);
      job?.resolve([failed(job.request.path, e.message || 'the scan worker stopped')]);
      this.pump();
    });
  }
}

function failed(path: string, error: string): FileResult {
  return { path, kind: 'unreadable', error: `analysis failed: ${error}`, checks: {} };
}
