/**
 * Findings on disk: every input that ever broke the contract is kept as
 * test/fixtures/malformed/<target>/<hash>.bin with a <hash>.txt saying what failed, and
 * test/fuzz/malformed.test.ts replays them all.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Finding } from './engine.js';
import { isTarget, type Target } from './oracle.js';

/** Saves a finding; returns the path of the input, or null when that input was already kept. */
export function saveFinding(dir: string, f: Finding, how: string): string | null {
  const sub = join(dir, f.target);
  mkdirSync(sub, { recursive: true });
  const bin = join(sub, `${f.hash}.bin`);
  if (existsSync(bin)) return null;
  writeFileSync(bin, f.input);
  const stack = f.stack === undefined ? '' : `stack:\n${f.stack.split('\n').slice(0, 12).map((l) => `  ${l.trim()}`).join('\n')}\n`;
  const text = [
    `target: ${f.target}`,
    `kind: ${f.kind}`,
    `where: ${f.where}`,
    `limits: ${f.limits}`,
    `message: ${f.message}`,
    ...(f.ms === undefined ? [] : [`time: ${Math.round(f.ms)} ms`]),
    `origin: ${f.origin}`,
    `found by: ${how}`,
    `status: open (the replay test fails until it is fixed)`,
  ].join('\n');
  writeFileSync(join(sub, `${f.hash}.txt`), `${text}\n${stack}`);
  return bin;
}

export interface SavedInput {
  readonly target: Target;
  /** The limits it failed under (replay under the same). */
  readonly limits: 'default' | 'tight';
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly description: string;
}

/** Every kept input, by target. */
export function savedInputs(dir: string): SavedInput[] {
  const out: SavedInput[] = [];
  if (!existsSync(dir)) return out;
  for (const target of readdirSync(dir).sort()) {
    if (!isTarget(target)) continue;
    for (const f of readdirSync(join(dir, target)).sort()) {
      if (!f.endsWith('.bin')) continue;
      const txt = join(dir, target, f.replace(/\.bin$/, '.txt'));
      const description = existsSync(txt) ? readFileSync(txt, 'utf8') : '';
      out.push({
        target,
        limits: /^limits: tight$/m.test(description) ? 'tight' : 'default',
        name: `${target}/${f}`,
        bytes: new Uint8Array(readFileSync(join(dir, target, f))),
        description,
      });
    }
  }
  return out;
}
