/**
 * `harden scan`: validates the hardening of ELF files, archives and running processes.
 * Wiring only: parse the options (commander), build the policy (src/policy), the inputs and
 * pipeline (src/scan) and the report (src/report), run, return the exit status.
 *
 * Exit status: 0 every required check passed; 1 a required check failed; 2 usage error (bad
 * option, bad config file, no input); 3 a file could not be analysed and nothing required failed.
 *
 * Start-up order matters on a scan of many files: the workers are started as soon as the
 * options are parsed, and only then does this thread load what it needs for its own part (the
 * check registry, the report writers, the config validator when there is a config file), so
 * the two start-ups overlap. Measured on /usr's 3,590 ELF files (2 cores): the first file
 * reached a worker ~650 ms after the process started when the workers were started last.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { type Limits, LIMITS_ENV, LimitOverrideError, limitsFromEnv } from '../limits.js';
import { type CheckId } from '../checks/types.js';
import { packageVersion } from '../io/package-files.js';
import { CHECK_IDS, isCheckId } from '../policy/check-ids.js';
import { ConfigError } from '../policy/config-error.js';
import { findConfig, type LoadedConfig, loadConfig } from '../policy/config-file.js';
import { Policy, type UnknownIs } from '../policy/policy.js';
import { isProfileName, PROFILES, type ProfileName } from '../policy/profiles.js';
import { OutputSink } from '../report/output-sink.js';
import { type ScanProgress } from '../report/progress.js';
import { isReportFormat, REPORT_FORMATS, type ReportContext, type ReportFormat } from '../report/report-types.js';
import { defaultJobs, prestartWorkers } from '../run/pool.js';
import { scanTargets } from '../scan/inputs.js';
import { scan } from '../scan/scan.js';
import { type ScanTarget } from '../scan/target.js';
import type { Subcommand } from './harden.js';

class UsageError extends Error {}

interface Options {
  format?: string;
  output?: string;
  filesFrom?: string;
  pid?: number[];
  follow?: boolean;
  jobs?: number;
  profile?: string;
  config?: string | false;
  require?: CheckId[];
  ignore?: CheckId[];
  unknownIs?: string;
  color?: boolean;
  progress: boolean;
}

function positiveInt(what: string) {
  return (value: string): number => {
    if (!/^[0-9]+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError(`${what} must be a positive integer`);
    return Number(value);
  };
}

// Repeatable options accumulate; they have no declared default, so --help shows none.
function checkList(value: string, previous: CheckId[] | undefined): CheckId[] {
  const ids = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const id of ids) if (!isCheckId(id)) throw new InvalidArgumentError(`unknown check '${id}' (checks: ${CHECK_IDS.join(', ')})`);
  return [...(previous ?? []), ...(ids as CheckId[])];
}

function program(): Command {
  const profiles = Object.values(PROFILES).map((p) => `  ${p.name.padEnd(8)} ${p.summary}`).join('\n');
  return new Command('harden scan')
    .description('Check the hardening of ELF executables, shared libraries, objects, static archives, packages (.deb, .rpm, tarballs) and running processes.')
    .argument('[paths...]', 'files, packages and directories (walked recursively; packages in them are opened by name) to scan')
    .addOption(new Option('-f, --format <format>', 'output format (default: table on a terminal, text otherwise)').choices([...REPORT_FORMATS]))
    .option('-o, --output <file>', 'write the report to FILE instead of standard output')
    .option('--files-from <file>', 'also scan the paths listed in FILE (- for standard input), one a line or NUL-separated')
    .option('--pid <pid>', 'scan the executable of process PID and every ELF file it maps (repeatable)', (v: string, prev: number[] | undefined) => [...(prev ?? []), positiveInt('--pid')(v)])
    .option('-L, --follow', 'follow symbolic links met while walking directories (cycles are detected)')
    .option('-j, --jobs <n>', 'worker threads (default: one per core)', positiveInt('--jobs'))
    .option('--profile <name>', `checks that must pass: ${Object.keys(PROFILES).join(', ')} (default: the config's, else debian)`)
    .option('--config <file>', 'policy file (default: the nearest harden.config.json at or above the working directory)')
    .option('--no-config', 'use no policy file')
    .option('--require <checks>', 'also require these checks (comma-separated ids)', checkList)
    .option('--ignore <checks>', 'do not require these checks (comma-separated ids)', checkList)
    .option('--unknown-is <warn|fail>', 'what a required check with an unknown result counts as (default: warn)')
    .option('--color', 'colour the table and text output (default: on a terminal, unless NO_COLOR is set)')
    .option('--no-color', 'never colour the output')
    .option('--no-progress', 'no progress bar on standard error')
    .addHelpText(
      'after',
      `
Profiles:
${profiles}

Checks: ${CHECK_IDS.join(', ')}

Exit status: 0 every required check passed; 1 a required check failed; 2 usage error;
3 a file could not be analysed and nothing required failed.`,
    )
    .exitOverride()
    .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });
}

async function loadPolicy(opts: Options): Promise<Policy> {
  if (opts.profile !== undefined && !isProfileName(opts.profile)) {
    throw new UsageError(`unknown profile '${opts.profile}' (profiles: ${Object.keys(PROFILES).join(', ')})`);
  }
  if (opts.unknownIs !== undefined && opts.unknownIs !== 'warn' && opts.unknownIs !== 'fail') {
    throw new UsageError(`--unknown-is must be warn or fail, not '${opts.unknownIs}'`);
  }
  let loaded: LoadedConfig | undefined;
  if (opts.config !== false) {
    const path = opts.config ?? findConfig(process.cwd());
    if (path !== undefined) loaded = await loadConfig(path);
  }
  const cwd = process.cwd();
  const locate = (p: string): { relative: string | undefined; absolute: string } => {
    const absolute = resolve(cwd, p);
    if (loaded === undefined) return { relative: p, absolute };
    const rel = relative(loaded.dir, absolute);
    const inside = rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
    return { relative: inside ? rel.split(sep).join('/') : undefined, absolute };
  };
  return new Policy({
    ...(opts.profile === undefined ? {} : { profile: opts.profile as ProfileName }),
    ...(loaded === undefined ? {} : { config: loaded.config, configPath: loaded.path }),
    require: opts.require ?? [],
    ignore: opts.ignore ?? [],
    ...(opts.unknownIs === undefined ? {} : { unknownIs: opts.unknownIs as UnknownIs }),
    locate,
  });
}

/**
 * Whether the input may be large enough for worker threads, judged without reading it: a list
 * file, processes, a directory, or many names. A wrong guess costs little either way: unused
 * workers are stopped when the scan turns out small, and missing ones are started then.
 */
function mayBeLarge(paths: readonly string[], opts: Options): boolean {
  if (opts.filesFrom !== undefined || (opts.pid ?? []).length > 0 || paths.length > 64) return true;
  return paths.some((p) => {
    try {
      return statSync(p).isDirectory();
    } catch {
      return false;
    }
  });
}

function wantColor(opts: Options, toStdout: boolean): boolean {
  if (opts.color !== undefined) return opts.color;
  const noColor = process.env['NO_COLOR'];
  return toStdout && process.stdout.isTTY === true && (noColor === undefined || noColor === '');
}

async function run(argv: string[]): Promise<number> {
  const cmd = program();
  try {
    cmd.parse(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    throw e;
  }
  const opts = cmd.opts<Options>();
  const paths = cmd.args;
  const jobs = opts.jobs ?? defaultJobs();
  if (jobs > 1 && mayBeLarge(paths, opts)) prestartWorkers('scan', jobs);
  let policy: Policy;
  try {
    policy = await loadPolicy(opts);
  } catch (e) {
    if (e instanceof UsageError || e instanceof ConfigError) {
      process.stderr.write(`harden scan: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  // Overrides of src/limits.ts (e.g. HARDEN_LIMITS=maxMemberBytes=256M), as hardening-check reads them.
  let limits: Limits | undefined;
  try {
    limits = process.env[LIMITS_ENV]?.trim() ? limitsFromEnv(process.env) : undefined;
  } catch (e) {
    if (!(e instanceof LimitOverrideError)) throw e;
    process.stderr.write(`harden scan: ${e.message}\n`);
    return 2;
  }
  const pids = opts.pid ?? [];
  if (paths.length === 0 && opts.filesFrom === undefined && pids.length === 0) {
    process.stderr.write('harden scan: nothing to scan: give paths, --files-from or --pid (see harden scan --help)\n');
    return 2;
  }
  if (opts.filesFrom !== undefined && opts.filesFrom !== '-') {
    try {
      if (!statSync(opts.filesFrom).isFile()) throw new Error('not a regular file');
    } catch (e) {
      process.stderr.write(`harden scan: --files-from ${opts.filesFrom}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}\n`);
      return 2;
    }
  }
  const toStdout = opts.output === undefined;
  const format: ReportFormat = opts.format !== undefined && isReportFormat(opts.format) ? opts.format : toStdout && process.stdout.isTTY === true ? 'table' : 'text';
  let sink: OutputSink;
  try {
    sink = toStdout ? OutputSink.stdout() : OutputSink.file(opts.output ?? '');
  } catch (e) {
    process.stderr.write(`harden scan: cannot write ${opts.output ?? ''}: ${(e as Error).message}\n`);
    return 2;
  }

  // Loaded after the workers were started (see the top of this file).
  const [{ CHECKS }, { createReport, isStreamingFormat }] = await Promise.all([import('../checks/registry.js'), import('../report/create-report.js')]);
  const ctx: ReportContext = {
    tool: { name: 'harden', version: packageVersion() },
    checks: CHECKS.map((c) => ({ id: c.id, title: c.title, category: c.category, description: c.description, remedy: c.remedy })),
    policy: { profile: policy.profile, required: policy.required, unknownIs: policy.unknownIs, config: policy.configPath },
    color: wantColor(opts, toStdout),
    commandLine: ['harden', 'scan', ...argv],
    cwd: process.cwd(),
  };
  const report = createReport(format, ctx, sink, { write: (line) => process.stderr.write(`harden scan: ${line}`) });

  // A bar only where it cannot garble the report: stderr is a terminal, and stdout either is
  // not the terminal or gets nothing until the end.
  const showProgress = opts.progress && process.stderr.isTTY === true && (!toStdout || process.stdout.isTTY !== true || !isStreamingFormat(format));
  const spec = { paths, pids, follow: opts.follow === true, ...(opts.filesFrom === undefined ? {} : { filesFrom: opts.filesFrom }) };
  let targets: AsyncIterable<ScanTarget> | ScanTarget[] = scanTargets(spec);
  let progress: ScanProgress | undefined;
  if (showProgress) {
    // The bar needs a total: walk first (a few hundred ms for /usr), then scan.
    const all: ScanTarget[] = [];
    for await (const t of targets) all.push(t);
    targets = all;
    // Loaded only here: most scans never show a bar.
    const { ScanProgress: Bar } = await import('../report/progress.js');
    progress = new Bar(all.length, process.stderr);
  }
  try {
    const summary = await scan(targets, policy, report, {
      order: ctx.checks.map((c) => c.id),
      ...(opts.jobs === undefined ? {} : { jobs: opts.jobs }),
      ...(limits === undefined ? {} : { limits }),
      stopped: () => sink.closed,
      onBatch: (done) => {
        sink.flush();
        progress?.advance(done);
      },
    });
    progress?.stop();
    await sink.close();
    return summary.exitStatus;
  } catch (e) {
    progress?.stop();
    process.stderr.write(`harden scan: ${(e as Error).message}\n`);
    return 2;
  }
}

export const command: Subcommand = {
  summary: 'check the hardening of ELF files, archives and processes',
  run,
};
