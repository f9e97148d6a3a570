/** The pic check on objects gcc builds here with -fPIC, -fPIE and -fno-pic. */
import { describe, expect, it } from 'vitest';
import { gcc, have } from '../helpers/gcc.js';
import { check } from './helpers.js';
import { GLOBAL_USER, TRIVIAL } from './sources.js';

/** Defines a global, uses an extern, and takes an address: every kind of reference. */
const REFS = `
int defined_global = 1;
extern int extern_global;
int *address_of(void) { return &defined_global; }
int sum(void) { return defined_global + extern_global; }
`;

describe('pic', () => {
  it('passes -fPIC objects', () => {
    const v = check(gcc(REFS, ['-O2', '-c', '-fPIC'], 'pic.o'), 'pic');
    expect(v.status).toBe('pass');
    expect(v.value).toBe('pic');
    expect(v.evidence).toMatch(/R_X86_64_REX_GOTPCRELX/);
  });

  it('fails -fno-pic objects, naming the absolute relocation', () => {
    const v = check(gcc(REFS, ['-O2', '-c', '-fno-pic'], 'nopic.o'), 'pic');
    expect(v.status).toBe('fail');
    expect(v.value).toBe('non-pic');
    expect(v.evidence).toContain("R_X86_64_32 against `defined_global' in .text");
    expect(v.remedy).toBe('compile with -fPIC');
  });

  it('-fPIE objects: fine for an executable, not for a shared library', () => {
    const v = check(gcc(REFS, ['-O2', '-c', '-fPIE'], 'pie.o'), 'pic');
    expect(v.status).toBe('fail');
    expect(v.value).toBe('pie');
    expect(v.evidence).toContain("R_X86_64_PC32 against global `defined_global' in .text");
  });

  it('debug sections do not count (their absolute references are normal)', () => {
    const v = check(gcc(REFS, ['-O2', '-g', '-c', '-fPIC'], 'pic-g.o'), 'pic');
    expect(v.status).toBe('pass');
  });

  it('an object that refers to nothing cannot be told: unknown', () => {
    const v = check(gcc('int twice(int x) { return 2 * x; }\n', ['-O2', '-c', '-fno-pic', '-fno-asynchronous-unwind-tables'], 'leaf.o'), 'pic');
    expect(v.status).toBe('unknown');
  });

  it('is not applicable to linked files', () => {
    expect(check(gcc(TRIVIAL, ['-O2'], 'default'), 'pic').status).toBe('not-applicable');
    expect(check(gcc(GLOBAL_USER, ['-O2', '-fPIC', '-shared'], 'lib.so'), 'pic').status).toBe('not-applicable');
  });

  it.skipIf(!have('aarch64-linux-gnu-gcc'))('aarch64: ADRP to an extern without the GOT is -fno-pic', () => {
    const no = check(gcc(REFS, ['-O2', '-c', '-fno-pic'], 'nopic.o', 'aarch64-linux-gnu-gcc'), 'pic');
    expect(no.status).toBe('fail');
    expect(no.evidence).toContain("R_AARCH64_ADR_PREL_PG_HI21 against undefined `extern_global'");
    expect(check(gcc(REFS, ['-O2', '-c', '-fPIC'], 'pic.o', 'aarch64-linux-gnu-gcc'), 'pic').status).toBe('pass');
  });
});
