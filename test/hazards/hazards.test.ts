/**
 * The failure contract against the file system's hazards, for both commands as users run them
 * (the built CLIs, as child processes): /proc, /sys and /dev, FIFOs, sockets, symbolic link
 * loops, unreadable files and directories, and files that shrink and grow while being read.
 *
 * For every case: the command ends by itself (the kill timeout is only a safety net: reaching
 * it fails the test), prints no stack trace, and exits as docs/failure-contract.md says —
 * harden scan 3 when something could not be analysed and nothing required failed (every case
 * runs with --profile none, so nothing is required), hardening-check 1 — with every file that
 * could not be analysed reported as a result in the machine-readable formats.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const HARDEN = join(REPO, 'bin/harden');
const HARDENING_CHECK = join(REPO, 'bin/hardening-check');
const ELF = join(REPO, 'test/fixtures/cross/x86-64/hardened');
const BIG_ELF = join(REPO, 'test/fixtures/cross/x86-64/static');
/** Safety net only: a command still running after this long has hung, and the test fails. */
const KILL_AFTER_MS = 120_000;

interface Ran {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly out: string;
  readonly err: string;
  readonly hung: boolean;
}

/** Runs a command without blocking the test's event loop (a socket server lives in it). */
function run(cmd: string, args: readonly string[], opts: { cwd?: string; prefix?: readonly string[] } = {}): Promise<Ran> {
  const argv = [...(opts.prefix ?? []), cmd, ...args];
  return new Promise((done) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd: opts.cwd ?? REPO, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    let err = '';
    let hung = false;
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, KILL_AFTER_MS);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      done({ status, signal, out, err, hung });
    });
  });
}

const scan = (args: readonly string[], opts?: { cwd?: string; prefix?: readonly string[] }): Promise<Ran> =>
  run(HARDEN, ['scan', '--no-config', '--profile', 'none', '--no-progress', ...args], opts);
const check = (args: readonly string[], opts?: { cwd?: string; prefix?: readonly string[] }): Promise<Ran> => run(HARDENING_CHECK, args, opts);

/** Ended by itself, no crash, no stack trace. */
function sane(r: Ran): void {
  expect(r.hung, `hung: ${r.err}`).toBe(false);
  expect(r.signal).toBeNull();
  expect(r.err).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  expect(r.err).not.toMatch(/(TypeError|RangeError|ReferenceError|internal error|FATAL ERROR|heap out of memory)/);
}

interface Row {
  path: string;
  kind: string;
  verdict: string;
  error?: string;
  note?: string;
}

function rows(jsonl: string): Row[] {
  return jsonl
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Row);
}

let dir: string;
let socket: Server | null = null;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'harden-hazards-'));
  chmodSync(dir, 0o755);
  // A walked directory with one of each hazard next to a good file.
  const walk = join(dir, 'walk');
  mkdirSync(walk);
  copyFileSync(ELF, join(walk, 'good'));
  spawnSync('mkfifo', [join(walk, 'fifo')]);
  symlinkSync('loop-b', join(walk, 'loop-a'));
  symlinkSync('loop-a', join(walk, 'loop-b'));
  symlinkSync('..', join(walk, 'parent'));
  symlinkSync('/dev/zero', join(walk, 'zero-link'));
  socket = await new Promise<Server>((ok) => {
    const s = createServer();
    s.listen(join(walk, 'socket'), () => ok(s));
  });
  // Unreadable (for a user other than root: the commands run as nobody for these).
  const locked = join(dir, 'locked');
  mkdirSync(locked);
  copyFileSync(ELF, join(locked, 'file'));
  chmodSync(join(locked, 'file'), 0);
  mkdirSync(join(locked, 'dir'));
  copyFileSync(ELF, join(locked, 'dir', 'inside'));
  chmodSync(join(locked, 'dir'), 0);
});

afterAll(() => {
  socket?.close();
  if (dir !== undefined) {
    spawnSync('chmod', ['-R', 'u+rwx', dir]);
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('special files named explicitly are reported, never opened', () => {
  const specials = (): string[] => ['/dev/zero', '/dev/null', '/dev/stdin', '/dev/tty', '/dev/random', join(dir, 'walk/fifo'), join(dir, 'walk/socket')];

  it('harden scan: an error row each, exit 3, in json, jsonl, sarif, junit and csv', async () => {
    const r = await scan(['--format', 'jsonl', ...specials()]);
    sane(r);
    expect(r.status).toBe(3);
    const got = rows(r.out);
    expect(got.map((x) => x.path).sort()).toEqual(specials().sort());
    for (const x of got) expect(x).toMatchObject({ kind: 'special', verdict: 'error', error: expect.stringMatching(/not opened/) });

    const json = await scan(['--format', 'json', ...specials()]);
    sane(json);
    expect(json.status).toBe(3);
    const doc = JSON.parse(json.out) as { files: Row[]; summary: { verdicts: { error: number } } };
    expect(doc.files.filter((f) => f.verdict === 'error')).toHaveLength(specials().length);
    expect(doc.summary.verdicts.error).toBe(specials().length);

    const sarif = await scan(['--format', 'sarif', ...specials()]);
    sane(sarif);
    expect(sarif.status).toBe(3);
    const log = JSON.parse(sarif.out) as { runs: { results: unknown[]; invocations: { exitCode: number; toolExecutionNotifications: { level: string; message: { text: string } }[] }[] }[] };
    const notes = log.runs[0]!.invocations[0]!.toolExecutionNotifications;
    expect(log.runs[0]!.invocations[0]!.exitCode).toBe(3);
    for (const p of specials()) expect(notes.some((n) => n.level === 'error' && n.message.text.startsWith(`${p}: `))).toBe(true);

    const junit = await scan(['--format', 'junit', ...specials()]);
    sane(junit);
    expect(junit.out).toContain(`errors="${specials().length}"`);
    const csv = await scan(['--format', 'csv', ...specials()]);
    sane(csv);
    expect(csv.out.split('\n').filter((l) => /,special,,error,/.test(l))).toHaveLength(specials().length);
  });

  it('hardening-check: one line on stderr each, exit 1', async () => {
    const r = await check(specials());
    sane(r);
    expect(r.status).toBe(1);
    for (const p of specials()) expect(r.err).toContain(`'${p}' is not an ordinary file`);
  });
});

describe('a walked directory with a FIFO, a socket, link loops and a link to its parent', () => {
  it('harden scan: notes for what it skips, the good file analysed, no hang', async () => {
    const r = await scan(['--format', 'jsonl', join(dir, 'walk')]);
    sane(r);
    expect(r.status).toBe(0);
    const got = rows(r.out);
    const by = (name: string): Row | undefined => got.find((x) => x.path === join(dir, 'walk', name));
    expect(by('good')).toMatchObject({ kind: 'pie-executable', verdict: 'pass' });
    expect(by('fifo')).toMatchObject({ kind: 'special', verdict: 'skipped' });
    expect(by('socket')).toMatchObject({ kind: 'special', verdict: 'skipped' });
    expect(by('loop-a')?.kind).toBe('symlink');
    expect(by('parent')?.kind).toBe('symlink');
  });

  it('harden scan --follow: the link cycle and the loops end as errors, exit 3', async () => {
    const r = await scan(['--follow', '--format', 'jsonl', join(dir, 'walk')]);
    sane(r);
    expect(r.status).toBe(3);
    const got = rows(r.out);
    expect(got.find((x) => x.path === join(dir, 'walk/loop-a'))).toMatchObject({ verdict: 'error', error: expect.stringMatching(/symbolic links/) });
    expect(got.some((x) => x.verdict === 'error' && /cycle/.test(x.error ?? ''))).toBe(true);
    // Followed, the link to /dev/zero is a character device: not opened.
    expect(got.find((x) => x.path === join(dir, 'walk/zero-link'))?.kind).toBe('special');
  });

  it('a link loop named explicitly: harden scan exit 3, hardening-check exit 1', async () => {
    const a = join(dir, 'walk/loop-a');
    const r = await scan(['--format', 'jsonl', a]);
    sane(r);
    expect(r.status).toBe(3);
    expect(rows(r.out)).toEqual([expect.objectContaining({ path: a, verdict: 'error' })]);
    const c = await check([a, ELF]);
    sane(c);
    expect(c.status).toBe(1);
    expect(c.err).toContain(a);
    expect(c.out).toContain(`${ELF}:`);
  });

  it('a FIFO named to hardening-check does not block it (no writer ever comes)', async () => {
    const c = await check([join(dir, 'walk/fifo'), ELF]);
    sane(c);
    expect(c.status).toBe(1);
    expect(c.out).toContain(`${ELF}:`);
  });
});

describe('/proc, /sys and /dev', () => {
  it('harden scan walks /proc/self and /proc/1 and ends, with unreadable entries as error rows', async () => {
    const r = await scan(['--format', 'jsonl', '/proc/self', '/proc/1']);
    sane(r);
    expect([0, 3]).toContain(r.status);
    for (const x of rows(r.out)) if (x.verdict === 'error') expect(x.error).toBeTruthy();
  });

  it('harden scan walks /sys/kernel and /dev and ends without opening a device', async () => {
    const r = await scan(['--format', 'jsonl', '/sys/kernel', '/dev']);
    sane(r);
    expect([0, 3]).toContain(r.status);
    // Devices are listed, never opened (/dev/shm and /dev/mqueue hold ordinary files).
    for (const x of rows(r.out)) if (/^\/dev\/(?!shm\/|mqueue\/)/.test(x.path) && x.kind !== 'symlink' && x.kind !== 'unreadable') expect(x.kind).toBe('special');
  });

  it('files of /proc that fail or block on read are errors, not hangs', async () => {
    // mem fails with EIO at offset 0; kmsg blocks a reader until the kernel logs something.
    const paths = ['/proc/self/mem', '/proc/kmsg', '/proc/self/pagemap', '/proc/self/status'].filter((p) => existsSync(p));
    const r = await scan(['--format', 'jsonl', ...paths]);
    sane(r);
    expect(r.status).toBe(3);
    expect(rows(r.out).map((x) => x.path)).toEqual(paths);
    const c = await check(paths);
    sane(c);
    expect(c.status).toBe(1);
  });

  it('hardening-check on /proc/self/exe (a running binary) and on directories', async () => {
    const c = await check(['/proc/self/exe', '/proc/self', '/dev']);
    sane(c);
    expect(c.status).toBe(1);
    expect(c.err).toContain("'/dev' is not an ordinary file");
  });
});

describe('unreadable files and directories', () => {
  // As root, mode 000 does not stop a read: run the commands as nobody when possible.
  const setpriv = spawnSync('setpriv', ['--version']).status === 0 && process.getuid?.() === 0;
  const asNobody = setpriv ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : [];
  const root = process.getuid?.() === 0;

  it.skipIf(root && !setpriv)('harden scan: permission denied rows, exit 3', async () => {
    const r = await scan(['--format', 'jsonl', join(dir, 'locked')], { prefix: asNobody });
    sane(r);
    expect(r.status).toBe(3);
    const got = rows(r.out);
    expect(got.find((x) => x.path === join(dir, 'locked/file'))).toMatchObject({ verdict: 'error', error: 'permission denied' });
    expect(got.find((x) => x.path === join(dir, 'locked/dir'))).toMatchObject({ verdict: 'error', error: 'permission denied' });
  });

  it.skipIf(root && !setpriv)('hardening-check: Permission denied, exit 1, the other file still checked', async () => {
    const c = await check([join(dir, 'locked/file'), join(dir, 'locked/dir/inside'), ELF], { prefix: asNobody });
    sane(c);
    expect(c.status).toBe(1);
    expect(c.err).toContain('Permission denied');
    expect(c.out).toContain(`${ELF}:`);
  });
});

describe('files that change while they are read', () => {
  /**
   * A shell loop rewrites the file in place (same inode, so an open descriptor sees it) while
   * the commands read it: whole, cut to 1000 bytes, grown again with zeros (a sparse tail).
   */
  function churn(path: string, from: string, big: string): () => void {
    const child = spawn('sh', ['-c', `while :; do cp "${from}" "${path}"; truncate -s 1000 "${path}"; truncate -s ${big} "${path}"; done`], { stdio: 'ignore' });
    return () => child.kill('SIGKILL');
  }

  it('a file that shrinks and grows during the scan: every run ends with a result or an error row', async () => {
    const path = join(dir, 'churn');
    copyFileSync(BIG_ELF, path);
    const stop = churn(path, BIG_ELF, '300000');
    try {
      for (let i = 0; i < 6; i++) {
        const r = await scan(['--format', 'jsonl', path]);
        sane(r);
        expect([0, 3]).toContain(r.status);
        const got = rows(r.out);
        expect(got).toHaveLength(1);
        if (r.status === 3) expect(got[0]!.error).toBeTruthy();
        const c = await check([path]);
        sane(c);
        expect([0, 1]).toContain(c.status);
      }
    } finally {
      stop();
    }
  });

  it('a big sparse file truncated in the middle of the scan', async () => {
    const path = join(dir, 'sparse');
    copyFileSync(BIG_ELF, path);
    truncateSync(path, 4 * 2 ** 30);
    const stop = churn(path, BIG_ELF, String(4 * 2 ** 30));
    try {
      for (let i = 0; i < 4; i++) {
        const r = await scan(['--format', 'jsonl', path, ELF]);
        sane(r);
        expect([0, 3]).toContain(r.status);
        expect(rows(r.out).map((x) => x.path)).toEqual([path, ELF]);
        const c = await check([path, ELF]);
        sane(c);
        expect([0, 1]).toContain(c.status);
        expect(c.out).toContain(`${ELF}:`);
      }
    } finally {
      stop();
    }
  });

  it('a file replaced by a FIFO: the scan does not block on it', async () => {
    // The walk sees a regular file; a FIFO takes its place before it is opened (a race the
    // open must survive): emulate the worst case by naming a FIFO that was a file a moment ago.
    const path = join(dir, 'swapped');
    copyFileSync(ELF, path);
    rmSync(path);
    spawnSync('mkfifo', [path]);
    const r = await scan(['--format', 'jsonl', path]);
    sane(r);
    expect(r.status).toBe(3);
    const c = await check([path]);
    sane(c);
    expect(c.status).toBe(1);
    expect(readFileSync(ELF).length).toBeGreaterThan(0);
  });
});

describe('one bad file never stops or spoils the scan of the others', () => {
  it('good files between every kept malformed input and truncated copies: all good rows intact', async () => {
    const mixed = join(dir, 'mixed');
    mkdirSync(mixed);
    const bad: string[] = [];
    const malformed = join(REPO, 'test/fixtures/malformed');
    for (const target of existsSync(malformed) ? readdirSync(malformed) : []) {
      for (const f of readdirSync(join(malformed, target))) if (f.endsWith('.bin')) bad.push(join(malformed, target, f));
    }
    const elf = readFileSync(ELF);
    for (let cut = 0; cut < elf.length; cut += 997) {
      const p = join(mixed, `cut-${cut}`);
      writeFileSync(p, elf.subarray(0, cut));
      bad.push(p);
    }
    const good: string[] = [];
    const list: string[] = [];
    bad.forEach((b, i) => {
      const g = join(mixed, `good-${i}`);
      copyFileSync(ELF, g);
      good.push(g);
      list.push(g, b);
    });
    const listFile = join(dir, 'mixed.list');
    writeFileSync(listFile, `${list.join('\n')}\n`);
    const r = await scan(['--format', 'jsonl', '--files-from', listFile]);
    sane(r);
    expect(r.status).toBe(3);
    const got = rows(r.out);
    for (const g of good) expect(got.find((x) => x.path === g), g).toMatchObject({ kind: 'pie-executable', verdict: 'pass' });
    // Every bad input has its rows too, in the order given.
    for (const b of bad) expect(got.some((x) => x.path === b || x.path.startsWith(`${b}!`)), b).toBe(true);
    expect(got.filter((x) => x.verdict === 'error').length).toBeGreaterThan(bad.length / 2);

    const c = await check(list);
    sane(c);
    expect(c.status).toBe(1);
    for (const g of good) expect(c.out).toContain(`${g}:\n Position Independent Executable: yes`);
  });
});
