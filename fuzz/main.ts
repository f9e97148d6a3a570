/**
 * npm run fuzz -- [--seconds N] [--runs N] [--target elf,archive,deb,rpm,tar|all] [--seed N]
 *                 [--no-coverage] [--no-system] [--slow-ms 1000] [--memory-mb 512]
 *                 [--hang-ms 10000] [--out test/fixtures/malformed] [--progress-s 10]
 *
 * Runs the fuzzing loop (engine.ts) in a worker thread and watches it: an input that runs for
 * longer than --hang-ms is a hang (the worker is stopped and restarted with the next seed); a
 * worker that dies (heap exhausted) is a crash. Either way the input is taken from shared
 * memory and saved with the other findings under --out/<target>/<hash>.bin + .txt.
 * Exit status: 0 no finding, 1 findings, 2 usage.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { type Finding, findingKey, hashOf, type Stats } from './engine.js';
import { saveFinding } from './findings.js';
import { isTarget, TARGETS, type Target } from './oracle.js';
import { readCurrent, sharedSize, type WorkerInput, type WorkerMessage } from './shared.js';

const root = resolve(new URL('../..', import.meta.url).pathname);

function usage(msg: string): never {
  process.stderr.write(`fuzz: ${msg}\nusage: npm run fuzz -- [--seconds N] [--runs N] [--target ${TARGETS.join(',')}|all] [--seed N] [--no-coverage] [--no-system]\n`);
  process.exit(2);
}

function num(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) usage(`--${name}: not a number: ${v}`);
  return n;
}

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        seconds: { type: 'string' },
        runs: { type: 'string' },
        target: { type: 'string', default: 'all' },
        seed: { type: 'string', default: '1' },
        'no-coverage': { type: 'boolean', default: false },
        'no-system': { type: 'boolean', default: false },
        'slow-ms': { type: 'string', default: '1000' },
        'memory-mb': { type: 'string', default: '512' },
        'hang-ms': { type: 'string', default: '10000' },
        'progress-s': { type: 'string', default: '10' },
        out: { type: 'string', default: 'test/fixtures/malformed' },
      },
      strict: true,
    });
  } catch (e) {
    return usage((e as Error).message);
  }
})();

const targets: Target[] = values.target === 'all' ? [...TARGETS] : values.target.split(',').map((t) => (isTarget(t) ? t : usage(`unknown target ${t}`)));
const seconds = num(values.seconds, 'seconds');
const runs = num(values.runs, 'runs');
const seed = num(values.seed, 'seed') ?? 1;
const hangMs = num(values['hang-ms'], 'hang-ms') ?? 10_000;
const out = resolve(root, values.out);
const how = `npm run fuzz -- --target ${targets.join(',')} --seed ${seed}${values['no-coverage'] ? ' --no-coverage' : ''}`;

const total: Stats = { execs: 0, analysed: 0, replays: 0, perTarget: {}, corpus: {}, blocks: 0, findings: 0, findingKeys: {}, elapsedMs: 0, mutateMs: 0, runMs: 0, slowestMs: 0, slowestTarget: '' };
const started = Date.now();
const reported = new Set<string>();
let generation = 0;
let findings = 0;

function record(f: Finding): void {
  if (reported.has(f.key)) return;
  reported.add(f.key);
  findings++;
  const path = saveFinding(out, f, how);
  process.stdout.write(`\nFINDING ${f.kind} (${f.target}, ${f.where}): ${f.message.split('\n')[0]}\n  input: ${path ?? `${f.hash} (already kept)`}\n  from: ${f.origin.slice(0, 300)}\n`);
}

function line(s: Stats, base: Stats): string {
  const execs = base.execs + s.execs;
  const secs = (Date.now() - started) / 1000;
  const per = TARGETS.filter((t) => (base.perTarget[t] ?? 0) + (s.perTarget[t] ?? 0) > 0)
    .map((t) => `${t} ${(base.perTarget[t] ?? 0) + (s.perTarget[t] ?? 0)}/${s.corpus[t] ?? '-'}`)
    .join(' ');
  return `[${secs.toFixed(0).padStart(6)}s] execs ${execs} (${(execs / secs).toFixed(0)}/s) ${per} analysed ${Math.round((100 * (base.analysed + s.analysed)) / Math.max(1, execs))}% blocks ${s.blocks} findings ${findings} slowest ${Math.round(Math.max(s.slowestMs, base.slowestMs))} ms`;
}

function add(into: Stats, s: Stats): void {
  into.execs += s.execs;
  into.analysed += s.analysed;
  into.replays += s.replays;
  into.mutateMs += s.mutateMs;
  into.runMs += s.runMs;
  for (const [t, n] of Object.entries(s.perTarget)) into.perTarget[t] = (into.perTarget[t] ?? 0) + n;
  into.blocks = Math.max(into.blocks, s.blocks);
  if (s.slowestMs > into.slowestMs) {
    into.slowestMs = s.slowestMs;
    into.slowestTarget = s.slowestTarget;
  }
}

/** Runs one worker until it finishes; resolves to false when it had to be stopped (hang, crash). */
function runWorker(): Promise<boolean> {
  const shared = new SharedArrayBuffer(sharedSize());
  const elapsed = (Date.now() - started) / 1000;
  const input: WorkerInput = {
    root,
    targets,
    seed: seed + generation * 7919,
    ...(runs === undefined ? {} : { runs: Math.max(0, runs - total.execs) }),
    ...(seconds === undefined ? {} : { seconds: Math.max(0, seconds - elapsed) }),
    coverage: !values['no-coverage'],
    system: !values['no-system'],
    slowMs: num(values['slow-ms'], 'slow-ms') ?? 1000,
    memoryBound: (num(values['memory-mb'], 'memory-mb') ?? 512) * 2 ** 20,
    progressMs: (num(values['progress-s'], 'progress-s') ?? 10) * 1000,
    shared,
  };
  generation++;
  const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: input, resourceLimits: { maxOldGenerationSizeMb: 4096 } });
  let last: Stats | null = null;
  return new Promise((done) => {
    let counter = -1;
    let since = Date.now();
    let finished = false;
    const lost = (kind: 'hang' | 'crash', message: string): void => {
      const cur = readCurrent(shared);
      const target = TARGETS[cur.target] ?? 'elf';
      record({ target, limits: cur.tight ? 'tight' : 'default', kind, where: kind, message, input: cur.bytes, origin: cur.origin, hash: hashOf(cur.bytes), key: findingKey(kind, kind, `${target} ${message}`) });
      // The worker's last report, topped up with the executions it started since (the shared counter).
      const s: Stats = last ?? { ...total, execs: 0, analysed: 0, replays: 0, perTarget: {}, mutateMs: 0, runMs: 0, slowestMs: 0 };
      add(total, { ...s, execs: Math.max(s.execs, cur.counter - 1) });
    };
    const watchdog = setInterval(() => {
      const cur = readCurrent(shared);
      if (cur.counter !== counter || cur.state === 0) {
        counter = cur.counter;
        since = Date.now();
      } else if (Date.now() - since > hangMs) {
        finished = true;
        clearInterval(watchdog);
        lost('hang', `one input ran for over ${hangMs} ms`);
        void worker.terminate().then(() => done(false));
      }
    }, 250);
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'finding') record(m.finding);
      else if (m.type === 'progress') {
        last = m.stats;
        process.stdout.write(`${line(m.stats, total)}\n`);
      } else {
        finished = true;
        clearInterval(watchdog);
        add(total, m.stats);
        total.corpus = m.stats.corpus;
        total.blocks = Math.max(total.blocks, m.stats.blocks);
        done(true);
      }
    });
    worker.on('error', (e) => {
      if (finished) return;
      finished = true;
      clearInterval(watchdog);
      lost('crash', `the worker died: ${e.message}`);
      done(false);
    });
    worker.on('exit', (code) => {
      if (finished) return;
      finished = true;
      clearInterval(watchdog);
      lost('crash', `the worker exited with code ${code}`);
      done(false);
    });
  });
}

process.stdout.write(`fuzz: targets ${targets.join(',')}, seed ${seed}, ${seconds === undefined ? '' : `${seconds} s `}${runs === undefined ? '' : `${runs} runs `}coverage ${values['no-coverage'] ? 'off' : 'on'}\n`);
for (;;) {
  const clean = await runWorker();
  if (clean) break;
  const outOfTime = seconds !== undefined && (Date.now() - started) / 1000 >= seconds;
  const outOfRuns = runs !== undefined && total.execs >= runs;
  if (outOfTime || outOfRuns) break;
}
const secs = (Date.now() - started) / 1000;
process.stdout.write(
  `fuzz: done: ${total.execs} executions in ${secs.toFixed(0)} s (${(total.execs / secs).toFixed(0)}/s; ${Math.round((100 * total.analysed) / Math.max(1, total.execs))}% reached the checks; ${total.replays} coverage replays; ${(total.mutateMs / 1000).toFixed(0)} s making inputs, ${(total.runMs / 1000).toFixed(0)} s running them), ` +
    `${Object.entries(total.perTarget)
      .map(([t, n]) => `${t} ${n}`)
      .join(', ')}; corpus ${Object.entries(total.corpus)
      .map(([t, n]) => `${t} ${n}`)
      .join(', ')}; ${total.blocks} blocks; slowest ${Math.round(total.slowestMs)} ms (${total.slowestTarget}); findings ${findings}\n`,
);
process.exit(findings > 0 ? 1 : 0);
