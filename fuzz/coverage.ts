/**
 * Coverage feedback from V8's own block coverage, through node:inspector (no instrumentation,
 * no native addon). An input that makes the product run a block it never ran before joins the
 * corpus, so mutations build on inputs that got further into the readers.
 *
 * Taking coverage costs about as much as several executions (V8 serialises the counters of
 * every function), so it is taken once per batch of executions; when a batch reached a new
 * block, its inputs are replayed one by one to find which did (new blocks are rare once the
 * corpus has grown, so the replays cost little).
 */
import { Session } from 'node:inspector';

interface CoverageRange {
  startOffset: number;
  endOffset: number;
  count: number;
}
interface FunctionCoverage {
  functionName: string;
  ranges: CoverageRange[];
}
interface ScriptCoverage {
  scriptId: string;
  url: string;
  functions: FunctionCoverage[];
}

export class BlockCoverage {
  private readonly session = new Session();
  private readonly seen = new Set<string>();
  /** Every nested block range V8 has listed, per function. */
  private readonly blocks = new Map<string, Set<string>>();

  /** `include` selects the scripts whose blocks count (the product's, not the fuzzer's). */
  constructor(private readonly include: (url: string) => boolean) {
    this.session.connect();
    this.post('Profiler.enable', {});
    // callCount: counters reset at every take, so each take says what ran since the last one.
    this.post('Profiler.startPreciseCoverage', { callCount: true, detailed: true });
  }

  /** Blocks known so far. */
  get size(): number {
    return this.seen.size;
  }

  /** Keys of the blocks run since the last take. */
  take(): string[] {
    return this.ranHere();
  }

  /** Those of `keys` never recorded. */
  unseen(keys: readonly string[]): string[] {
    return keys.filter((k) => !this.seen.has(k));
  }

  record(keys: readonly string[]): void {
    for (const k of keys) this.seen.add(k);
  }

  close(): void {
    this.post('Profiler.stopPreciseCoverage', {});
    this.session.disconnect();
  }

  /**
   * Keys of the blocks that ran since the last take. V8 reports a nested range only where its
   * count differs from the enclosing one, so a block that ran exactly as often as its function
   * is not listed at all: a block of a run function counts as run unless it is listed with
   * count 0. Every nested range ever listed for a function is remembered for that test.
   */
  private ranHere(): string[] {
    const result = this.post('Profiler.takePreciseCoverage', {}) as { result: ScriptCoverage[] };
    const keys: string[] = [];
    for (const script of result.result) {
      if (!this.include(script.url)) continue;
      for (const fn of script.functions) {
        const outer = fn.ranges[0];
        if (outer === undefined || outer.count === 0) continue;
        const fnKey = `${script.url}:${outer.startOffset}`;
        keys.push(fnKey);
        let known = this.blocks.get(fnKey);
        if (known === undefined) this.blocks.set(fnKey, (known = new Set()));
        const zero = new Set<string>();
        for (let i = 1; i < fn.ranges.length; i++) {
          const r = fn.ranges[i]!;
          const key = `${fnKey}:${r.startOffset}:${r.endOffset}`;
          known.add(key);
          if (r.count === 0) zero.add(key);
        }
        for (const key of known) if (!zero.has(key)) keys.push(key);
      }
    }
    return keys;
  }

  private post(method: string, params: object): object {
    // An in-process session answers synchronously: the callback has run when post returns.
    let out: object | undefined;
    let failure: Error | null = null;
    this.session.post(method, params, (err, res) => {
      failure = err;
      out = res;
    });
    if (failure !== null) throw failure;
    if (out === undefined) throw new Error(`inspector: no synchronous answer to ${method}`);
    return out;
  }
}
