/**
 * `harden scan` as users run it (the built CLI): exit statuses, usage errors, the config file
 * found upward, output to a file or a closed pipe, colour, and the worker pipeline giving the
 * same rows in the same order as the in-process one.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildTree, type Tree } from './fixtures.js';
import { harden, HARDEN } from './harness.js';

let T: Tree;

beforeAll(() => {
  T = buildTree();
});

interface Row {
  path: string;
  verdict: string;
  failed: string[];
  checks: Record<string, { status: string; waiver?: string }>;
}

function jsonl(out: string): Row[] {
  return out
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Row);
}

describe('exit status', () => {
  it('is 0 when every required check passed', () => {
    const r = harden(['scan', T.hardened, T.lazy]);
    expect([r.status, r.err]).toEqual([0, '']);
    expect(r.out.split('\n').at(-2)).toBe('2 files: 2 ok, 0 failed, 0 not analysed, 0 skipped');
  });

  it('is 1 when a required check failed', () => {
    expect(harden(['scan', T.root]).status).toBe(1);
    expect(harden(['scan', '--profile', 'kurento', T.lazy]).status).toBe(1);
  });

  it('follows --require and --ignore (comma-separated, repeatable)', () => {
    expect(harden(['scan', '--require', 'bindnow', T.lazy]).status).toBe(1);
    expect(harden(['scan', '--ignore', 'pie,relro', '--ignore', 'stack-protector,fortify', T.weak]).status).toBe(0);
  });

  it('is 3 when a file could not be analysed and nothing required failed', () => {
    expect(harden(['scan', '--profile', 'none', T.root]).status).toBe(3);
    expect(harden(['scan', T.hardened, T.text]).status).toBe(3);
  });

  it('is 2 on a usage error, with the reason on stderr', () => {
    const cases: [string[], RegExp][] = [
      [['scan'], /nothing to scan/],
      [['scan', '--bogus', T.hardened], /unknown option '--bogus'/],
      [['scan', '--profile', 'fedora', T.hardened], /unknown profile 'fedora'/],
      [['scan', '--require', 'canary', T.hardened], /unknown check 'canary'/],
      [['scan', '--format', 'xml', T.hardened], /argument 'xml' is invalid/],
      [['scan', '--jobs', '0', T.hardened], /--jobs must be a positive integer/],
      [['scan', '--unknown-is', 'maybe', T.hardened], /--unknown-is must be warn or fail/],
      [['scan', '--files-from', '/nonexistent/list'], /--files-from \/nonexistent\/list: no such file/],
      [['scan', '--config', '/nonexistent/harden.config.json', T.hardened], /\/nonexistent\/harden\.config\.json: no such file/],
      [['scan', '--output', '/nonexistent/dir/out.json', T.hardened], /cannot write \/nonexistent\/dir\/out\.json/],
    ];
    for (const [args, message] of cases) {
      const r = harden(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toMatch(message);
      expect(r.out, args.join(' ')).toBe('');
    }
  });

  it('is 0 for --help, which documents the exit statuses and profiles', () => {
    const r = harden(['scan', '--help']);
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/Exit status: 0 every required check passed; 1 a required check failed; 2 usage error;\n3 a file could not be analysed/);
    expect(r.out).toMatch(/^ {2}kurento {2}/m);
  });

  it('appears in harden --help', () => {
    expect(harden(['--help']).out).toMatch(/^ {2}scan {5}check the hardening of ELF files/m);
  });
});

describe('the config file', () => {
  function project(config: unknown): string {
    const dir = mkdtempSync(join(tmpdir(), 'harden-proj-'));
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'harden.config.json'), JSON.stringify(config));
    return dir;
  }

  it('is found above the working directory; its waivers and requirements apply, and the reason is reported', () => {
    const dir = project({
      profile: 'kurento',
      ignore: ['bindnow'],
      waivers: [{ path: '/**/bin/weak', checks: ['pie', 'relro', 'stack-protector', 'fortify'], reason: 'test program, never installed' }],
    });
    const r = harden(['scan', '-f', 'jsonl', T.weak, T.lazy], { cwd: join(dir, 'sub') });
    expect(r.status).toBe(0);
    const [weak, lazy] = jsonl(r.out);
    expect(weak?.verdict).toBe('pass');
    expect(weak?.checks['pie']).toMatchObject({ status: 'fail', waiver: 'test program, never installed' });
    expect(lazy?.verdict).toBe('pass');
  });

  it('is ignored with --no-config; a bad one is a usage error naming the problem', () => {
    const dir = project({ waivers: [{ path: '/**/weak', checks: ['*'], reason: 'r' }] });
    expect(harden(['scan', T.weak], { cwd: dir }).status).toBe(0);
    expect(harden(['scan', '--no-config', T.weak], { cwd: dir }).status).toBe(1);
    const bad = project({ profile: 'debian', waivers: [{ path: 'x', checks: ['pie'] }] });
    const r = harden(['scan', T.hardened], { cwd: bad });
    expect(r.status).toBe(2);
    expect(r.err).toBe(`harden scan: ${join(bad, 'harden.config.json')}: invalid configuration:\n  waivers/0: must have required property 'reason'\n`);
  });
});

describe('output', () => {
  it('defaults to text when standard output is not a terminal, without colour', () => {
    const r = harden(['scan', T.weak]);
    expect(r.out.startsWith(`${T.weak} (executable, x86-64): FAIL (required: pie, relro, stack-protector, fortify)\n`)).toBe(true);
    expect(r.out).not.toMatch(/\x1b\[/);
  });

  it('colours with --color, and never with --no-color', () => {
    expect(harden(['scan', '--color', '-f', 'table', T.weak]).out).toMatch(/\x1b\[31m/);
    expect(harden(['scan', '--no-color', '-f', 'table', T.weak]).out).not.toMatch(/\x1b\[/);
  });

  it('writes to --output instead of standard output, the same bytes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'harden-out-'));
    const file = join(dir, 'report.jsonl');
    const r = harden(['scan', '-f', 'jsonl', '--output', file, T.root]);
    expect([r.status, r.out, r.err]).toEqual([1, '', '']);
    expect(readFileSync(file, 'utf8')).toBe(harden(['scan', '-f', 'jsonl', T.root]).out);
  });

  it('stops quietly when the reader closes the pipe', () => {
    const list = Array.from({ length: 2000 }, () => T.hardened).join('\n');
    const dir = mkdtempSync(join(tmpdir(), 'harden-pipe-'));
    writeFileSync(join(dir, 'list'), list);
    const piped = spawnShell(`"${HARDEN}" scan -f jsonl --files-from "${join(dir, 'list')}" | head -n 1`);
    expect(piped.err).toBe('');
    expect(JSON.parse(piped.out) as Row).toMatchObject({ path: T.hardened, verdict: 'pass' });
  });
});

describe('worker threads', () => {
  it('give the same rows in the same order as one thread, on a scan of many batches', () => {
    // 1,500 targets make several batches, so -j 2 really runs on two workers.
    const names = [T.hardened, T.weak, T.archive, T.text, T.lazy, T.broken];
    const list = Array.from({ length: 250 }, () => names).flat().join('\n');
    const one = harden(['scan', '-f', 'jsonl', '-j', '1', '--files-from', '-'], { input: list });
    const two = harden(['scan', '-f', 'jsonl', '-j', '2', '--files-from', '-'], { input: list });
    expect(one.status).toBe(1);
    expect(two.status).toBe(1);
    expect(two.out).toBe(one.out);
    const rows = jsonl(one.out);
    // hardened, weak, 2 members, notes.txt, lazy, broken archive row + 2 members: 9 rows a round.
    expect(rows).toHaveLength(250 * 9);
    expect(rows.slice(0, 9).map((r) => [r.path.replace(`${T.root}/`, ''), r.verdict])).toEqual([
      ['bin/hardened', 'pass'],
      ['bin/weak', 'fail'],
      ['lib/libpair.a!pair_a.o', 'pass'],
      ['lib/libpair.a!pair_b.o', 'fail'],
      ['bin/notes.txt', 'error'],
      ['bin/lazy', 'pass'],
      ['lib/libbroken.a', 'error'],
      ['lib/libbroken.a!pair_a.o', 'pass'],
      ['lib/libbroken.a!pair_b.o', 'fail'],
    ]);
  });
});

function spawnShell(script: string): { out: string; err: string } {
  const r = spawnSync('sh', ['-c', script], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '' } });
  return { out: r.stdout, err: r.stderr };
}
