/**
 * The fuzzing loop: pick an input from the corpus, mutate it (structure-aware, through its
 * layers), run it through its target's entry points, judge the outcome, keep it if it taught
 * something (a block never run, a failure shape never seen), report it if it broke the
 * contract. Deterministic for a given seed and options (coverage feedback is deterministic
 * too; only the slow-input and memory findings depend on the machine).
 *
 * Findings:
 *   exception  something escaped a per-file entry point (harden scan's or hardening-check's)
 *   untyped    a container reader threw something other than its typed errors
 *   suspicious a result carries a JavaScript engine error as text (a caught TypeError...)
 *   slow       one input took over `slowMs` (confirmed by two more runs)
 *   memory     resident memory grew by over `memoryBound` during one input
 * A hang and an out-of-memory crash cannot be caught in-process: the runner (main.ts) runs
 * this loop in a worker and watches it.
 */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { DEFAULT_LIMITS, type Limits } from '../src/limits.js';
import { type BlockCoverage } from './coverage.js';
import { type FieldMap, locateFields } from './fields.js';
import { type Layer, nodes, raw, replaceAt, toLayer } from './layers.js';
import { MAX_INPUT, mutate } from './mutate.js';
import { type Outcome, runInput as defaultRun, type Target, type Violation } from './oracle.js';
import { Rng } from './rng.js';

export interface Seed {
  readonly name: string;
  readonly target: Target;
  readonly bytes: Uint8Array;
}

export type FindingKind = Violation['kind'] | 'slow' | 'memory' | 'hang' | 'crash';

export interface Finding {
  readonly target: Target;
  /** Which limits the input ran under: the defaults, or `TIGHT_LIMITS`. */
  readonly limits: 'default' | 'tight';
  readonly kind: FindingKind;
  readonly where: string;
  readonly message: string;
  readonly stack?: string;
  readonly input: Uint8Array;
  /** The seed the input descends from and the last mutations. */
  readonly origin: string;
  readonly ms?: number;
  /** sha256 of the input, first 16 hex digits: the file name it is saved under. */
  readonly hash: string;
  /** Findings with the same key are the same bug; only the first is reported. */
  readonly key: string;
}

export interface Stats {
  execs: number;
  /** Executions in which at least one ELF file got as far as the checks (depth, not just parsing). */
  analysed: number;
  replays: number;
  perTarget: Record<string, number>;
  corpus: Record<string, number>;
  blocks: number;
  findings: number;
  /** Distinct findings by key, with how often each was met. */
  findingKeys: Record<string, number>;
  elapsedMs: number;
  /** Time spent making inputs (mutation, recompression) and running them. */
  mutateMs: number;
  runMs: number;
  slowestMs: number;
  slowestTarget: string;
}

export interface EngineOptions {
  readonly seeds: readonly Seed[];
  readonly targets: readonly Target[];
  readonly seed: number;
  /** Stop after this many executions (over all targets). */
  readonly runs?: number;
  /** Stop after this long. */
  readonly seconds?: number;
  readonly limits?: Limits;
  readonly coverage?: BlockCoverage | null;
  /** Executions between coverage takes. */
  readonly coverageBatch?: number;
  /** Infinity disables the slow-input finding (tests must not time things). */
  readonly slowMs?: number;
  /** Infinity disables the memory finding. */
  readonly memoryBound?: number;
  /** Most inputs kept per target (seeds included). */
  readonly maxCorpus?: number;
  readonly onFinding?: (f: Finding) => void;
  readonly onProgress?: (s: Stats) => void;
  readonly progressMs?: number;
  /** The entry points to run an input through; oracle.ts `runInput` unless a test says otherwise. */
  readonly run?: (target: Target, bytes: Uint8Array, limits: Limits) => Outcome;
  /** Called before each execution with what is about to run (the hang watchdog keeps it). */
  readonly beforeExec?: (target: Target, bytes: Uint8Array, origin: string, tight: boolean) => void;
}

interface Entry {
  readonly layer: Layer;
  readonly origin: string;
  readonly seed: boolean;
}

interface Pending {
  readonly target: Target;
  readonly layer: Layer;
  readonly origin: string;
  /** Already in the corpus (its outcome had a new shape). */
  readonly kept: boolean;
  readonly tight: boolean;
}

/**
 * Caps small enough that ordinary inputs hit them: a tenth of the executions run under these,
 * so that every limit's error path is fuzzed too.
 */
export const TIGHT_LIMITS: Readonly<Limits> = Object.freeze({
  maxTableBytes: 4096,
  maxEntries: 64,
  maxNotes: 4,
  maxCodeBytes: 8192,
  maxDecompressedBytes: 256 * 1024,
  maxCompressionRatio: 8,
  maxMembers: 4,
  maxDepth: 1,
  maxMemberBytes: 16 * 1024,
  maxWindowBytes: 64 * 1024,
});

const fieldCache = new WeakMap<Uint8Array, FieldMap>();

function fieldsOf(bytes: Uint8Array): FieldMap {
  let m = fieldCache.get(bytes);
  if (m === undefined) fieldCache.set(bytes, (m = locateFields(bytes)));
  return m;
}

export function hashOf(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 16);
}

/** What makes two findings the same bug: kind, entry point, message shape, first frame of ours. */
export function findingKey(kind: FindingKind, where: string, message: string, stack?: string): string {
  const shape = message.replace(/0x[0-9a-f]+|\d+/gi, '#').replace(/"[^"]*"/g, 'S').slice(0, 120);
  const frame = stack?.split('\n').find((l) => /\/(src|dist\/src)\//.test(l))?.replace(/^.*\/(src\/[^:)]+:\d+).*$/, '$1') ?? '';
  return `${kind} ${where} ${frame} ${shape}`;
}

export function runFuzz(opts: EngineOptions): Stats {
  const rng = new Rng(opts.seed);
  const baseLimits = opts.limits ?? DEFAULT_LIMITS;
  const slowMs = opts.slowMs ?? 1000;
  const memoryBound = opts.memoryBound ?? Infinity;
  const maxCorpus = opts.maxCorpus ?? 3000;
  const batchSize = opts.coverageBatch ?? 16;
  const coverage = opts.coverage ?? null;
  const started = performance.now();
  const deadline = opts.seconds === undefined ? Infinity : started + opts.seconds * 1000;
  const runs = opts.runs ?? Infinity;
  const runInput = opts.run ?? defaultRun;

  const corpus = new Map<Target, Entry[]>();
  for (const t of opts.targets) corpus.set(t, []);
  for (const s of opts.seeds) corpus.get(s.target)?.push({ layer: toLayer(s.bytes), origin: s.name, seed: true });
  const targets = opts.targets.filter((t) => (corpus.get(t)?.length ?? 0) > 0);
  if (targets.length === 0) throw new Error('no seeds for the chosen targets');

  const stats: Stats = {
    execs: 0,
    analysed: 0,
    replays: 0,
    perTarget: Object.fromEntries(targets.map((t) => [t, 0])),
    corpus: {},
    blocks: 0,
    findings: 0,
    findingKeys: {},
    elapsedMs: 0,
    mutateMs: 0,
    runMs: 0,
    slowestMs: 0,
    slowestTarget: '',
  };
  const shapes = new Set<string>();
  let rssBase = process.memoryUsage.rss();
  let batch: Pending[] = [];

  const report = (target: Target, kind: FindingKind, v: { where: string; message: string; stack?: string }, input: Uint8Array, origin: string, tight: boolean, ms?: number): void => {
    const key = findingKey(kind, v.where, v.message, v.stack);
    stats.findingKeys[key] = (stats.findingKeys[key] ?? 0) + 1;
    if (stats.findingKeys[key] !== 1) return;
    stats.findings++;
    const f: Finding = { target, limits: tight ? 'tight' : 'default', kind, where: v.where, message: v.message, input, origin, hash: hashOf(input), key, ...(v.stack === undefined ? {} : { stack: v.stack }), ...(ms === undefined ? {} : { ms }) };
    opts.onFinding?.(f);
  };

  const keep = (target: Target, layer: Layer, origin: string): void => {
    const list = corpus.get(target)!;
    if (list.length >= maxCorpus) {
      // Forget a random non-seed entry: old discoveries make room for new ones.
      const i = rng.below(list.length);
      if (list[i]!.seed) return;
      list.splice(i, 1);
    }
    list.push({ layer, origin, seed: false });
  };

  /** One execution with all the oracles; returns whether its outcome had a new shape. */
  const execute = (target: Target, layer: Layer, origin: string, tight: boolean): boolean => {
    const bytes = layer.bytes;
    const limits = tight ? TIGHT_LIMITS : baseLimits;
    opts.beforeExec?.(target, bytes, origin, tight);
    const t0 = performance.now();
    const out = runInput(target, bytes, limits);
    let ms = performance.now() - t0;
    stats.runMs += ms;
    if (out.analysed > 0) stats.analysed++;
    if (out.violation !== null) report(target, out.violation.kind, out.violation, bytes, origin, tight);
    if (ms > slowMs) {
      // Confirm: the machine may simply have been busy.
      for (let i = 0; i < 2 && ms > slowMs; i++) {
        const t1 = performance.now();
        runInput(target, bytes, limits);
        ms = Math.min(ms, performance.now() - t1);
      }
      if (ms > slowMs) report(target, 'slow', { where: 'time', message: `took ${Math.round(ms)} ms (limit ${slowMs} ms)` }, bytes, origin, tight, ms);
    }
    if (ms > stats.slowestMs) {
      stats.slowestMs = ms;
      stats.slowestTarget = target;
    }
    const rss = process.memoryUsage.rss();
    if (rss - rssBase > memoryBound) {
      report(target, 'memory', { where: 'memory', message: `resident memory grew by ${Math.round((rss - rssBase) / 2 ** 20)} MiB` }, bytes, origin, tight);
    }
    // The baseline follows the memory down (a GC) but not up: growth is measured from the lowest point.
    if (rss < rssBase || stats.execs % 4096 === 0) rssBase = rss;
    const fresh = !shapes.has(out.signature);
    if (fresh) shapes.add(out.signature);
    return fresh;
  };

  let lastProgress = started;
  for (let round = 0; stats.execs < runs && performance.now() < deadline; round++) {
    const target = targets[round % targets.length]!;
    const list = corpus.get(target)!;
    const tm = performance.now();
    // Three random picks: the smallest half the time (cheap inputs run more), else the newest.
    const picks = [rng.below(list.length), rng.below(list.length), rng.below(list.length)];
    const parent = rng.chance(0.5)
      ? picks.map((i) => list[i]!).reduce((x, y) => (y.layer.bytes.length < x.layer.bytes.length ? y : x))
      : list[Math.max(...picks)]!;
    const all = nodes(parent.layer);
    // Inner layers (the tar inside the .deb, the cpio inside the rpm) are where the readers are.
    const node = all[rng.weighted(all.map((n) => (n.layer.kind === 'raw' ? (n.path.length > 0 ? 6 : 4) : n.layer.kind === 'compressed' ? 1 : 2)))]!;
    const donorList = corpus.get(rng.chance(0.8) ? target : rng.pick(targets))!;
    const donor = rng.pick(donorList).layer.bytes;
    const m = mutate(node.layer.bytes, fieldsOf(node.layer.bytes), rng, donor);
    const child = replaceAt(parent.layer, node.path, raw(m.bytes), () => rng.chance(0.05));
    stats.mutateMs += performance.now() - tm;
    if (child.bytes.length > MAX_INPUT) continue;
    const origin = `${parent.origin.split(' <- ')[0]} <- ${node.path.length > 0 ? `layer ${node.path.join('.')}: ` : ''}${m.what}`.slice(0, 2000);
    stats.execs++;
    stats.perTarget[target] = (stats.perTarget[target] ?? 0) + 1;
    const tight = rng.chance(0.1);
    const freshShape = execute(target, child, origin, tight);
    if (freshShape) keep(target, child, origin);
    if (coverage !== null) {
      batch.push({ target, layer: child, origin, kept: freshShape, tight });
      if (batch.length >= batchSize) {
        const fresh = coverage.unseen(coverage.take());
        if (fresh.length > 0) {
          // Someone in this batch ran a new block: find who, one replay each.
          for (const p of batch) {
            runInput(p.target, p.layer.bytes, p.tight ? TIGHT_LIMITS : baseLimits);
            stats.replays++;
            const mine = coverage.unseen(coverage.take());
            if (mine.length > 0) {
              coverage.record(mine);
              if (!p.kept) keep(p.target, p.layer, p.origin);
            }
          }
          // Blocks no replay ran again (reached by the mutator's own parsing) count as seen.
          coverage.record(fresh);
        }
        batch = [];
        stats.blocks = coverage.size;
      }
    }
    const now = performance.now();
    if (opts.onProgress !== undefined && now - lastProgress >= (opts.progressMs ?? 10_000)) {
      lastProgress = now;
      opts.onProgress(snapshot());
    }
  }

  function snapshot(): Stats {
    stats.elapsedMs = performance.now() - started;
    stats.corpus = Object.fromEntries([...corpus].map(([t, l]) => [t, l.length]));
    return { ...stats, perTarget: { ...stats.perTarget }, corpus: { ...stats.corpus }, findingKeys: { ...stats.findingKeys } };
  }
  return snapshot();
}
