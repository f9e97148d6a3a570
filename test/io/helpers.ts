import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A scratch directory removed after the test file; fixtures are built in it at test time. */
export function scratch(prefix: string): { dir: string; path(...p: string[]): string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), `hc-${prefix}-`));
  return { dir, path: (...p) => join(dir, ...p), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs a tool that builds or lists a fixture; returns its stdout. */
export function run(cmd: string, args: string[], cwd?: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
}

export function hasTool(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Writes a file tree: string values are file contents, `{ link }` values are symlinks. */
export function writeTree(root: string, tree: Record<string, string | Uint8Array | { link: string }>): void {
  for (const [rel, v] of Object.entries(tree)) {
    const p = join(root, rel);
    mkdirSync(dirname(p), { recursive: true });
    if (typeof v === 'object' && 'link' in v) symlinkSync(v.link, p);
    else writeFileSync(p, v);
  }
}

export const enc = new TextEncoder();
export const dec = new TextDecoder();
