/**
 * --pid on real processes: a `sleep` (its executable and libc), and a program whose shared
 * library is deleted while it runs, which must still be scanned through /proc/PID/map_files.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, readlinkSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pidTargets } from '../../src/scan/pid-targets.js';
import { gcc } from '../helpers/gcc.js';
import { scanInProcess } from './harness.js';

const children: ChildProcess[] = [];

/** Starts `cmd` and resolves once /proc/PID/maps mentions `mapped` (the process is ready). */
async function start(cmd: string, args: string[], mapped: string): Promise<number> {
  const child = spawn(cmd, args, { stdio: 'ignore' });
  children.push(child);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${cmd}`);
  for (let i = 0; i < 500; i++) {
    try {
      if (readFileSync(`/proc/${pid}/maps`, 'utf8').includes(mapped)) return pid;
    } catch {
      // not there yet
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${cmd} never mapped ${mapped}`);
}

let sleepPid = 0;
let appPid = 0;
let lib = '';

beforeAll(async () => {
  sleepPid = await start('sleep', ['60'], 'libc.so');
  const dir = mkdtempSync(join(tmpdir(), 'harden-pid-'));
  lib = join(dir, 'libgone.so');
  copyFileSync(gcc('int gone(int x) { return x + 1; }\n', ['-shared', '-fPIC', '-O2'], 'libgone.so'), lib);
  const app = join(dir, 'app');
  const source = '#include <unistd.h>\nint gone(int);\nint main(void) { int r = gone(1); for (;;) pause(); return r; }\n';
  copyFileSync(gcc(source, ['-O2', `-L${dir}`, `-Wl,-rpath,${dir}`, '-lgone'], 'app'), app);
  appPid = await start(app, [], 'libgone.so');
  unlinkSync(lib);
});

afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
});

describe('pidTargets', () => {
  it('starts with the executable, read through /proc/PID/exe, then the mapped files', () => {
    const targets = pidTargets(sleepPid);
    const exe = readlinkSync(`/proc/${sleepPid}/exe`);
    expect(targets[0]).toMatchObject({ kind: 'file', path: exe, open: `/proc/${sleepPid}/exe`, explicit: true });
    expect(targets.filter((t) => t.path === exe)).toHaveLength(1);
    expect(targets.some((t) => t.kind === 'file' && /\/libc\.so\.6$/.test(t.path) && !t.explicit)).toBe(true);
  });

  it('reads a deleted library through map_files and names it as the kernel does', () => {
    const gone = pidTargets(appPid).find((t) => t.path === `${lib} (deleted)`);
    expect(gone).toMatchObject({ kind: 'file', explicit: false });
    expect(gone?.kind === 'file' ? gone.open : '').toMatch(new RegExp(`^/proc/${appPid}/map_files/[0-9a-f]+-[0-9a-f]+$`));
  });

  it('reports a process that does not exist', () => {
    expect(pidTargets(2 ** 30)).toEqual([{ kind: 'error', path: `pid ${2 ** 30}: /proc/${2 ** 30}/exe`, message: 'no such process', explicit: true }]);
  });
});

describe('scanning a process', () => {
  it('analyses the executable and its ELF mappings and skips mapped non-ELF files', async () => {
    const { files } = await scanInProcess({ pids: [sleepPid] });
    const exe = readlinkSync(`/proc/${sleepPid}/exe`);
    expect(files[0]?.path).toBe(exe);
    expect(files[0]?.kind).toBe('pie-executable');
    expect(files.every((f) => f.kind !== 'not-elf' && f.error === undefined)).toBe(true);
    expect(files.some((f) => /\/libc\.so\.6$/.test(f.path) && f.kind === 'runnable-shared-library')).toBe(true);
  });

  it('analyses the deleted library from the running image', async () => {
    const { files } = await scanInProcess({ pids: [appPid] });
    const gone = files.filter((f) => f.path === `${lib} (deleted)`);
    expect(gone.map((f) => [f.path, f.kind, f.machine, f.error])).toEqual([[`${lib} (deleted)`, 'shared-library', 'x86-64', undefined]]);
    // Read from the mapping: the file's own dynamic section, not some other file's.
    expect(gone[0]?.checks.relro?.status).toBe('pass');
  });
});
