/**
 * `npm run bench:compat -- [--runs N] [--reference-parallel N] PATHS…`
 *
 * Our `hardening-check` against Debian's (hardening-check-newest) over the same files, side by
 * side in one run: every ELF file and static archive under PATHS, wall time, ratio and peak
 * memory. The reference runs in chunks of 200 files, `--reference-parallel` chunks at a time
 * (default: every core, so it is not handicapped by running on one); ours runs once over all
 * files and uses its own worker threads. Ours is timed `--runs` times (default 3) and the median
 * taken; the reference, which takes minutes, once. Also times the largest file alone.
 */
import { cpus, loadavg } from 'node:os';
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { collectFiles, fmtMiB, fmtSeconds, isElfOrAr, measure, measureChunked, median } from './lib.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OURS = join(REPO, 'bin', 'hardening-check');
const REFERENCE = process.env['HARDENING_CHECK_REFERENCE'] ?? '/opt/hardening-reference/bin/hardening-check-newest';

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  let runs = 3;
  let refParallel = cpus().length;
  const paths: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--runs') runs = Math.max(1, Number(argv[++i]));
    else if (a === '--reference-parallel') refParallel = Math.max(1, Number(argv[++i]));
    else paths.push(a);
  }
  if (paths.length === 0) {
    process.stderr.write('usage: npm run bench:compat -- [--runs N] [--reference-parallel N] PATHS…\n');
    return 2;
  }
  const { files, bytes } = collectFiles(paths, isElfOrAr);
  process.stdout.write(`corpus: ${files.length} ELF files and archives, ${(bytes / 2 ** 20).toFixed(0)} MiB, under ${paths.join(' ')}\n`);

  // Warm the page cache so both sides read from memory.
  await measure('cat', files);

  const ourTimes: number[] = [];
  const ourCpu: number[] = [];
  let ourPeak: number | undefined;
  for (let r = 0; r < runs; r++) {
    const m = await measureChunked(OURS, files, 100_000, 1);
    ourTimes.push(m.seconds);
    ourCpu.push(m.cpu);
    ourPeak = Math.max(ourPeak ?? 0, m.peakMiB ?? 0);
  }
  const ours = median(ourTimes);
  const oursCpu = median(ourCpu);
  process.stdout.write(`ours:      ${fmtSeconds(ours)} wall, ${fmtSeconds(oursCpu)} CPU (medians of ${runs}: ${ourTimes.map(fmtSeconds).join(', ')}), peak ${fmtMiB(ourPeak)}\n`);

  const ref = await measureChunked(REFERENCE, files, 200, refParallel);
  process.stdout.write(`reference: ${fmtSeconds(ref.seconds)} wall (${refParallel} chunks in parallel), ${fmtSeconds(ref.cpu)} CPU, peak ${fmtMiB(ref.peakMiB)}\n`);
  // On a shared machine wall time also measures the other work; CPU time does not.
  process.stdout.write(`ratio:     ${(ref.seconds / ours).toFixed(1)}x faster (wall), ${(ref.cpu / oursCpu).toFixed(1)}x less CPU; load average ${loadavg()[0]?.toFixed(1) ?? '?'} on ${cpus().length} cores\n`);

  let largest = '';
  let largestSize = 0;
  for (const f of files) {
    const s = statSync(f).size;
    if (s > largestSize) [largest, largestSize] = [f, s];
  }
  if (largest !== '') {
    const o = await measure(OURS, [largest]);
    const rf = await measure(REFERENCE, [largest]);
    process.stdout.write(
      `largest:   ${largest} (${(largestSize / 2 ** 20).toFixed(0)} MiB): ours ${fmtSeconds(o.seconds)} (${fmtSeconds(o.cpu)} CPU), peak ${fmtMiB(o.peakMiB)}; ` +
        `reference ${fmtSeconds(rf.seconds)} (${fmtSeconds(rf.cpu)} CPU), peak ${fmtMiB(rf.peakMiB)}; ratio ${(rf.seconds / o.seconds).toFixed(1)}x\n`,
    );
  }
  return 0;
}

process.exitCode = await main();
