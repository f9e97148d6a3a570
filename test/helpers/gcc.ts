/**
 * Builds fixtures with the system's gcc at test time. Outputs are cached under test/.cache by
 * a hash of the source and flags, so a re-run does not recompile; the cache is disposable.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CACHE = join(REPO, 'test', '.cache');

/** Compiles `source` (C) with `flags`, returns the output path. `output` picks the file name. */
export function gcc(source: string, flags: readonly string[], output = 'a.out', compiler = 'gcc'): string {
  const key = createHash('sha256').update(compiler).update('\0').update(source).update('\0').update(flags.join('\0')).digest('hex').slice(0, 16);
  const dir = join(CACHE, 'gcc', key);
  const out = join(dir, output);
  if (existsSync(out)) return out;
  mkdirSync(dir, { recursive: true });
  const src = join(dir, 'src.c');
  writeFileSync(src, source);
  const tmp = `${out}.tmp${process.pid}`;
  // Libraries must follow the objects that need them.
  const libs = flags.filter((f) => f.startsWith('-l'));
  const opts = flags.filter((f) => !f.startsWith('-l'));
  execFileSync(compiler, [...opts, src, ...libs, '-o', tmp], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  renameSync(tmp, out);
  return out;
}

/** Runs a command and returns stdout (throws on failure unless `allowFail`). */
export function run(cmd: string, args: readonly string[], opts: { allowFail?: boolean; cwd?: string } = {}): { stdout: string; stderr: string; status: number } {
  try {
    const stdout = execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 30, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    return { stdout, stderr: '', status: 0 };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; status?: number };
    if (opts.allowFail !== true) throw e;
    return { stdout: err.stdout ?? '', stderr: err.stderr ?? '', status: err.status ?? -1 };
  }
}

/** True when `cmd` is on PATH. */
export function have(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
