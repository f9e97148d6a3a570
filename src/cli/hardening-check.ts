/**
 * `hardening-check`: the drop-in for Debian's. Wiring only: options → per-file facts (in
 * parallel) → the reference's report, in argument order.
 */
// First: engine settings for every function compiled and every worker started after it.
import '../run/engine-tuning.js';
import { statSync } from 'node:fs';
import '../io/native-zlib.js';
import { GetoptError } from '../compat/getopt.js';
import { type FactsRequest, type FactsResult } from '../compat/file-facts.js';
import { findLibcFunctions } from '../compat/libc-functions.js';
import { parseOptions, type HardeningCheckOptions } from '../compat/options.js';
import { describeFacts } from '../compat/debug.js';
import { needsStackClash, renderReport } from '../compat/report.js';
import { MANUAL, USAGE } from '../compat/usage.js';
import { type Limits, LimitOverrideError, limitsFromEnv } from '../limits.js';
import { defaultJobs, runOrdered } from '../run/pool.js';

/** Worker threads pay off only when there is enough to do. */
function chooseJobs(files: readonly string[]): number {
  const cores = defaultJobs();
  if (cores <= 1 || files.length < 2) return 1;
  let bytes = 0;
  for (const f of files) {
    try {
      bytes += statSync(f).size;
    } catch {
      // Unreadable files cost nothing to analyse.
    }
  }
  if (files.length < 16 && bytes < 32 * 1024 * 1024) return 1;
  return Math.min(cores, files.length);
}

export async function main(argv: string[]): Promise<number> {
  let opts: HardeningCheckOptions;
  try {
    opts = parseOptions(argv);
  } catch (e) {
    if (!(e instanceof GetoptError)) throw e;
    process.stderr.write(`${e.message}\n${USAGE}`);
    return 2;
  }
  if (opts.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (opts.man) {
    process.stdout.write(MANUAL);
    return 0;
  }
  if (opts.findLibcFunctions) {
    const target = opts.files[0];
    if (target === undefined) {
      process.stdout.write(USAGE);
      return 1;
    }
    process.stdout.write(findLibcFunctions(target));
    return 0;
  }

  // Caps come from the environment, not options: the drop-in keeps the reference's command line.
  let limits: Limits;
  try {
    limits = limitsFromEnv(process.env);
  } catch (e) {
    if (!(e instanceof LimitOverrideError)) throw e;
    process.stderr.write(`hardening-check: ${e.message}\n`);
    return 2;
  }
  const stackClash = needsStackClash(opts);
  let overall = 0;
  const out: string[] = [];
  const write = (s: string): void => {
    out.push(s);
    if (out.length >= 64) flush();
  };
  const flush = (): void => {
    if (out.length > 0) process.stdout.write(out.join(''));
    out.length = 0;
  };
  const requests = opts.files.map((path): FactsRequest => ({ path, stackClash, limits }));
  await runOrdered<FactsRequest, FactsResult>(requests, { task: 'reference-facts', jobs: chooseJobs(opts.files) }, (i, outcome) => {
    const path = opts.files[i] ?? '';
    if (!outcome.ok) {
      flush();
      process.stderr.write(`hardening-check: ${path}: ${outcome.error}\n`);
      overall = 1;
      return;
    }
    const r = outcome.value;
    if ('unreadable' in r) {
      flush();
      process.stderr.write(`hardening-check: ${r.unreadable}\n`);
      overall = 1;
      return;
    }
    if (opts.debug) write(describeFacts(path, r.facts));
    const report = renderReport(path, r.facts, opts);
    write(report.text);
    if (report.failed && !opts.lintian) overall = 1;
  });
  flush();
  return overall;
}
