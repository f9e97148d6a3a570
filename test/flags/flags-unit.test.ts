/**
 * The pieces of `harden flags` on their own, with no reference tool: option parsing quirks,
 * config files, flag operations, vendors, profiles, exporters and the command line.
 */
import { describe, expect, it } from 'vitest';
import { parseFlagsArgs } from '../../src/cli/flags-command.js';
import {
  computeBuildFlags,
  debianArchForNode,
  debianArchFromGnuTriplet,
  FlagSet,
  formatExport,
  parseBuildOptions,
  parseCompiler,
  parseConfig,
  profileFlags,
  profileFlagSet,
  readFeatureRequests,
  resolveVendor,
  withHardeningAll,
} from '../../src/flags/index.js';

describe('DEB_BUILD_OPTIONS parsing', () => {
  it('keeps the last value of a repeated option and warns about invalid tokens', () => {
    const p = parseBuildOptions(' noopt,x parallel=4 hardening=+all hardening=-pie 1a', 'DEB_BUILD_OPTIONS');
    expect([...p.options]).toEqual([
      ['parallel', '4'],
      ['hardening', '-pie'],
    ]);
    expect(p.warnings).toEqual([
      'invalid flag in DEB_BUILD_OPTIONS: ',
      'invalid flag in DEB_BUILD_OPTIONS: noopt,x',
      'invalid flag in DEB_BUILD_OPTIONS: 1a',
    ]);
  });

  it('applies the user\'s areas then the maintainer\'s, feature by feature', () => {
    const r = readFeatureRequests({ DEB_BUILD_OPTIONS: 'noopt hardening=-format,+bindnow', DEB_BUILD_MAINT_OPTIONS: 'hardening=+format,,+nope qa' });
    expect(r.noopt).toBe(true);
    expect([...r.requests.hardening]).toEqual([
      ['format', true],
      ['bindnow', true],
    ]);
    expect(r.warnings).toEqual([
      'incorrect value in hardening option of DEB_BUILD_MAINT_OPTIONS variable: ',
      'unknown hardening feature in DEB_BUILD_MAINT_OPTIONS variable: nope',
    ]);
  });

  it('adds hardening=+all without losing the maintainer\'s own hardening token', () => {
    expect(withHardeningAll(undefined)).toBe('hardening=+all');
    expect(withHardeningAll('future=+lfs')).toBe('hardening=+all future=+lfs');
    expect(withHardeningAll('hardening=-pie qa=+bug hardening=-format')).toBe('hardening=-pie qa=+bug hardening=+all,-format');
    expect(withHardeningAll('hardening=')).toBe('hardening=+all');
  });
});

describe('config files', () => {
  it('accepts case-insensitive operations, rejects indented and one-character values, applies unknown flags', () => {
    const text = 'SET CFLAGS  -O3   -pipe  \n  APPEND CFLAGS -x\nappend LDFLAGS -Wl,-O1\nAPPEND CPPFLAGS x\n   # comment\nSET NEWFLAG value\n';
    const p = parseConfig(text, '/c', new Set(['CFLAGS', 'LDFLAGS', 'CPPFLAGS']));
    expect(p.directives.map((d) => `${d.op} ${d.flag} [${d.value}] @${d.line}`)).toEqual([
      'SET CFLAGS [-O3   -pipe] @1',
      'APPEND LDFLAGS [-Wl,-O1] @3',
      'SET NEWFLAG [value] @6',
    ]);
    expect(p.warnings).toEqual([
      'line 2 of /c is invalid, it has been ignored',
      'line 4 of /c is invalid, it has been ignored',
      'line 6 of /c mentions unknown flag NEWFLAG',
    ]);
  });
});

describe('flag operations', () => {
  it('keeps spacing on SET/APPEND/PREPEND and rebuilds it on STRIP', () => {
    const s = new FlagSet(['F']);
    s.apply('SET', 'F', '  -a  -b ', 'env');
    expect(s.get('F')).toBe('  -a  -b ');
    s.apply('APPEND', 'F', '-c', 'env');
    expect(s.get('F')).toBe('  -a  -b  -c');
    s.apply('STRIP', 'F', '-b', 'env');
    expect(s.get('F')).toBe('-a -c');
    s.apply('PREPEND', 'F', '', 'user', true);
    expect(s.get('F')).toBe(' -a -c');
    expect(s.origin('F')).toBe('env');
    expect(s.isMaintainerModified('F')).toBe(true);
  });
});

describe('vendors and architectures', () => {
  const origins: Record<string, string> = {
    default: 'Vendor: Debian\n',
    debian: 'Vendor: Debian\n',
    ubuntu: 'Vendor: Ubuntu\nParent: Debian\n',
    mint: 'Vendor: Mint\nParent: Ubuntu\n',
  };
  const read = (name: string): string | undefined => origins[name];

  it('resolves DEB_VENDOR through the origins files and their parents', () => {
    expect(resolveVendor('Mint', read)).toEqual({ name: 'Mint', family: 'ubuntu' });
    expect(resolveVendor('UBUNTU', read)).toEqual({ name: 'Ubuntu', family: 'ubuntu' });
    expect(resolveVendor('Nowhere', read)).toEqual({ name: 'Debian', family: 'debian' });
    expect(resolveVendor(undefined, () => undefined)).toEqual({ name: 'undefined', family: 'debian' });
  });

  it('maps GNU triplets and Node platforms to Debian names', () => {
    expect(debianArchFromGnuTriplet('arm-linux-gnueabihf')).toBe('armhf');
    expect(debianArchFromGnuTriplet('x86_64-linux-gnux32')).toBe('x32');
    expect(debianArchFromGnuTriplet('mips64el-linux-gnuabi64')).toBe('mips64el');
    expect(debianArchFromGnuTriplet('sparc-sun-solaris2')).toBeUndefined();
    expect(debianArchForNode('linux', 'x64', 'LE')).toBe('amd64');
    expect(debianArchForNode('linux', 'ppc64', 'LE')).toBe('ppc64el');
    expect(debianArchForNode('freebsd', 'arm64', 'LE')).toBe('freebsd-arm64');
    expect(debianArchForNode('win32', 'x64', 'LE')).toBeUndefined();
  });

  it('computes the seed\'s flags: amd64, hardening=+all', () => {
    const r = computeBuildFlags({
      env: { DEB_BUILD_MAINT_OPTIONS: 'hardening=+all' },
      vendor: { name: 'Debian', family: 'debian' },
      nativeArch: 'amd64',
      cwd: '/build/pkg',
    });
    expect(r.flags.get('CFLAGS')).toBe(
      '-g -O2 -Werror=implicit-function-declaration -ffile-prefix-map=/build/pkg=. -fstack-protector-strong -fstack-clash-protection -Wformat -Werror=format-security -fcf-protection',
    );
    expect(r.flags.get('CPPFLAGS')).toBe('-Wdate-time -D_FORTIFY_SOURCE=2');
    expect(r.flags.get('LDFLAGS')).toBe('-Wl,-z,relro -Wl,-z,now');
  });
});

describe('profiles', () => {
  it('openssf follows the compiler version', () => {
    const gcc11 = profileFlags('openssf', { arch: 'amd64', compiler: { family: 'gcc', version: '11.4' } });
    expect(gcc11.cpp).toEqual(['-U_FORTIFY_SOURCE', '-D_FORTIFY_SOURCE=2', '-D_GLIBCXX_ASSERTIONS']);
    expect(gcc11.omitted.map((o) => o.flag)).toEqual(['-D_FORTIFY_SOURCE=3', '-fstrict-flex-arrays=3', '-ftrivial-auto-var-init=zero']);
    const clang15 = profileFlags('openssf', { arch: 'arm64', compiler: { family: 'clang', version: '15.0.7' } });
    expect(clang15.c).toEqual([
      '-Wall', '-Wformat', '-Wformat=2', '-Wconversion', '-Wimplicit-fallthrough', '-Werror=format-security',
      '-fstack-clash-protection', '-fstack-protector-strong', '-mbranch-protection=standard',
      '-fno-delete-null-pointer-checks', '-fno-strict-aliasing',
    ]);
    expect(clang15.ld).toEqual(['-Wl,-z,noexecstack', '-Wl,-z,relro', '-Wl,-z,now', '-Wl,--as-needed', '-Wl,--no-copy-dt-needed-entries']);
    expect(clang15.ldNotModules).toEqual(['-Wl,-z,nodlopen']);
  });

  it('kurento is the seed\'s list', () => {
    const k = profileFlags('kurento', { arch: 'amd64', compiler: { family: 'gcc' } });
    expect([k.cpp, k.c, k.ld, k.pie]).toEqual([
      ['-D_FORTIFY_SOURCE=2'],
      ['-Wformat', '-Werror=format-security', '-fstack-protector-strong'],
      ['-Wl,-z,relro', '-Wl,-z,now'],
      true,
    ]);
  });

  it('debian drops what an old compiler lacks and what an architecture cannot do', () => {
    const clang10 = profileFlags('debian', { arch: 'amd64', compiler: { family: 'clang', version: '10' } });
    expect(clang10.c).toEqual(['-fstack-protector-strong', '-Wformat', '-Werror=format-security', '-fcf-protection']);
    expect(clang10.omitted).toEqual([{ flag: '-fstack-clash-protection', reason: '-fstack-clash-protection needs clang 11 or later' }]);
    const ia64 = profileFlags('debian', { arch: 'ia64', compiler: { family: 'gcc' } });
    expect([ia64.c, ia64.ld, ia64.pie]).toEqual([['-Wformat', '-Werror=format-security'], [], false]);
  });

  it('exports for CMake with PIE where the kind of target is known', () => {
    const k = profileFlags('kurento', { arch: 'amd64', compiler: { family: 'gcc' } });
    const text = formatExport('cmake', { flags: profileFlagSet(k), vendor: 'kurento', hostArch: 'amd64', profile: 'kurento', pie: true });
    expect(text.split('\n')).toEqual([
      '# Initial cache for `cmake -C <this file>`, written by harden flags.',
      'set(CMAKE_C_FLAGS "-D_FORTIFY_SOURCE=2 -g -O2 -Wformat -Werror=format-security -fstack-protector-strong" CACHE STRING "")',
      'set(CMAKE_CXX_FLAGS "-D_FORTIFY_SOURCE=2 -g -O2 -Wformat -Werror=format-security -fstack-protector-strong" CACHE STRING "")',
      'set(CMAKE_OBJC_FLAGS "-D_FORTIFY_SOURCE=2 -g -O2 -Wformat -Werror=format-security -fstack-protector-strong" CACHE STRING "")',
      'set(CMAKE_OBJCXX_FLAGS "-D_FORTIFY_SOURCE=2 -g -O2 -Wformat -Werror=format-security -fstack-protector-strong" CACHE STRING "")',
      'set(CMAKE_Fortran_FLAGS "" CACHE STRING "")',
      'set(CMAKE_ASM_FLAGS "" CACHE STRING "")',
      'set(CMAKE_EXE_LINKER_FLAGS "-Wl,-z,relro -Wl,-z,now -pie" CACHE STRING "")',
      'set(CMAKE_SHARED_LINKER_FLAGS "-Wl,-z,relro -Wl,-z,now" CACHE STRING "")',
      'set(CMAKE_MODULE_LINKER_FLAGS "-Wl,-z,relro -Wl,-z,now" CACHE STRING "")',
      'set(CMAKE_POSITION_INDEPENDENT_CODE ON CACHE BOOL "")',
      '',
    ]);
  });

  it('reads compiler specs', () => {
    expect(parseCompiler('gcc-12')).toEqual({ family: 'gcc', version: '12' });
    expect(parseCompiler('clang:16.0.6')).toEqual({ family: 'clang', version: '16.0.6' });
    expect(parseCompiler('clang')).toEqual({ family: 'clang' });
    expect(parseCompiler('icc')).toBeUndefined();
  });
});

describe('the dpkg-buildflags command line', () => {
  it('parses commands and our options', () => {
    expect(parseFlagsArgs([])).toEqual({ action: { kind: 'dump' } });
    expect(parseFlagsArgs(['--export'])).toEqual({ action: { kind: 'export', format: 'sh' } });
    expect(parseFlagsArgs(['--vendor', 'ubuntu', '--arch=armhf', '--get', 'CFLAGS'])).toEqual({
      vendor: 'ubuntu',
      arch: 'armhf',
      action: { kind: 'get', arg: 'CFLAGS' },
    });
  });

  it.each([
    [['--get'], '--get needs a parameter'],
    [['--get=CFLAGS'], "unknown option '--get=CFLAGS'"],
    [['--export', 'sh'], "unknown option 'sh'"],
    [['--export=xml'], "unknown option '--export=xml'"],
    [['--list', '--dump'], 'two commands specified: --dump and --list'],
    [['--export=make', '--export=sh'], 'two commands specified: --export and --export-make'],
  ])('rejects %j: %s', (args, message) => {
    expect(() => parseFlagsArgs(args)).toThrow(message);
  });
});
