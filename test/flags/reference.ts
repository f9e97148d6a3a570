/**
 * The reference dpkg-buildflags (the newest, from unstable) that `harden flags` is compared
 * with, and a sandbox in which both read the same inputs: a temporary HOME and
 * XDG_CONFIG_HOME, origins files for Debian and Ubuntu, and the reference's data directory.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const REF_DIR = process.env['REF'] ?? '/opt/hardening-reference';
export const REF_TOOL = join(REF_DIR, 'bin', 'dpkg-buildflags-newest');
/** The data directory the reference's wrapper points DPKG_DATADIR at. */
export const REF_DATADIR = join(REF_DIR, 'root', 'usr', 'share', 'dpkg');

export function referenceMissing(): string | undefined {
  if (!existsSync(REF_TOOL)) return `${REF_TOOL} is not installed (run ../shared/tools/reference-tools.sh)`;
  return undefined;
}

export interface Sandbox {
  /** A directory whose path is safe for -ffile-prefix-map; both tools run in it. */
  readonly cwd: string;
  /** An XDG_CONFIG_HOME with a buildflags.conf exercising every directive. */
  readonly configHome: string;
  /** An XDG_CONFIG_HOME without config. */
  readonly emptyConfigHome: string;
  /** The base environment of every run. */
  readonly env: Readonly<Record<string, string>>;
  cleanup(): void;
}

/** A user config with each operation, a comment, an invalid and an unknown-flag line. */
export const USER_CONFIG = [
  '# test-made user configuration',
  '',
  'APPEND CFLAGS -DUSER_APPEND',
  'prepend LDFLAGS -Wl,-O1',
  'STRIP CXXFLAGS -g',
  'SET FFLAGS  -O3   -pipe  ',
  '  APPEND CFLAGS -Dindented_is_invalid',
  'APPEND CPPFLAGS x',
  'SET EXTRAFLAGS created by config',
  'APPEND CFLAGS_FOR_BUILD -DFOR_BUILD',
  '',
].join('\n');

/**
 * The sandbox lives at a fixed path (under test/.cache, which git ignores) so that the outputs
 * of the reference, which contain the build path, can be cached between runs.
 */
const SANDBOX_ROOT = fileURLToPath(new URL('../.cache/flags-sandbox', import.meta.url));

export function makeSandbox(): Sandbox {
  const root = SANDBOX_ROOT;
  rmSync(root, { recursive: true, force: true });
  const cwd = join(root, 'build');
  const configHome = join(root, 'config');
  const emptyConfigHome = join(root, 'empty-config');
  const origins = join(root, 'origins');
  for (const d of [cwd, join(configHome, 'dpkg'), emptyConfigHome, origins]) mkdirSync(d, { recursive: true });
  writeFileSync(join(configHome, 'dpkg', 'buildflags.conf'), USER_CONFIG);
  writeFileSync(join(origins, 'debian'), 'Vendor: Debian\nVendor-URL: https://www.debian.org/\n');
  writeFileSync(join(origins, 'ubuntu'), 'Vendor: Ubuntu\nVendor-URL: https://ubuntu.com/\nParent: Debian\n');
  writeFileSync(join(origins, 'default'), readFileSync(join(origins, 'debian')));
  return {
    cwd,
    configHome,
    emptyConfigHome,
    env: {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: root,
      XDG_CONFIG_HOME: emptyConfigHome,
      DPKG_ORIGINS_DIR: origins,
      DPKG_DATADIR: REF_DATADIR,
      LC_ALL: 'C',
    },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/**
 * The reference's answers, cached in test/.cache: the reference is a fixed program, so the same
 * arguments, environment, directory and config text give the same output, and a loaded shared
 * machine runs perl slowly. The key includes the reference's version and file dates, so a new
 * reference is asked again; HARDEN_REFERENCE_NOCACHE=1 asks it every time.
 */
const CACHE_FILE = fileURLToPath(new URL('../.cache/dpkg-buildflags-reference.json', import.meta.url));

function referenceStamp(): string {
  const files = [REF_TOOL, join(REF_DIR, 'root', 'usr', 'share', 'perl5', 'Dpkg', 'BuildFlags.pm')];
  return files.map((f) => (existsSync(f) ? `${f}@${statSync(f).mtimeMs}` : f)).join('|');
}

export class ReferenceCache {
  private readonly entries: Record<string, RunResult>;
  private readonly stamp = referenceStamp();
  private dirty = false;
  private readonly enabled = process.env['HARDEN_REFERENCE_NOCACHE'] !== '1';

  constructor() {
    let loaded: Record<string, RunResult> = {};
    if (this.enabled && existsSync(CACHE_FILE)) {
      try {
        loaded = JSON.parse(readFileSync(CACHE_FILE, 'utf8')) as Record<string, RunResult>;
      } catch {
        loaded = {};
      }
    }
    this.entries = loaded;
  }

  private key(args: readonly string[], env: Readonly<Record<string, string>>, cwd: string, inputs: string): string {
    const sortedEnv = Object.entries(env).sort(([a], [b]) => (a < b ? -1 : 1));
    return createHash('sha256').update(JSON.stringify([this.stamp, args, sortedEnv, cwd, inputs])).digest('hex');
  }

  /** Runs the reference, or returns its cached answer. `inputs` is the text of its config files. */
  async run(args: readonly string[], env: Readonly<Record<string, string>>, cwd: string, inputs: string): Promise<RunResult> {
    const k = this.key(args, env, cwd, inputs);
    const hit = this.enabled ? this.entries[k] : undefined;
    if (hit !== undefined) return hit;
    const result = await runTool(REF_TOOL, args, env, cwd);
    this.entries[k] = result;
    this.dirty = true;
    return result;
  }

  save(): void {
    if (!this.enabled || !this.dirty) return;
    mkdirSync(join(CACHE_FILE, '..'), { recursive: true });
    writeFileSync(CACHE_FILE, JSON.stringify(this.entries));
  }
}

export interface RunResult {
  readonly stdout: string;
  readonly status: number;
}

/** Runs a command; a non-zero exit is a result, not an error. */
export async function runTool(
  file: string,
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  cwd: string,
): Promise<RunResult> {
  try {
    const { stdout } = await run(file, [...args], { env, cwd, maxBuffer: 16 << 20 });
    return { stdout, status: 0 };
  } catch (e) {
    const err = e as { stdout?: string; code?: number };
    if (typeof err.code !== 'number') throw e;
    return { stdout: err.stdout ?? '', status: err.code };
  }
}

/** Runs `jobs` with at most `width` in flight (the machine is shared). */
export async function inPool<T>(jobs: readonly (() => Promise<T>)[], width = 2): Promise<T[]> {
  const results: T[] = new Array<T>(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await (jobs[i] as () => Promise<T>)();
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, jobs.length) }, worker));
  return results;
}

/** The qa canary id is random in each run: compare it as a placeholder. */
export function normaliseCanary(text: string): string {
  return text.replace(/[0-9a-f]{32}/g, '<canary>');
}
