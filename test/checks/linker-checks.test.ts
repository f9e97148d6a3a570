/**
 * The checks decided by headers and the dynamic section (pie, relro, bindnow, nx, rwx, textrel,
 * rpath), on programs gcc builds here with and without each flag. Exact verdicts, and the
 * evidence names the structure it saw.
 */
import { describe, expect, it } from 'vitest';
import { gcc } from '../helpers/gcc.js';
import { analysePath, check } from './helpers.js';
import { ASM_NO_NOTE, CALLS_PUTS, GLOBAL_USER, RWX, TRIVIAL } from './sources.js';

describe('pie', () => {
  it('fails an ET_EXEC built with -no-pie, naming the remedy', () => {
    const v = check(gcc(TRIVIAL, ['-O2', '-fno-pie', '-no-pie'], 'nopie'), 'pie');
    expect(v.status).toBe('fail');
    expect(v.evidence).toContain('ET_EXEC, PT_INTERP');
    expect(v.remedy).toContain('-pie');
  });

  it('passes a PIE (ET_DYN, PT_INTERP, DF_1_PIE)', () => {
    const a = analysePath(gcc(TRIVIAL, ['-O2', '-fPIE', '-pie'], 'pie'), { checks: ['pie'] });
    expect(a.kind).toBe('pie-executable');
    expect(a.checks.pie?.status).toBe('pass');
    expect(a.checks.pie?.evidence).toMatch(/^ET_DYN, PT_INTERP \S+, DF_1_PIE: PIE executable$/);
  });

  it('fails a static ET_EXEC and suggests -static-pie', () => {
    const a = analysePath(gcc(TRIVIAL, ['-O2', '-static'], 'static'), { checks: ['pie'] });
    expect(a.kind).toBe('static-executable');
    expect(a.checks.pie?.status).toBe('fail');
    expect(a.checks.pie?.remedy).toContain('-static-pie');
  });

  it('passes a static-pie: ET_DYN, DF_1_PIE, no PT_INTERP', () => {
    const a = analysePath(gcc(TRIVIAL, ['-O2', '-fPIE', '-static-pie'], 'static-pie'), { checks: ['pie'] });
    expect(a.kind).toBe('static-pie');
    expect(a.checks.pie?.status).toBe('pass');
    expect(a.checks.pie?.evidence).toContain('no PT_INTERP, DF_1_PIE');
  });

  it('is not applicable to a shared library or an object', () => {
    const lib = analysePath(gcc(GLOBAL_USER, ['-O2', '-fPIC', '-shared'], 'lib.so'), { checks: ['pie'] });
    expect(lib.kind).toBe('shared-library');
    expect(lib.checks.pie?.status).toBe('not-applicable');
    const obj = analysePath(gcc(GLOBAL_USER, ['-O2', '-c'], 'obj.o'), { checks: ['pie'] });
    expect(obj.kind).toBe('object');
    expect(obj.checks.pie?.status).toBe('not-applicable');
  });

  it('says a runnable libc.so.6 is both a library and a PIE', () => {
    const a = analysePath('/lib/x86_64-linux-gnu/libc.so.6', { checks: ['pie'] });
    expect(a.kind).toBe('runnable-shared-library');
    expect(a.checks.pie?.status).toBe('pass');
    expect(a.checks.pie?.evidence).toContain('DT_SONAME libc.so.6');
  });
});

describe('relro and bindnow', () => {
  it('fail without RELRO and with lazy binding', () => {
    const p = gcc(CALLS_PUTS, ['-O2', '-Wl,-z,norelro', '-Wl,-z,lazy'], 'norelro');
    const relro = check(p, 'relro');
    expect(relro.status).toBe('fail');
    expect(relro.evidence).toContain('no PT_GNU_RELRO');
    expect(relro.remedy).toContain('-Wl,-z,relro');
    const bn = check(p, 'bindnow');
    expect(bn.status).toBe('fail');
    expect(bn.evidence).toContain('DT_JMPREL');
    expect(bn.remedy).toBe('link with -Wl,-z,now');
  });

  it('partial RELRO passes with value "partial" and says how to get full', () => {
    const v = check(gcc(CALLS_PUTS, ['-O2', '-Wl,-z,relro', '-Wl,-z,lazy'], 'partial'), 'relro');
    expect(v.status).toBe('pass');
    expect(v.value).toBe('partial');
    expect(v.evidence).toContain('-Wl,-z,now');
  });

  it('without PLT relocations nothing is bound lazily: bindnow passes, RELRO is full in effect', () => {
    // TRIVIAL calls no library function through the PLT (__libc_start_main goes through the GOT).
    const p = gcc(TRIVIAL, ['-O2', '-Wl,-z,relro', '-Wl,-z,lazy'], 'nojmprel');
    const bn = check(p, 'bindnow');
    expect(bn.status).toBe('pass');
    expect(bn.evidence).toContain('no PLT relocations (no DT_JMPREL)');
    const relro = check(p, 'relro');
    expect(relro.value).toBe('full');
    expect(relro.evidence).toContain('full in effect');
  });

  it('full RELRO: PT_GNU_RELRO and immediate binding', () => {
    const p = gcc(TRIVIAL, ['-O2', '-Wl,-z,relro', '-Wl,-z,now'], 'full');
    const relro = check(p, 'relro');
    expect(relro.status).toBe('pass');
    expect(relro.value).toBe('full');
    expect(relro.evidence).toContain('PT_GNU_RELRO present');
    const bn = check(p, 'bindnow');
    expect(bn.status).toBe('pass');
    expect(bn.evidence).toContain('DF_BIND_NOW in DT_FLAGS');
  });

  it('a static-pie relocates itself once: RELRO is full in effect, bindnow not applicable', () => {
    const p = gcc(CALLS_PUTS, ['-O2', '-fPIE', '-static-pie', '-Wl,-z,relro', '-Wl,-z,lazy'], 'static-pie-lazy');
    const relro = check(p, 'relro');
    expect(relro.status).toBe('pass');
    expect(relro.value).toBe('full');
    expect(relro.evidence).toContain('a static-pie relocates itself once at start-up');
    expect(check(p, 'bindnow').status).toBe('not-applicable');
  });

  it('bindnow is not applicable to a static executable', () => {
    const v = check(gcc(TRIVIAL, ['-O2', '-static'], 'static'), 'bindnow');
    expect(v.status).toBe('not-applicable');
    expect(v.evidence).toContain('static');
  });

  it('relro and bindnow are not applicable to objects', () => {
    const a = analysePath(gcc(GLOBAL_USER, ['-O2', '-c'], 'obj.o'), { checks: ['relro', 'bindnow'] });
    expect(a.checks.relro?.status).toBe('not-applicable');
    expect(a.checks.bindnow?.status).toBe('not-applicable');
  });
});

describe('nx', () => {
  it('passes a default build: PT_GNU_STACK without PF_X', () => {
    const v = check(gcc(TRIVIAL, ['-O2'], 'default'), 'nx');
    expect(v.status).toBe('pass');
    expect(v.evidence).toBe('PT_GNU_STACK without PF_X: non-executable stack');
  });

  it('fails -z execstack', () => {
    const v = check(gcc(TRIVIAL, ['-O2', '-Wl,-z,execstack'], 'execstack'), 'nx');
    expect(v.status).toBe('fail');
    expect(v.evidence).toContain('PT_GNU_STACK has PF_X');
    expect(v.remedy).toContain('-Wl,-z,noexecstack');
  });

  it('reads .note.GNU-stack in objects', () => {
    expect(check(gcc(GLOBAL_USER, ['-O2', '-c'], 'obj.o'), 'nx').status).toBe('pass');
    const asm = check(gcc(ASM_NO_NOTE, ['-x', 'assembler', '-c'], 'asm.o'), 'nx');
    expect(asm.status).toBe('fail');
    expect(asm.evidence).toContain('no .note.GNU-stack section');
    const exec = check(gcc(GLOBAL_USER, ['-O2', '-c', '-Wa,--execstack'], 'exec.o'), 'nx');
    expect(exec.status).toBe('fail');
    expect(exec.evidence).toContain('SHF_EXECINSTR');
  });
});

describe('rwx', () => {
  it('passes a normal build and fails a PT_LOAD with W and X', () => {
    expect(check(gcc(TRIVIAL, ['-O2'], 'default'), 'rwx').status).toBe('pass');
    const v = check(gcc(RWX, ['-O2'], 'rwx'), 'rwx');
    expect(v.status).toBe('fail');
    expect(v.evidence).toMatch(/PT_LOAD\[\d+\] at 0x[0-9a-f]+ is RWE/);
  });

  it('finds the awx section in the object', () => {
    const v = check(gcc(RWX, ['-O2', '-c'], 'rwx.o'), 'rwx');
    expect(v.status).toBe('fail');
    expect(v.evidence).toContain('.rwx_test');
  });
});

describe('textrel', () => {
  it('fails a shared library with text relocations and passes a PIC one', () => {
    const bad = check(gcc(GLOBAL_USER, ['-O2', '-fno-pic', '-mcmodel=large', '-shared', '-Wl,-z,notext'], 'textrel.so'), 'textrel');
    expect(bad.status).toBe('fail');
    expect(bad.evidence).toContain('DT_TEXTREL');
    expect(bad.remedy).toContain('-fPIC');
    const good = check(gcc(GLOBAL_USER, ['-O2', '-fPIC', '-shared'], 'lib.so'), 'textrel');
    expect(good.status).toBe('pass');
  });
});

describe('rpath', () => {
  const build = (rpath: string, newTags: boolean): string => gcc(TRIVIAL, ['-O2', `-Wl,-rpath,${rpath}`, newTags ? '-Wl,--enable-new-dtags' : '-Wl,--disable-new-dtags'], 'rpath');

  it('passes when there is no search path', () => {
    const v = check(gcc(TRIVIAL, ['-O2'], 'default'), 'rpath');
    expect(v.status).toBe('pass');
    expect(v.evidence).toBe('no DT_RPATH or DT_RUNPATH');
  });

  it('fails a relative RPATH', () => {
    const v = check(build('.', false), 'rpath');
    expect(v.status).toBe('fail');
    expect(v.evidence).toContain('DT_RPATH "."');
    expect(v.evidence).toContain('relative to the current directory');
  });

  it('fails an empty entry and a world-writable directory', () => {
    const v = check(build('/usr/lib/x::/tmp/y', true), 'rpath');
    expect(v.status).toBe('fail');
    expect(v.evidence).toContain('DT_RUNPATH');
    expect(v.evidence).toContain('"" empty');
    expect(v.evidence).toContain('"/tmp/y" in a world-writable directory');
  });

  it('passes $ORIGIN with a warning, and absolute paths', () => {
    const o = check(build('$ORIGIN/../lib', true), 'rpath');
    expect(o.status).toBe('pass');
    expect(o.value).toBe('origin');
    expect(o.evidence).toContain('warning');
    const abs = check(build('/opt/app/lib', false), 'rpath');
    expect(abs.status).toBe('pass');
    expect(abs.value).toBe('absolute');
  });
});
