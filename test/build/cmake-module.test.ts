/**
 * Hardening.cmake: its flag sets equal those of src/flags/profiles.ts (the module computes
 * them in CMake so that configuring needs no Node), it stops with a clear error when the
 * compiler rejects a flag, it works in a cmake_minimum_required(VERSION 3.10)-style project,
 * and `harden cmake` prints and installs it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { profileFlags, type CompilerFamily, type ProfileName } from '../../src/flags/index.js';

const MODULE = fileURLToPath(new URL('../../cmake/Hardening.cmake', import.meta.url));
const HARDEN = fileURLToPath(new URL('../../bin/harden', import.meta.url));
const DIST_CMAKE = fileURLToPath(new URL('../../dist/src/cli/cmake-command.js', import.meta.url));

const hasCMake = spawnSync('cmake', ['--version'], { stdio: 'ignore' }).status === 0;
const hasNinja = spawnSync('ninja', ['--version'], { stdio: 'ignore' }).status === 0;
const hasDpkgBuildflags = spawnSync('dpkg-buildflags', ['--version'], { stdio: 'ignore' }).status === 0;
if (!hasCMake) console.log('skipping the CMake module tests: cmake is not installed');

const PROFILES: readonly ProfileName[] = ['debian', 'debian-defaults', 'kurento', 'openssf'];
const ARCHES = ['amd64', 'arm64', 'armhf', 'armel', 'i386', 'x32', 'ppc64el', 's390x', 'riscv64', 'ia64', 'hppa', 'alpha', 'mips64el'];
const COMPILERS: readonly (readonly [CompilerFamily, string])[] = [
  ['gcc', ''],
  ['gcc', '7.5'],
  ['gcc', '8.3'],
  ['gcc', '11.4'],
  ['gcc', '12.2.0'],
  ['gcc', '13.1'],
  ['clang', ''],
  ['clang', '6.0'],
  ['clang', '10.0'],
  ['clang', '14.0.6'],
  ['clang', '16.0.0'],
];

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'harden-cmake-'));
});
afterAll(() => {
  if (root !== undefined) rmSync(root, { recursive: true, force: true });
});

describe.skipIf(!hasCMake)('Hardening.cmake flag sets', () => {
  it('equal the TypeScript profiles for every profile, architecture and compiler version', () => {
    const cases = PROFILES.flatMap((p) => ARCHES.flatMap((a) => COMPILERS.map(([f, v]) => [p, a, f, v] as const)));
    // One cmake -P run prints every case: one line per case, lists joined by spaces.
    const script = join(root, 'flags.cmake');
    const lines = [`include("${MODULE}")`];
    for (const [p, a, f, v] of cases) {
      lines.push(
        `hardening_profile_flags("${p}" "${a}" "${f}" "${v}" R)`,
        `string(REPLACE ";" " " cpp "\${R_CPP}")`,
        `string(REPLACE ";" " " c "\${R_C}")`,
        `string(REPLACE ";" " " ld "\${R_LD}")`,
        `string(REPLACE ";" " " ldnm "\${R_LD_NOT_MODULES}")`,
        `message(NOTICE "${p} ${a} ${f} ${v}|\${cpp}|\${c}|\${ld}|\${ldnm}|\${R_PIE}")`,
      );
    }
    writeFileSync(script, lines.join('\n') + '\n');
    const r = spawnSync('cmake', ['-P', script], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const fromCMake = r.stderr.trim().split('\n');
    const fromTs = cases.map(([p, a, f, v]) => {
      const pf = profileFlags(p, { arch: a, compiler: v === '' ? { family: f } : { family: f, version: v } });
      return `${p} ${a} ${f} ${v}|${pf.cpp.join(' ')}|${pf.c.join(' ')}|${pf.ld.join(' ')}|${pf.ldNotModules.join(' ')}|${pf.pie ? 'ON' : 'OFF'}`;
    });
    expect(fromCMake).toEqual(fromTs);
    expect(fromTs.length).toBe(PROFILES.length * ARCHES.length * COMPILERS.length);
  });
});

/** A one-file C project that includes the module. */
function project(name: string, minimum: string, extra: string): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'main.c'), '#include <stdio.h>\nint main(void) { char b[16]; snprintf(b, sizeof b, "%d", 1); puts(b); return 0; }\n');
  writeFileSync(
    join(dir, 'CMakeLists.txt'),
    [
      `cmake_minimum_required(VERSION ${minimum})`,
      'project(p C)',
      extra,
      `include("${MODULE}")`,
      'add_executable(app main.c)',
      '',
    ].join('\n'),
  );
  return dir;
}

function configure(src: string, defines: readonly string[] = []): { status: number | null; output: string; build: string } {
  const build = join(src, 'build');
  mkdirSync(build, { recursive: true });
  const generator = hasNinja ? ['-G', 'Ninja'] : [];
  const r = spawnSync('cmake', [...generator, ...defines, src], { cwd: build, encoding: 'utf8' });
  return { status: r.status, output: r.stdout + r.stderr, build };
}

describe.skipIf(!hasCMake)('Hardening.cmake in a project', () => {
  it('stops at configure time, naming the flag, when the compiler rejects one', () => {
    // arm64's branch protection flag on this machine's compiler, which is not for arm64.
    const machine = execFileSync('gcc', ['-dumpmachine'], { encoding: 'utf8' }).trim();
    const arch = machine.startsWith('aarch64') ? 'amd64' : 'arm64';
    const flag = arch === 'arm64' ? '-mbranch-protection=standard' : '-fcf-protection';
    const r = configure(project('rejects', '3.16', ''), [`-DHARDENING_ARCH=${arch}`]);
    expect(r.status).not.toBe(0);
    expect(r.output.replace(/\s+/g, ' ')).toContain(`Hardening: the C compiler (GNU `);
    expect(r.output.replace(/\s+/g, ' ')).toContain(`rejects ${flag}, a flag of the 'debian' profile.`);
  });

  it('links executables with -pie in a cmake_minimum_required(VERSION 3.10) project (CMP0083 unset)', () => {
    const r = configure(project('old-policy', '3.10', ''));
    expect(r.status).toBe(0);
    expect(r.output).toContain('PIE: link option (policy CMP0083 is not NEW)');
    if (hasNinja) {
      execFileSync('ninja', [], { cwd: r.build, stdio: 'pipe' });
      const header = execFileSync('readelf', ['-h', join(r.build, 'app')], { encoding: 'utf8' });
      expect(header).toMatch(/Type:\s+DYN \(Position-Independent Executable file\)/);
      const commands = execFileSync('ninja', ['-t', 'commands', 'app'], { cwd: r.build, encoding: 'utf8' });
      const link = commands.trim().split('\n').pop() ?? '';
      expect(link).toMatch(/ -pie /);
      expect(link).toMatch(/-Wl,-z,relro -Wl,-z,now/);
    }
  });

  it('uses check_pie_supported() when the project has CMP0083 NEW', () => {
    const r = configure(project('new-policy', '3.16', ''));
    expect(r.status).toBe(0);
    expect(r.output).toContain('PIE: check_pie_supported');
  });

  it.skipIf(!hasDpkgBuildflags)('keeps the user\'s DEB_BUILD_OPTIONS: dpkg-buildflags sees noopt and hardening=+all', () => {
    const src = project('dpkg', '3.16', 'set(HARDENING_USE_DPKG_BUILDFLAGS ON)');
    const build = join(src, 'build');
    mkdirSync(build, { recursive: true });
    const r = spawnSync('cmake', ['-DHARDENING_CHECK_FLAGS=OFF', src], {
      cwd: build,
      encoding: 'utf8',
      env: { ...process.env, DEB_BUILD_OPTIONS: 'noopt', DEB_BUILD_MAINT_OPTIONS: 'hardening=-format' },
    });
    expect(r.status).toBe(0);
    const status = r.stdout.split('\n').find((l) => l.startsWith('-- Hardening: profile debian')) ?? '';
    // noopt: no fortify; +all: BIND_NOW; the maintainer's -format kept.
    expect(status).toContain('-Wl,-z,relro -Wl,-z,now');
    expect(status).toContain('-g -O0');
    expect(status).not.toContain('_FORTIFY_SOURCE');
    expect(status).not.toContain('-Werror=format-security');
  });
});

describe.skipIf(!existsSync(DIST_CMAKE))('harden cmake', () => {
  it('--print prints the module', () => {
    const out = execFileSync(HARDEN, ['cmake', '--print'], { encoding: 'utf8' });
    expect(out).toBe(readFileSync(MODULE, 'utf8'));
  });

  it('--install DIR copies it there', () => {
    const dir = join(root, 'installed', 'cmake');
    const out = execFileSync(HARDEN, ['cmake', '--install', dir], { encoding: 'utf8' });
    expect(out).toBe(`${join(dir, 'Hardening.cmake')}\n`);
    expect(readFileSync(join(dir, 'Hardening.cmake'), 'utf8')).toBe(readFileSync(MODULE, 'utf8'));
  });

  it('without an action exits 2', () => {
    expect(spawnSync(HARDEN, ['cmake'], { encoding: 'utf8' }).status).toBe(2);
  });
});
