/**
 * Every committed cross-architecture and toolchain fixture (test/fixtures/*\/manifest.json),
 * with the manifest's readelf-derived facts as the oracle: each verdict is predicted from the
 * facts (and, for code-only properties, from the build command) and must match exactly.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ElfAnalysis } from '../../src/checks/index.js';
import { analysePath, manifest, type ManifestFixture } from './helpers.js';

interface Facts {
  pie: 'pie' | 'no' | 'static-pie' | 'shared' | 'relocatable';
  has_interp: boolean;
  relro: 'none' | 'partial' | 'full';
  gnu_stack: string | null;
  rwx_load: boolean;
  textrel: boolean;
  rpath: string | null;
  runpath: string | null;
  has_symtab: boolean;
  debug_info: boolean;
  stack_chk_imported: string[];
  chk_imported: string[];
  fortifiable_plain_imported: string[];
  x86_feature_1_and: string[] | null;
  aarch64_feature_1_and: string[] | null;
}

type Fixture = ManifestFixture & { facts: Facts; commands: string[] };

const cross = manifest('cross');
const toolchains = manifest('toolchains');

const RECOGNISED = new Set(['x86-64', 'aarch64', 's390x', 'ppc64el']);

function expected(f: Fixture): Record<string, string | readonly string[]> {
  const x = f.facts;
  const cmd = f.commands.join(' ');
  const kind = { pie: 'pie-executable', 'static-pie': 'static-pie', shared: 'shared-library', relocatable: 'object', no: x.has_interp ? 'executable' : 'static-executable' }[x.pie];
  const linked = x.pie !== 'relocatable';
  const isStatic = kind === 'static-executable' || kind === 'static-pie';
  const e: Record<string, string | readonly string[]> = { kind };
  e.pie = { pie: 'pass', 'static-pie': 'pass', no: 'fail', shared: 'not-applicable', relocatable: 'not-applicable' }[x.pie];
  e.relro = !linked ? 'not-applicable' : x.relro === 'none' ? 'fail' : 'pass';
  e.nx = x.gnu_stack === null ? 'pass' : x.gnu_stack.includes('E') ? 'fail' : 'pass';
  e.rwx = x.rwx_load ? 'fail' : 'pass';
  e.textrel = !linked ? 'not-applicable' : x.textrel ? 'fail' : 'pass';
  e.rpath = !linked ? 'not-applicable' : x.rpath !== null || x.runpath !== null ? 'fail' : 'pass';
  if (x.stack_chk_imported.length > 0) e['stack-protector'] = 'pass';
  else if (isStatic) e['stack-protector'] = 'unknown';
  else if (!linked) e['stack-protector'] = cmd.includes('-fstack-protector') ? ['pass', 'unknown'] : 'unknown';
  else e['stack-protector'] = 'fail';
  if (isStatic) e.fortify = ['pass', 'unknown'];
  else if (x.chk_imported.length > 0) e.fortify = 'pass';
  else if (x.fortifiable_plain_imported.length > 0) e.fortify = ['fail', 'unknown'];
  else e.fortify = 'not-applicable';
  const x86 = f.arch === 'x86-64' || f.arch === 'i386';
  e['cet-ibt'] = !x86 ? 'not-applicable' : x.x86_feature_1_and?.includes('IBT') === true ? 'pass' : 'fail';
  e['cet-shstk'] = !x86 ? 'not-applicable' : x.x86_feature_1_and?.includes('SHSTK') === true ? 'pass' : 'fail';
  const a64 = f.arch === 'aarch64';
  e.bti = !a64 ? 'not-applicable' : x.aarch64_feature_1_and?.includes('BTI') === true ? 'pass' : 'fail';
  e.pac = !a64 ? 'not-applicable' : x.aarch64_feature_1_and?.includes('PAC') === true || cmd.includes('-mbranch-protection') ? 'pass' : 'fail';
  // Stack clash: the fixture program (main.c) has alloca, a VLA and a 70000-byte frame.
  const clashFlag = cmd.includes('-fstack-clash-protection');
  const mainProgram = /main\.c/.test(cmd) && kind !== 'object';
  if (f.variant === 'debug') e['stack-clash'] = 'pass';
  else if (!mainProgram || isStatic || !RECOGNISED.has(f.arch)) e['stack-clash'] = 'unknown';
  else if (clashFlag) e['stack-clash'] = 'pass';
  else e['stack-clash'] = f.arch === 'x86-64' ? 'fail' : 'unknown';
  e.stripped = 'pass';
  return e;
}

function assertMatches(f: Fixture, a: ElfAnalysis): void {
  const e = expected(f);
  expect(a.kind, 'kind').toBe(e.kind);
  for (const [id, want] of Object.entries(e)) {
    if (id === 'kind') continue;
    const got = a.checks[id as keyof ElfAnalysis['checks']];
    const wanted = typeof want === 'string' ? [want] : want;
    expect(wanted, `${f.path} ${id}: ${got?.status} — ${got?.evidence}`).toContain(got?.status);
  }
  expect(a.checks.stripped?.value).toBe(f.facts.has_symtab ? 'no' : 'yes');
  expect(a.checks.debuginfo?.value).toBe(f.facts.debug_info ? 'yes' : 'no');
  if (f.variant === 'debug') {
    expect(a.checks['compile-flags']?.status).toBe('pass');
    expect(a.checks['compile-flags']?.value).toContain('-fstack-protector-strong');
    expect(a.checks['stack-protector']?.value).toBe('strong');
  }
  for (const v of Object.values(a.checks)) expect(v.evidence).not.toContain('could not be decided');
}

describe.skipIf(cross === undefined)('cross-architecture fixtures', () => {
  const fixtures = (cross?.fixtures ?? []).filter((f) => !f.path.endsWith('.a')) as Fixture[];
  it('has fixtures to check', () => {
    expect(fixtures.length).toBeGreaterThan(100);
  });
  for (const f of fixtures) {
    it(`${f.path} (${f.variant})`, () => {
      assertMatches(f, analysePath(join(cross?.root ?? '', f.path)));
    });
  }

  it('relro evidence says partial, or full in effect when nothing is bound lazily', () => {
    for (const f of fixtures.filter((x) => x.facts.relro === 'partial')) {
      const v = analysePath(join(cross?.root ?? '', f.path), { checks: ['relro'] }).checks.relro;
      if (v?.value === 'full') expect(v.evidence).toContain('nothing is bound lazily');
      else expect(v?.value, f.path).toBe('partial');
    }
  });

  it('aarch64: PAC found in the code when the property was dropped at link', () => {
    const a = analysePath(join(cross?.root ?? '', 'aarch64/hardened'), { checks: ['bti', 'pac'] });
    expect(a.checks.pac?.value).toBe('in code');
    expect(a.checks.pac?.evidence).toMatch(/no GNU_PROPERTY_AARCH64_FEATURE_1_AND property, but the code signs return addresses: \d+ PACIASP/);
    expect(a.checks.bti?.evidence).toContain('BTI is not enforced');
    const lib = analysePath(join(cross?.root ?? '', 'aarch64/libcfi.so'), { checks: ['bti', 'pac'] });
    expect(lib.checks.bti?.evidence).toBe('GNU_PROPERTY_AARCH64_FEATURE_1_AND 0x3 (BTI, PAC): BTI enabled');
  });

  it('i386: -fcf-protection recorded but the bits dropped', () => {
    const v = analysePath(join(cross?.root ?? '', 'i386/debug'), { checks: ['cet-ibt'] }).checks['cet-ibt'];
    expect(v?.status).toBe('fail');
    expect(v?.evidence).toContain('the linker dropped the bit');
  });

  it('MIPS: the executable stack its toolchain asks for is reported', () => {
    const v = analysePath(join(cross?.root ?? '', 'mips/hardened'), { checks: ['nx'] }).checks.nx;
    expect(v?.status).toBe('fail');
    expect(v?.evidence).toContain('MIPS');
  });
});

describe.skipIf(toolchains === undefined)('toolchain fixtures', () => {
  const path = (p: string): string => join(toolchains?.root ?? '', p);
  const has = (p: string): boolean => (toolchains?.fixtures ?? []).some((f) => f.path === p);

  it.skipIf(!has('x86-64/go-hello'))('Go, static: nothing that cannot apply fails', () => {
    const a = analysePath(path('x86-64/go-hello'));
    expect(a.kind).toBe('static-executable');
    for (const id of ['relro', 'bindnow', 'stack-protector', 'fortify', 'stack-clash', 'cet-ibt', 'cet-shstk'] as const) expect(a.checks[id]?.status, id).toBe('not-applicable');
    expect(a.checks.pie?.status).toBe('fail');
    expect(a.checks.toolchain?.value).toMatch(/^go1\.\d+\.\d+, no libc$/);
  });

  it.skipIf(!has('x86-64/go-pie'))('Go, PIE', () => {
    const a = analysePath(path('x86-64/go-pie'));
    expect(a.checks.pie?.status).toBe('pass');
    expect(a.checks['stack-protector']?.status).toBe('not-applicable');
    expect(a.checks.bindnow?.status).toBe('pass');
  });

  it.skipIf(!has('x86-64/go-cgo'))('Go with cgo', () => {
    const a = analysePath(path('x86-64/go-cgo'));
    expect(a.checks['stack-protector']?.status).toBe('not-applicable');
    expect(a.checks.fortify?.status).toBe('not-applicable');
    expect(a.checks.toolchain?.value).toContain('glibc');
  });

  it.skipIf(!has('x86-64/rust-hello'))('Rust: fortify and canaries do not apply; probes are seen', () => {
    for (const p of ['x86-64/rust-hello', 'x86-64/rust-bigframe']) {
      const a = analysePath(path(p));
      expect(a.checks.fortify?.status, p).toBe('not-applicable');
      expect(a.checks['stack-protector']?.status, p).toBe('not-applicable');
      expect(a.checks.toolchain?.value, p).toMatch(/^rustc 1\.\d+\.\d+/);
    }
    const big = analysePath(path('x86-64/rust-bigframe'), { checks: ['stack-clash'] });
    expect(big.checks['stack-clash']?.status).toBe('pass');
    expect(big.checks['stack-clash']?.evidence).toMatch(/probed fixed frame/);
  });

  it.skipIf(!has('x86-64/musl-dynamic'))('musl: fortify not applicable, canaries seen', () => {
    const a = analysePath(path('x86-64/musl-dynamic'));
    expect(a.checks.fortify?.status).toBe('not-applicable');
    expect(a.checks.fortify?.evidence).toContain('musl');
    expect(a.checks['stack-protector']?.status).toBe('pass');
    expect(a.checks.toolchain?.value).toContain('musl');
    const s = analysePath(path('x86-64/musl-static'));
    expect(s.checks['stack-protector']?.status).toBe('unknown');
    expect(s.checks.fortify?.status).toBe('unknown');
  });
});
