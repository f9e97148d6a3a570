/**
 * The information checks (stripped, debuginfo, sanitizers, safestack-cfi, toolchain,
 * compile-flags) and the recorded-flags reader behind several verdicts: DWARF 4 and 5, 32- and
 * 64-bit DWARF, compressed debug sections (SHF_COMPRESSED zlib and zstd, legacy .zdebug),
 * .GCC.command.line, clang's indexed strings.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectSymbols } from '../../src/checks/facts/symbols.js';
import { ElfFile, SHF, SHT } from '../../src/elf/index.js';
import { FileSource } from '../../src/io/file-source.js';
import { buildElf, Writer } from '../helpers/elf-builder.js';
import { CACHE, gcc, have, run } from '../helpers/gcc.js';
import { analyseBytes, analysePath, check } from './helpers.js';
import { BUFFERS, TRIVIAL } from './sources.js';

const CLANG = ['clang-15', 'clang'].find((c) => have(c));

describe('stripped', () => {
  it('says no with a .symtab and yes without', () => {
    const kept = check(gcc(TRIVIAL, ['-O2'], 'default'), 'stripped');
    expect(kept.status).toBe('pass');
    expect(kept.value).toBe('no');
    expect(kept.evidence).toMatch(/^\.symtab with \d+ symbols: not stripped$/);
    const s = check(gcc(TRIVIAL, ['-O2', '-s'], 'stripped'), 'stripped');
    expect(s.value).toBe('yes');
    expect(s.evidence).toMatch(/^no \.symtab \(\d+ dynamic symbols remain\)$/);
  });
});

describe('debuginfo', () => {
  it('sees .debug_info, plain and compressed', () => {
    expect(check(gcc(TRIVIAL, ['-O2'], 'default'), 'debuginfo').value).toBe('no');
    const g = check(gcc(TRIVIAL, ['-O2', '-g'], 'g'), 'debuginfo');
    expect(g.value).toBe('yes');
    expect(g.evidence).toMatch(/^\.debug_info, \d+ bytes; build ID [0-9a-f]+$/);
    expect(check(gcc(TRIVIAL, ['-O2', '-g', '-gz=zlib'], 'gz'), 'debuginfo').evidence).toContain('SHF_COMPRESSED zlib');
    expect(check(gcc(TRIVIAL, ['-O2', '-g', '-gz=zlib-gnu'], 'zdebug'), 'debuginfo').evidence).toContain('.zdebug_info');
  });

  it('sees a separate debug file through .gnu_debuglink', () => {
    const built = gcc(TRIVIAL, ['-O2', '-g'], 'g');
    const dir = join(CACHE, 'checks-debuglink');
    mkdirSync(dir, { recursive: true });
    const dbg = join(dir, 'prog.debug');
    const out = join(dir, 'prog');
    if (!existsSync(out)) {
      run('objcopy', ['--only-keep-debug', built, dbg]);
      copyFileSync(built, `${out}.tmp`);
      run('objcopy', ['--strip-debug', `--add-gnu-debuglink=${dbg}`, `${out}.tmp`, out]);
    }
    const v = check(out, 'debuginfo');
    expect(v.value).toBe('separate');
    expect(v.evidence).toContain('"prog.debug"');
  });
});

describe('compile-flags', () => {
  it('is unknown when nothing was recorded', () => {
    const v = check(gcc(TRIVIAL, ['-O2'], 'default'), 'compile-flags');
    expect(v.status).toBe('unknown');
    expect(v.remedy).toContain('-frecord-gcc-switches');
  });

  for (const [label, flags] of [
    ['DWARF 5', ['-gdwarf-5']],
    ['DWARF 4', ['-gdwarf-4']],
    ['DWARF 3', ['-gdwarf-3']],
    ['64-bit DWARF', ['-gdwarf64']],
    ['zlib-compressed sections', ['-gz=zlib']],
    ['legacy .zdebug sections', ['-gz=zlib-gnu']],
  ] as const) {
    it(`reads DW_AT_producer from ${label}`, () => {
      const v = check(gcc(BUFFERS, ['-O2', '-g', ...flags, '-fstack-protector-strong'], 'flags'), 'compile-flags');
      expect(v.status).toBe('pass');
      expect(v.evidence).toContain('1 compiled unit (GNU C17 12.2.0)');
      expect(v.value).toContain('-O2');
      expect(v.value).toContain('-fstack-protector-strong');
      // Debug-format options are noise in a hardening summary.
      expect(v.value).not.toMatch(/(^| )-g/);
    });
  }

  it('reads .GCC.command.line (-frecord-gcc-switches) without debug info', () => {
    const v = check(gcc(BUFFERS, ['-O2', '-frecord-gcc-switches', '-fstack-clash-protection'], 'recsw'), 'compile-flags');
    expect(v.status).toBe('pass');
    expect(v.evidence).toContain('.GCC.command.line');
    expect(v.value).toContain('-fstack-clash-protection');
    const clash = check(gcc(TRIVIAL, ['-O2', '-frecord-gcc-switches', '-fstack-clash-protection'], 'recsw-trivial'), 'stack-clash');
    expect(clash.status).toBe('pass');
    expect(clash.evidence).toContain('recorded flags (.GCC.command.line): 1 command line with -fstack-clash-protection');
  });

  it('reports options that only some units have', () => {
    const a = gcc('int helper(int x) { return x + 1; }\n', ['-O2', '-g', '-c', '-fstack-protector-strong'], 'a.o');
    const v = check(gcc(`int helper(int); int main(int c, char **v) { (void)v; return helper(c); }\n`, ['-O0', '-g', a], 'mixed'), 'compile-flags');
    expect(v.evidence).toContain('2 compiled units');
    expect(v.value).toContain('in some units:');
    expect(v.value).toContain('-fstack-protector-strong (1/2)');
    expect(v.value).toContain('-O0 (1/2)');
  });

  it.skipIf(CLANG === undefined)('reads clang DWARF 5 (DW_FORM_strx1 through .debug_str_offsets) and -grecord-command-line', () => {
    const v = check(gcc(TRIVIAL, ['-O2', '-g', '-grecord-command-line', '-fstack-protector-strong'], 'clang', CLANG), 'compile-flags');
    expect(v.status).toBe('pass');
    expect(v.evidence).toMatch(/1 compiled unit \((Debian )?clang \d+/);
    expect(v.value).toContain('-fstack-protector-strong');
    const plain = check(gcc(TRIVIAL, ['-O2', '-g'], 'clang-plain', CLANG), 'compile-flags');
    expect(plain.evidence).toMatch(/clang/);
  });

  it('reads a zstd-compressed (SHF_COMPRESSED, ELFCOMPRESS_ZSTD) .debug_info', () => {
    if (!have('zstd')) {
      console.log('skipping: no zstd command to build the fixture');
      return;
    }
    const src = FileSource.open(gcc(BUFFERS, ['-O2', '-g', '-fstack-protector-strong'], 'flags'));
    const elf = ElfFile.open(src);
    const get = (n: string): Uint8Array => {
      const s = elf.section(n);
      if (s === undefined) throw new Error(`no ${n}`);
      return Uint8Array.from(elf.sectionData(s));
    };
    const info = get('.debug_info');
    const abbrev = get('.debug_abbrev');
    const str = get('.debug_str');
    const lineStr = get('.debug_line_str');
    src.close();
    const dir = join(CACHE, 'checks-zstd');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'info'), info);
    run('zstd', ['-q', '-f', join(dir, 'info'), '-o', join(dir, 'info.zst')]);
    const z = new Uint8Array(readFileSync(join(dir, 'info.zst')));
    const enc = { is64: true, littleEndian: true };
    const chdr = new Writer(enc).u32(2).u32(0).u64(info.length).u64(1).bytes(z).done();
    const bytes = buildElf({
      ...enc,
      machine: 62,
      type: 3,
      sections: [
        { name: '.debug_info', type: SHT.PROGBITS, flags: SHF.COMPRESSED, data: chdr, align: 8 },
        { name: '.debug_abbrev', type: SHT.PROGBITS, data: abbrev },
        { name: '.debug_str', type: SHT.PROGBITS, flags: SHF.MERGE | SHF.STRINGS, data: str },
        { name: '.debug_line_str', type: SHT.PROGBITS, flags: SHF.MERGE | SHF.STRINGS, data: lineStr },
      ],
    }).bytes;
    const a = analyseBytes(bytes, { checks: ['compile-flags', 'debuginfo'] });
    expect(a.checks['debuginfo']?.evidence).toContain('SHF_COMPRESSED zstd');
    expect(a.checks['compile-flags']?.status).toBe('pass');
    expect(a.checks['compile-flags']?.value).toContain('-fstack-protector-strong');
  });
});

describe('sanitizers and safestack-cfi', () => {
  it('finds ASan and UBSan', () => {
    const v = check(gcc(BUFFERS, ['-O1', '-fsanitize=address,undefined'], 'asan'), 'sanitizers');
    expect(v.value).toBe('asan, ubsan');
    expect(v.evidence).toMatch(/asan: symbol __asan_\w+, NEEDED libasan\.so\.\d+/);
    expect(check(gcc(TRIVIAL, ['-O2'], 'default'), 'sanitizers').value).toBe('none');
  });

  it('asks for the six prefixes in one pass with the answers of six withPrefix calls', () => {
    const prefixes = ['__asan_', '__hwasan_', '__msan_', '__tsan_', '__lsan_', '__ubsan_', '__stack_chk_', '__libc_'];
    const files = [gcc(BUFFERS, ['-O1', '-fsanitize=address,undefined'], 'asan'), gcc(TRIVIAL, ['-O2'], 'default'), gcc(TRIVIAL, ['-O2', '-static'], 'static')];
    // The sanitizer runtimes themselves define hundreds of these names (libasan, libubsan).
    for (const lib of ['/usr/lib/x86_64-linux-gnu/libasan.so.8', '/usr/lib/x86_64-linux-gnu/libubsan.so.1']) if (existsSync(lib)) files.push(lib);
    let answered = 0;
    for (const path of files) {
      const src = FileSource.open(path);
      try {
        const syms = collectSymbols(ElfFile.open(src));
        const one = prefixes.map((p) => collectSymbols(ElfFile.open(src)).withPrefix(p));
        expect(syms.withPrefixes(prefixes), path).toEqual(one);
        answered += one.filter((x) => x !== undefined).length;
      } finally {
        src.close();
      }
    }
    // ASan and UBSan imports, __stack_chk_fail, __libc_start_main at least.
    expect(answered).toBeGreaterThanOrEqual(4);
  });

  it.skipIf(CLANG === undefined)('finds clang SafeStack', () => {
    const v = check(gcc(TRIVIAL, ['-O2', '-fsanitize=safe-stack'], 'safestack', CLANG), 'safestack-cfi');
    expect(v.value).toBe('safestack');
    expect(v.evidence).toContain('__safestack_init');
  });

  it('says none for a plain program', () => {
    expect(check(gcc(TRIVIAL, ['-O2'], 'default'), 'safestack-cfi').value).toBe('none');
  });
});

describe('toolchain', () => {
  it('names gcc and glibc', () => {
    const v = check(gcc(TRIVIAL, ['-O2'], 'default'), 'toolchain');
    expect(v.value).toBe('gcc 12.2.0, glibc');
    expect(v.evidence).toContain('C library: glibc (interpreter /lib64/ld-linux-x86-64.so.2)');
    const st = check(gcc(TRIVIAL, ['-O2', '-static', '-s'], 'static-s'), 'toolchain');
    expect(st.evidence).toContain("NT_GNU_ABI_TAG note (glibc's crt1.o)");
  });

  it('runs every check on one file without throwing', () => {
    const a = analysePath(gcc(BUFFERS, ['-O2', '-g'], 'all'));
    expect(Object.keys(a.checks).length).toBeGreaterThanOrEqual(20);
    for (const v of Object.values(a.checks)) expect(v.evidence).not.toContain('could not be decided');
  });
});
