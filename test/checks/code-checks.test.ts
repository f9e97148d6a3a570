/**
 * The checks decided by symbols, code and recorded flags (stack-protector, fortify, stack-clash,
 * CET), on programs gcc builds here with and without each flag.
 */
import { describe, expect, it } from 'vitest';
import { gcc } from '../helpers/gcc.js';
import { analysePath, check } from './helpers.js';
import { BIG_STACK, BUFFERS, GLOBAL_USER, ONLY_MEMCPY, PARTIAL, TRIVIAL } from './sources.js';

describe('stack-protector', () => {
  it('passes when __stack_chk_fail is imported', () => {
    const v = check(gcc(BUFFERS, ['-O2', '-fstack-protector-strong'], 'sp'), 'stack-protector');
    expect(v.status).toBe('pass');
    expect(v.evidence).toBe('imports __stack_chk_fail');
    expect(v.value).toBe('yes');
  });

  it('tells the strength from the recorded flags', () => {
    const strong = check(gcc(BUFFERS, ['-O2', '-g', '-fstack-protector-strong'], 'sp-g'), 'stack-protector');
    expect(strong.value).toBe('strong');
    expect(strong.evidence).toContain('1 unit with -fstack-protector-strong');
    const all = check(gcc(BUFFERS, ['-O2', '-g', '-fstack-protector-all'], 'sp-all'), 'stack-protector');
    expect(all.value).toBe('all');
  });

  it('fails -fno-stack-protector', () => {
    const v = check(gcc(BUFFERS, ['-O2', '-fno-stack-protector'], 'nosp'), 'stack-protector');
    expect(v.status).toBe('fail');
    expect(v.remedy).toBe('compile with -fstack-protector-strong');
  });

  it('passes through recorded flags when no function needed a canary', () => {
    const v = check(gcc(TRIVIAL, ['-O2', '-g', '-fstack-protector-strong'], 'sp-trivial'), 'stack-protector');
    expect(v.status).toBe('pass');
    expect(v.evidence).toContain('no function needed a canary');
  });

  it('static: a defined __stack_chk_fail proves nothing (unknown), unless flags were recorded', () => {
    const bare = check(gcc(BUFFERS, ['-O2', '-static', '-fstack-protector-strong'], 'sp-static'), 'stack-protector');
    expect(bare.status).toBe('unknown');
    expect(bare.evidence).toContain('only shows that the C library supports canaries');
    const rec = check(gcc(BUFFERS, ['-O2', '-g', '-static', '-fstack-protector-strong'], 'sp-static-g'), 'stack-protector');
    expect(rec.status).toBe('pass');
    expect(rec.value).toBe('strong');
  });

  it('static and stripped: unknown, saying why', () => {
    const v = check(gcc(BUFFERS, ['-O2', '-static', '-s', '-fstack-protector-strong'], 'sp-static-s'), 'stack-protector');
    expect(v.status).toBe('unknown');
    expect(v.evidence).toContain('stripped');
  });

  it('an object without any array is unknown, not a failure', () => {
    const v = check(gcc(GLOBAL_USER, ['-O2', '-c', '-fstack-protector-strong'], 'obj.o'), 'stack-protector');
    expect(v.status).toBe('unknown');
    const withArray = check(gcc(BUFFERS, ['-O2', '-c', '-fstack-protector-strong'], 'buf.o'), 'stack-protector');
    expect(withArray.status).toBe('pass');
  });
});

describe('fortify', () => {
  it('passes when only checked variants are imported, listing them', () => {
    const v = check(gcc(BUFFERS, ['-O2', '-D_FORTIFY_SOURCE=2'], 'fort'), 'fortify');
    expect(v.status).toBe('pass');
    expect(v.value).toBe('yes');
    expect(v.evidence).toBe('only checked variants imported: protected (3): memcpy, printf, read');
  });

  it('fails when only plain fortifiable functions are imported', () => {
    const v = check(gcc(BUFFERS, ['-O2', '-U_FORTIFY_SOURCE'], 'nofort'), 'fortify');
    expect(v.status).toBe('fail');
    expect(v.evidence).toContain('unprotected (3): memcpy, printf, read');
    expect(v.remedy).toContain('-D_FORTIFY_SOURCE');
  });

  it('says -O0 defeats _FORTIFY_SOURCE when the flags were recorded', () => {
    const v = check(gcc(BUFFERS, ['-O0', '-g', '-D_FORTIFY_SOURCE=2', '-Wno-cpp'], 'fort-O0'), 'fortify');
    expect(v.status).toBe('fail');
    expect(v.evidence).toContain('every unit was compiled at -O0');
    expect(v.remedy).toContain('optimisation');
  });

  it('partial: both forms imported is a pass with value "partial"', () => {
    const v = check(gcc(PARTIAL, ['-O2', '-D_FORTIFY_SOURCE=2'], 'fort-partial'), 'fortify');
    expect(v.status).toBe('pass');
    expect(v.value).toBe('partial');
    expect(v.evidence).toContain('protected (1): snprintf');
    expect(v.evidence).toContain('unprotected (1): strcpy');
  });

  it('only memcpy unprotected: unknown (the compiler may have proved it safe)', () => {
    const v = check(gcc(ONLY_MEMCPY, ['-O2', '-U_FORTIFY_SOURCE'], 'memcpy-only'), 'fortify');
    expect(v.status).toBe('unknown');
    expect(v.evidence).toContain('only memcpy imported');
  });

  it('not applicable when no fortifiable function is used', () => {
    const v = check(gcc(TRIVIAL, ['-O2', '-D_FORTIFY_SOURCE=2'], 'fort-none'), 'fortify');
    expect(v.status).toBe('not-applicable');
  });

  it('static: checked variants linked in pass; stripped is unknown', () => {
    const s = check(gcc(BUFFERS, ['-O2', '-static', '-D_FORTIFY_SOURCE=2'], 'fort-static'), 'fortify');
    expect(s.status).toBe('pass');
    expect(s.evidence).toContain('static binary');
    expect(s.evidence).toContain('memcpy, printf, read');
    const plain = check(gcc(BUFFERS, ['-O2', '-static', '-U_FORTIFY_SOURCE'], 'nofort-static'), 'fortify');
    expect(plain.status).toBe('unknown');
    const stripped = check(gcc(BUFFERS, ['-O2', '-static', '-s', '-D_FORTIFY_SOURCE=2'], 'fort-static-s'), 'fortify');
    expect(stripped.status).toBe('unknown');
    expect(stripped.evidence).toContain('stripped');
  });
});

describe('stack-clash', () => {
  it('passes when the code holds alloca probe loops and fixed-frame probes', () => {
    const v = check(gcc(BIG_STACK, ['-O2', '-fstack-clash-protection'], 'clash'), 'stack-clash');
    expect(v.status).toBe('pass');
    expect(v.evidence).toMatch(/1 probe loop for alloca\/VLA and 1 probed fixed frame/);
  });

  it('fails when a frame larger than a page has no probe', () => {
    const v = check(gcc(BIG_STACK, ['-O2', '-fno-stack-clash-protection'], 'noclash'), 'stack-clash');
    expect(v.status).toBe('fail');
    expect(v.evidence).toMatch(/1 frame of a page or more allocated without a probe \(first at 0x[0-9a-f]+\)/);
    expect(v.remedy).toBe('compile with -fstack-clash-protection');
  });

  it('unknown when nothing needed probing, unless the flags were recorded', () => {
    const v = check(gcc(TRIVIAL, ['-O2', '-fstack-clash-protection'], 'clash-trivial'), 'stack-clash');
    expect(v.status).toBe('unknown');
    expect(v.evidence).toContain('nothing needed probing');
    const rec = check(gcc(TRIVIAL, ['-O2', '-g', '-fstack-clash-protection'], 'clash-trivial-g'), 'stack-clash');
    expect(rec.status).toBe('pass');
    expect(rec.value).toBe('recorded');
    const off = check(gcc(TRIVIAL, ['-O2', '-g', '-fno-stack-clash-protection'], 'noclash-trivial-g'), 'stack-clash');
    expect(off.status).toBe('fail');
    expect(off.evidence).toContain('1 unit without -fstack-clash-protection');
  });

  it('static: probes alone may come from libc (unknown); recorded flags decide', () => {
    const bare = check(gcc(BIG_STACK, ['-O2', '-static', '-fstack-clash-protection'], 'clash-static'), 'stack-clash');
    expect(bare.status).toBe('unknown');
    expect(bare.evidence).toContain('C library linked in may hold them');
    const rec = check(gcc(BIG_STACK, ['-O2', '-g', '-static', '-fstack-clash-protection'], 'clash-static-g'), 'stack-clash');
    expect(rec.status).toBe('pass');
  });
});

describe('cet-ibt and cet-shstk', () => {
  it('fail a -fcf-protection executable whose crt files lack the property, and say so', () => {
    const a = analysePath(gcc(BUFFERS, ['-O2', '-g', '-fcf-protection'], 'cet'), { checks: ['cet-ibt', 'cet-shstk'] });
    for (const id of ['cet-ibt', 'cet-shstk'] as const) {
      const v = a.checks[id];
      expect(v?.status).toBe('fail');
      expect(v?.evidence).toContain('no GNU_PROPERTY_X86_FEATURE_1_AND property');
      expect(v?.evidence).toContain('1 unit with full');
      expect(v?.evidence).toContain('crt1.o');
      expect(v?.remedy).toContain('-Wl,-z,cet-report=error');
    }
  });

  it('pass a library linked without the start files (the bits survive)', () => {
    const p = gcc(GLOBAL_USER, ['-O2', '-fPIC', '-shared', '-nostartfiles', '-fcf-protection'], 'cet.so');
    const ibt = check(p, 'cet-ibt');
    expect(ibt.status).toBe('pass');
    expect(ibt.evidence).toBe('GNU_PROPERTY_X86_FEATURE_1_AND 0x3 (IBT, SHSTK): IBT enabled');
    expect(check(p, 'cet-shstk').status).toBe('pass');
  });

  it('read the property of an object, bit by bit', () => {
    const branch = analysePath(gcc(GLOBAL_USER, ['-O2', '-c', '-fcf-protection=branch'], 'ibt.o'), { checks: ['cet-ibt', 'cet-shstk'] });
    expect(branch.checks['cet-ibt']?.status).toBe('pass');
    expect(branch.checks['cet-shstk']?.status).toBe('fail');
    expect(branch.checks['cet-shstk']?.evidence).toBe('GNU_PROPERTY_X86_FEATURE_1_AND 0x1 without SHSTK');
  });

  it('fail without -fcf-protection and no recorded flags', () => {
    const v = check(gcc(TRIVIAL, ['-O2', '-fcf-protection=none'], 'nocet'), 'cet-ibt');
    expect(v.status).toBe('fail');
    expect(v.evidence).toBe('no GNU_PROPERTY_X86_FEATURE_1_AND property');
  });

  it('bti and pac are not applicable on x86-64', () => {
    const a = analysePath(gcc(TRIVIAL, ['-O2'], 'default'), { checks: ['bti', 'pac'] });
    expect(a.checks.bti?.status).toBe('not-applicable');
    expect(a.checks.pac?.status).toBe('not-applicable');
  });
});
