/**
 * Real packages built at test time from gcc-built fixtures (test/helpers/gcc.ts): one file tree,
 * packed as .deb (dpkg-deb, each compression), .rpm (rpmbuild, each payload compression) and
 * tarballs (tar + gzip/xz/zstd/bzip2). The tree:
 *
 *   usr/bin/hardened                PIE, full RELRO, fortified, stack protector
 *   usr/bin/lazy                    the same with lazy binding (no bindnow)
 *   usr/bin/weak                    -O0, no PIE, no RELRO, no protector, plain strcpy
 *   usr/bin/weak-again              a hard link to weak
 *   usr/bin/static                  a static executable
 *   usr/bin/link-to-hardened        a symbolic link (skipped in packages)
 *   usr/lib/x86_64-linux-gnu/libweak.so.1   a shared library: lazy binding, plain strcpy
 *   usr/lib/x86_64-linux-gnu/libmemchk.so.1 hardened, but its only checked call is memcpy's
 *                                           and read is called plain (lintian's fortify rule)
 *   usr/lib/x86_64-linux-gnu/libpair.a      pair_a.o (fortified), pair_b.o (plain strcpy)
 *   usr/share/doc/hc-test/README    text
 *   usr/share/man/man1/weak.1.gz    weak, gzipped: named like a man page, so never opened
 *   usr/share/hc-test/inner.tar.gz  a tarball holding bin/weak: a package inside the package
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { gcc } from '../helpers/gcc.js';
// The same program, archive members and flag sets as the scan tests' tree: the package tests
// compare a package's rows with those of its extracted files, built the same way.
import { HARDENED_FLAGS as HARDENED, LAZY_FLAGS as LAZY, MEMBER_A, MEMBER_B, PROGRAM, WEAK_FLAGS as WEAK } from '../scan/fixtures.js';

export { PROGRAM };

const LIBRARY = `#include <string.h>
void weak_copy(char *out, const char *in) { strcpy(out, in); }
`;
const MEMCHK = `#include <string.h>
#include <unistd.h>
int memchk_read(int fd, char *out, const char *in, size_t n) {
  char tmp[64];
  memcpy(tmp, in, n);
  out[0] = tmp[n / 2];
  return (int)read(fd, out, n);
}
`;

export const PACKAGE = 'hc-test';
export const VERSION = '1:2.3-4';
export const LIB = 'usr/lib/x86_64-linux-gnu';

/** A scratch directory with the tree under `root/`. */
export interface Work {
  readonly dir: string;
  readonly root: string;
  path(...p: string[]): string;
}

function sh(cmd: string, args: readonly string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 });
}

export function buildTree(): Work {
  const dir = mkdtempSync(join(tmpdir(), 'hc-packages-'));
  const root = join(dir, 'root');
  const at = (...p: string[]): string => join(root, ...p);
  for (const d of ['usr/bin', LIB, 'usr/share/doc/hc-test', 'usr/share/man/man1', 'usr/share/hc-test']) mkdirSync(at(d), { recursive: true });
  copyFileSync(gcc(PROGRAM, HARDENED, 'hardened'), at('usr/bin/hardened'));
  copyFileSync(gcc(PROGRAM, LAZY, 'lazy'), at('usr/bin/lazy'));
  const weak = gcc(PROGRAM, WEAK, 'weak');
  copyFileSync(weak, at('usr/bin/weak'));
  linkSync(at('usr/bin/weak'), at('usr/bin/weak-again'));
  copyFileSync(gcc(PROGRAM, ['-O2', '-static'], 'static'), at('usr/bin/static'));
  symlinkSync('hardened', at('usr/bin/link-to-hardened'));
  copyFileSync(gcc(LIBRARY, ['-O0', '-fPIC', '-shared', '-Wl,-soname,libweak.so.1', '-Wl,-z,lazy'], 'libweak.so.1'), at(LIB, 'libweak.so.1'));
  copyFileSync(
    gcc(MEMCHK, ['-O2', '-D_FORTIFY_SOURCE=2', '-fstack-protector-strong', '-fPIC', '-shared', '-Wl,-soname,libmemchk.so.1', '-Wl,-z,relro', '-Wl,-z,now'], 'libmemchk.so.1'),
    at(LIB, 'libmemchk.so.1'),
  );
  const a = gcc(MEMBER_A, ['-c', '-O2', '-D_FORTIFY_SOURCE=2', '-fPIC', '-fstack-protector-strong'], 'pair_a.o');
  const b = gcc(MEMBER_B, ['-c', '-O2', '-U_FORTIFY_SOURCE', '-fPIC', '-fno-stack-protector'], 'pair_b.o');
  sh('ar', ['rcD', at(LIB, 'libpair.a'), a, b], dir);
  writeFileSync(at('usr/share/doc/hc-test/README'), 'not a binary\n');
  writeFileSync(at('usr/share/man/man1/weak.1.gz'), gzipSync(readFileSync(weak)));
  const inner = join(dir, 'inner');
  mkdirSync(join(inner, 'bin'), { recursive: true });
  copyFileSync(weak, join(inner, 'bin', 'weak'));
  sh('tar', ['-czf', at('usr/share/hc-test/inner.tar.gz'), '-C', inner, 'bin'], dir);
  return { dir, root, path: (...p) => join(dir, ...p) };
}

export const DEB_COMPRESSIONS = ['gzip', 'xz', 'zstd', 'none'] as const;

/** `dpkg-deb --build` of the tree, `-Z<compression>`; returns the .deb path. */
export function buildDeb(w: Work, compression: (typeof DEB_COMPRESSIONS)[number], opts: { arch?: string; name?: string; suffix?: string } = {}): string {
  const out = w.path(`${opts.name ?? PACKAGE}_${compression}_${opts.arch ?? 'amd64'}.${opts.suffix ?? 'deb'}`);
  if (existsSync(out)) return out;
  const stage = w.path(`deb-${compression}-${opts.arch ?? 'amd64'}-${opts.name ?? PACKAGE}-${opts.suffix ?? 'deb'}`);
  sh('cp', ['-a', w.root, stage], w.dir);
  mkdirSync(join(stage, 'DEBIAN'));
  writeFileSync(
    join(stage, 'DEBIAN', 'control'),
    `Package: ${opts.name ?? PACKAGE}\nVersion: ${VERSION}\nArchitecture: ${opts.arch ?? 'amd64'}\nMaintainer: Test <test@example.org>\nDescription: hardening test package\n built from gcc fixtures\n`,
  );
  sh('dpkg-deb', ['--root-owner-group', `-Z${compression}`, '--build', stage, out], w.dir);
  return out;
}

export const RPM_PAYLOADS = { gzip: 'w9.gzdio', xz: 'w6.xzdio', zstd: 'w19.zstdio' } as const;

/** `rpmbuild -bb` of the tree as prebuilt files (no strip, no debuginfo), with a payload compression. */
export function buildRpm(w: Work, compression: keyof typeof RPM_PAYLOADS): string {
  const top = w.path(`rpm-${compression}`);
  const out = join(top, 'RPMS', 'x86_64', `${PACKAGE}-2.3-4.x86_64.rpm`);
  if (existsSync(out)) return out;
  mkdirSync(top, { recursive: true });
  const spec = join(top, 'hc-test.spec');
  writeFileSync(
    spec,
    [
      `Name: ${PACKAGE}`,
      'Epoch: 1',
      'Version: 2.3',
      'Release: 4',
      'Summary: hardening test package',
      'License: MIT',
      'BuildArch: x86_64',
      'AutoReqProv: no',
      // The files must reach the payload as gcc built them: no strip, no debuginfo split.
      '%global debug_package %{nil}',
      '%global __os_install_post %{nil}',
      '%global _build_id_links none',
      '%description',
      'built from gcc fixtures',
      '%install',
      'cp -a %{tree}/. %{buildroot}/',
      '%files',
      '/usr/bin/*',
      '/usr/lib/x86_64-linux-gnu/*',
      '/usr/share/doc/hc-test',
      '/usr/share/man/man1/weak.1.gz',
      '/usr/share/hc-test',
      '',
    ].join('\n'),
  );
  sh('rpmbuild', ['-bb', '--quiet', '--define', `_topdir ${top}`, '--define', `tree ${w.root}`, '--define', `_binary_payload ${RPM_PAYLOADS[compression]}`, spec], top);
  return out;
}

export const TARBALLS = { tar: '', 'tar.gz': '-z', 'tar.xz': '-J', 'tar.zst': '--zstd', 'tar.bz2': '-j' } as const;

/** A tarball of the tree's `usr` (GNU tar: hard links as link entries). */
export function buildTarball(w: Work, suffix: keyof typeof TARBALLS): string {
  const out = w.path(`hc-test-2.3.${suffix}`);
  if (existsSync(out)) return out;
  const flag = TARBALLS[suffix];
  sh('tar', [...(flag === '' ? [] : [flag]), '-cf', out, '-C', w.root, 'usr'], w.dir);
  return out;
}
