/**
 * Where the fuzzer starts: real files of every kind the scan reads.
 * - elf: the cross-architecture and toolchain fixtures (9 architectures, executables, shared
 *   libraries, objects, static and static-pie, Go, Rust, musl), fuzz/seeds/elf (compressed
 *   debug sections), and optionally a few system binaries, small and large;
 * - archive: the fixtures' static archives, fuzz/seeds/archive (long names, thin, empty), and
 *   optionally small system archives;
 * - deb, rpm, tar: fuzz/seeds/{deb,rpm,tar}, built by fuzz/make-seeds.sh (every compression,
 *   gnu/pax/ustar tar, cpio, single compressed files).
 */
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { type Seed } from './engine.js';
import { type Target } from './oracle.js';

/** Largest seed taken: each execution pays for the whole input. */
const MAX_SEED = 2 * 1024 * 1024;

const SYSTEM_ELF = [
  '/usr/bin/true',
  '/usr/bin/ls',
  '/lib64/ld-linux-x86-64.so.2',
  '/usr/lib/x86_64-linux-gnu/libz.so.1',
  '/usr/lib/x86_64-linux-gnu/libc.so.6',
  '/usr/lib/x86_64-linux-gnu/libstdc++.so.6',
];
const SYSTEM_ARCHIVES = ['/usr/lib/x86_64-linux-gnu/libc_nonshared.a', '/usr/lib/x86_64-linux-gnu/libmcheck.a', '/usr/lib/x86_64-linux-gnu/libBrokenLocale.a'];

function* files(dir: string): Generator<string> {
  if (!existsSync(dir)) return;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* files(p);
    else if (e.isFile()) yield p;
  }
}

function isElf(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0x7f && b[1] === 0x45 && b[2] === 0x4c && b[3] === 0x46;
}

function isAr(b: Uint8Array): boolean {
  return b.length >= 8 && String.fromCharCode(...b.subarray(0, 8)) === '!<arch>\n';
}

function read(path: string): Uint8Array | null {
  try {
    const real = realpathSync(path);
    if (statSync(real).size > MAX_SEED) return null;
    return new Uint8Array(readFileSync(real));
  } catch {
    return null;
  }
}

export interface SeedOptions {
  /** Repository root. */
  readonly root: string;
  /** Add system binaries and archives from /usr (not in CI: they differ between machines). */
  readonly system: boolean;
}

export function loadSeeds(targets: readonly Target[], opts: SeedOptions): Seed[] {
  const out: Seed[] = [];
  const add = (target: Target, path: string, bytes: Uint8Array): void => {
    out.push({ target, name: path.startsWith('/') && !path.startsWith(opts.root) ? path : relative(opts.root, path), bytes });
  };
  const fixtures = [join(opts.root, 'test/fixtures/cross'), join(opts.root, 'test/fixtures/toolchains')];
  for (const target of targets) {
    switch (target) {
      case 'elf':
      case 'archive': {
        const want = target === 'elf' ? isElf : isAr;
        for (const dir of [...fixtures, join(opts.root, 'fuzz/seeds', target)]) {
          for (const p of files(dir)) {
            // The *.so next to objects are the linker oracle's outputs: one of each kind is enough.
            if (/\.[0-9a-f]{16}\.(so|link\.json)$/.test(p) || p.endsWith('.json') || p.endsWith('.c')) continue;
            const b = read(p);
            if (b !== null && (want(b) || (target === 'archive' && p.includes('fuzz/seeds/archive')))) add(target, p, b);
          }
        }
        if (opts.system) {
          for (const p of target === 'elf' ? SYSTEM_ELF : SYSTEM_ARCHIVES) {
            const b = read(p);
            if (b !== null) add(target, p, b);
          }
        }
        break;
      }
      case 'deb':
      case 'rpm':
      case 'tar':
        for (const p of files(join(opts.root, 'fuzz/seeds', target))) {
          const b = read(p);
          if (b !== null && b.length > 0) add(target, p, b);
        }
        break;
    }
  }
  return out;
}
