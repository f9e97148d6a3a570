/**
 * What the pic check says, and on what: evidence and remedy of each verdict on gcc-built x86-64
 * objects; the rules the kinds alone do not settle (writable data, .eh_frame, debug sections,
 * linker-defined symbols, constants), each on an assembled object confirmed by `gcc -shared`;
 * the files it does not judge (linked files, kernel objects, LTO bytecode, machines without a
 * table); and hostile input — damaged objects never make it throw, and a million relocations
 * take a moment, not a minute.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EM, ElfFile, SHF, SHT } from '../../src/elf/index.js';
import { relocationTable } from '../../src/elf/reloc-types/index.js';
import { auditSharedLink } from '../../src/elf/reloc-types/shared-link.js';
import { BufferSource } from '../../src/io/byte-source.js';
import { analyseBytes, check, verdictOf } from '../checks/helpers.js';
import { buildElf, stringTable, symbolTable, Writer } from '../helpers/elf-builder.js';
import { gcc } from '../helpers/gcc.js';
import { linkShared } from './oracle.js';
import { PIC_SOURCES } from './sources.js';

const src = (name: string): string => {
  const s = PIC_SOURCES[name];
  if (s === undefined) throw new Error(`no source ${name}`);
  return s;
};
const obj = (name: string, flags: readonly string[]): string => gcc(src(name), ['-c', '-O2', ...flags], `${name}.o`);
/** Assembles x86-64 source (gcc -x assembler). */
const asm = (code: string, name: string): string => gcc(`${code}\n.section .note.GNU-stack,"",@progbits\n`, ['-x', 'assembler', '-c'], `${name}.o`);

describe('evidence and remedy (x86-64, gcc)', () => {
  it('fail names the relocation, its symbol, section and offset, and says recompile with -fPIC', () => {
    const v = check(obj('ext_read', ['-fno-pic']), 'pic');
    expect(v.status).toBe('fail');
    expect(v.evidence).toMatch(/^1 relocation a shared object cannot take \(1 PC-relative reference to a preemptible symbol\): R_X86_64_PC32 against undefined 'g' in \.text at 0x[0-9a-f]+$/);
    expect(v.remedy).toBe('recompile with -fPIC');
  });

  it('names section symbols as sections (a -fno-pic switch table)', () => {
    const v = check(obj('switch', ['-fno-pic']), 'pic');
    expect(v.status).toBe('fail');
    // The jump tables: their addresses in code (32S) and their entries, pointers in .rodata.
    expect(v.evidence).toMatch(/^10 relocations a shared object cannot take \(2 absolute addresses, 8 text relocations\): R_X86_64_32S against section \.rodata in \.text at 0x[0-9a-f]+; /);
    expect(v.evidence).toContain('R_X86_64_64 against section .text in .rodata at 0x0;');
    expect(v.evidence).toMatch(/; … \(5 more\)$/);
  });

  it('describes five relocations and counts the rest', () => {
    const many = `${Array.from({ length: 9 }, (_, i) => `extern int v${i};`).join('\n')}\nint f(void) { return ${Array.from({ length: 9 }, (_, i) => `v${i}`).join(' + ')}; }\n`;
    const v = check(gcc(many, ['-c', '-O2', '-fno-pic'], 'many.o'), 'pic');
    expect(v.status).toBe('fail');
    expect(v.evidence).toMatch(/^9 relocations a shared object cannot take \(9 PC-relative references to preemptible symbols\): /);
    expect(v.evidence.match(/R_X86_64_PC32 against undefined 'v\d'/g)).toHaveLength(5);
    expect(v.evidence).toMatch(/; … \(4 more\)$/);
  });

  it('fails TLS local-exec even in -fPIC code, and says which model to drop', () => {
    const v = check(obj('tls_def', ['-fPIC', '-ftls-model=local-exec']), 'pic');
    expect(v.status).toBe('fail');
    expect(v.evidence).toContain('(1 TLS local-exec access): R_X86_64_TPOFF32 against global \'t\'');
    expect(v.remedy).toBe('recompile with -fPIC, and without -ftls-model=local-exec');
  });

  it('fails a text relocation (-mcmodel=large -fno-pic: R_X86_64_64 in .text), which ld only warns about', () => {
    const o = obj('code_addr', ['-mcmodel=large', '-fno-pic']);
    expect(linkShared(o, 'gcc').how).toBe('textrel');
    const v = check(o, 'pic');
    expect(v.status).toBe('fail');
    expect(v.evidence).toContain("(1 text relocation): R_X86_64_64 against undefined 'g' in .text at 0x");
  });

  it('passes -fPIC code, counting the relocation types it uses', () => {
    const v = check(obj('ext_read', ['-fPIC']), 'pic');
    // (The R_X86_64_PC32 is .eh_frame's reference to .text.)
    expect(v).toMatchObject({ status: 'pass', evidence: '2 relocations in allocated sections, all position-independent (1 R_X86_64_PC32, 1 R_X86_64_REX_GOTPCRELX)' });
    expect(check(obj('ext_call', ['-fno-pic']), 'pic')).toMatchObject({ status: 'pass', evidence: '3 relocations in allocated sections, all position-independent (2 R_X86_64_PLT32, 1 R_X86_64_PC32)' });
  });

  it('passes -fno-pic code whose only global reference the linker takes (a hidden variable, addresses in writable data)', () => {
    expect(check(obj('hidden_read', ['-fno-pic']), 'pic').status).toBe('pass');
    expect(check(obj('protected_read', ['-fno-pic']), 'pic').status).toBe('pass');
    expect(check(obj('data_addr', ['-fno-pic']), 'pic').status).toBe('pass');
  });

  it('says unknown when nothing tells: no relocations, or only references to its own locals', () => {
    const none = check(obj('nothing', ['-fno-pic', '-fno-asynchronous-unwind-tables']), 'pic');
    expect(none.status).toBe('unknown');
    expect(none.evidence).toBe('no relocations in allocated sections: nothing tells -fPIC code from the rest, though it would link into a shared object as it is');
    // Its unwind table refers to its own .text only.
    expect(check(obj('nothing', ['-fno-pic']), 'pic').evidence).toMatch(/^1 relocation, all against the object's own local symbols \(1 R_X86_64_PC32\): nothing tells/);
    const locals = check(obj('static_read', ['-fno-pic']), 'pic');
    expect(locals.status).toBe('unknown');
    expect(locals.evidence).toMatch(/^\d+ relocations, all against the object's own local symbols \(\d+ R_X86_64_PC32\): nothing tells/);
  });

  it('lets the recorded compile flags (-frecord-gcc-switches) decide when the relocations cannot', () => {
    const pic = check(obj('locals_only', ['-fPIC', '-frecord-gcc-switches']), 'pic');
    expect(pic).toMatchObject({ status: 'pass', evidence: "1 relocation, all against the object's own local symbols (1 R_X86_64_PC32); recorded compile flags: -fPIC (.GCC.command.line)" });
    const nopic = check(obj('locals_only', ['-fno-pic', '-frecord-gcc-switches']), 'pic');
    expect(nopic.status).toBe('unknown');
    expect(nopic.evidence).toMatch(/; recorded compile flags: -fno-pic \(\.GCC\.command\.line\)$/);
    // Nothing recorded: DW_AT_producer (-g) is not used for objects (see pic.ts).
    expect(check(obj('locals_only', ['-fPIC', '-g']), 'pic').status).toBe('unknown');
  });

  it('fails -fno-pic code with -fexceptions: .eh_frame holds the personality routine as an absolute word', () => {
    const o = obj('cleanup', ['-fno-pic', '-fexceptions']);
    expect(linkShared(o, 'gcc').how).toBe('error');
    const v = check(o, 'pic');
    expect(v.status).toBe('fail');
    expect(v.evidence).toContain("R_X86_64_32 against undefined '__gcc_personality_v0' in .eh_frame at 0x");
    expect(check(obj('cleanup', ['-fPIC', '-fexceptions']), 'pic').status).toBe('pass');
  });
});

describe('the rules the kinds do not settle, each confirmed by gcc -shared (x86-64)', () => {
  const cases: readonly { name: string; code: string; status: string; linker: 'ok' | 'error' | 'textrel'; why: string }[] = [
    { name: 'pc32-data', code: '.data\n.globl d\nd: .long g - .', status: 'pass', linker: 'ok', why: 'PC-relative to a preemptible symbol in writable data: a dynamic R_X86_64_PC32' },
    { name: 'pc32-rodata', code: '.section .rodata\n.globl d\nd: .long g - .', status: 'fail', linker: 'error', why: 'the same in a read-only section' },
    { name: 'abs32-data', code: '.data\n.globl d\nd: .long g', status: 'fail', linker: 'error', why: 'a 32-bit absolute address, even in writable data' },
    { name: 'abs64-rodata', code: '.section .rodata\nd: .quad d', status: 'fail', linker: 'textrel', why: 'a pointer in .rodata: a text relocation' },
    { name: 'abs64-data', code: '.data\n.globl d\nd: .quad g', status: 'pass', linker: 'ok', why: 'a pointer in writable data' },
    { name: 'call-pc32', code: '.text\n.globl f\nf: .byte 0xe8\n.reloc ., R_X86_64_PC32, e-4\n.long 0\nret', status: 'fail', linker: 'error', why: 'a call through PC32 (old non-PIC code) is not routed through the PLT' },
    { name: 'eh-frame', code: '.section .eh_frame,"a",@progbits\n.long g', status: 'fail', linker: 'error', why: '.eh_frame relocations are applied like any other' },
    { name: 'debug', code: '.text\n.globl f\nf: ret\n.section .debug_info,"",@progbits\n.long g\n.quad f', status: 'unknown', linker: 'ok', why: 'non-allocated sections are never loaded' },
    { name: 'gotpc', code: '.text\n.globl f\nf: leaq _GLOBAL_OFFSET_TABLE_(%rip), %rax\nret', status: 'pass', linker: 'ok', why: 'the GOT base is defined by every link, inside the library' },
  ];
  for (const c of cases) {
    it(`${c.name}: ${c.status} (${c.why})`, () => {
      const o = asm(c.code, c.name);
      expect(linkShared(o, 'gcc').how).toBe(c.linker);
      expect(check(o, 'pic').status).toBe(c.status);
    });
  }
});

describe('files the check does not judge', () => {
  it('is not applicable to executables and shared libraries (pie and textrel cover them)', () => {
    const exe = check(gcc(src('nothing') + 'int main(void) { return f(1); }\n', ['-O2', '-fPIE', '-pie'], 'exe'), 'pic');
    expect(exe.status).toBe('not-applicable');
    expect(exe.evidence).toContain('see the pie and textrel checks');
    expect(check(gcc(src('ext_read'), ['-O2', '-fPIC', '-shared'], 'lib.so'), 'pic').status).toBe('not-applicable');
  });

  it('is not applicable to Linux kernel objects (a .modinfo section)', () => {
    const k = gcc('static const char mi[] __attribute__((section(".modinfo"), used)) = "license=GPL";\nextern int jiffies;\nint init_module(void) { return jiffies; }\n', ['-c', '-O2', '-mcmodel=kernel', '-fno-pic'], 'kmod.o');
    expect(check(k, 'pic')).toMatchObject({ status: 'not-applicable', evidence: '.modinfo section: Linux kernel code, linked into the kernel rather than into a shared object' });
  });

  it('recognises the kernel sections named by prefix (__ksymtab_gpl), and only those', () => {
    const k = gcc('static const int s __attribute__((section("__ksymtab_gpl"), used)) = 1;\nextern int jiffies;\nint init_module(void) { return jiffies; }\n', ['-c', '-O2', '-mcmodel=kernel', '-fno-pic'], 'ksym.o');
    expect(check(k, 'pic')).toMatchObject({ status: 'not-applicable', evidence: '__ksymtab_gpl section: Linux kernel code, linked into the kernel rather than into a shared object' });
    // A "__" section that is not the kernel's (glibc's objects have __libc_freeres_ptrs) is judged.
    const u = gcc('static int *p __attribute__((section("__libc_freeres_ptrs"), used));\nextern int g;\nint f(void) { return g; }\n', ['-c', '-O2', '-fno-pic'], 'freeres.o');
    expect(check(u, 'pic').status).toBe('fail');
  });

  it('says unknown for slim LTO objects (GCC bytecode, code generated at link time)', () => {
    const v = check(obj('ext_read', ['-fno-pic', '-flto']), 'pic');
    expect(v.status).toBe('unknown');
    expect(v.evidence).toContain('GCC LTO bytecode only');
    // A fat LTO object carries real code too, and is judged by it.
    expect(check(obj('ext_read', ['-fno-pic', '-flto', '-ffat-lto-objects']), 'pic').status).toBe('fail');
  });

  it('says unknown for a machine without a relocation table', () => {
    const a = analyseBytes(relObject({ machine: EM.SPARCV9, is64: true, littleEndian: false, relocs: [[0, 1, 1]] }), { checks: ['pic'] });
    expect(verdictOf(a, 'pic').status).toBe('unknown');
    expect(verdictOf(a, 'pic').evidence).toMatch(/^no relocation table for sparc64 \(EM_SPARCV9, ELFCLASS64\) here/);
  });
});

/** A minimal ET_REL: .text, .data, a symbol table (1: global undefined 'g', 2: local section .text), one RELA section on `target`. */
function relObject(o: {
  machine: number;
  is64: boolean;
  littleEndian: boolean;
  /** [offset, symbol, type] */
  relocs: readonly (readonly [number, number, number])[];
  target?: string;
  info?: number;
  relaSizeOverride?: number;
}): Uint8Array {
  const enc = { is64: o.is64, littleEndian: o.littleEndian };
  const str = stringTable(['g']);
  const syms = symbolTable(enc, [{ name: 'g', bind: 1, shndx: 0 }], str.offset);
  const w = new Writer(enc);
  for (const [off, sym, type] of o.relocs) {
    w.word(off);
    if (o.is64) w.u64((BigInt(sym) << 32n) | BigInt(type));
    else w.u32(((sym << 8) | type) >>> 0);
    w.word(0);
  }
  const names = ['.text', '.data'];
  return buildElf({
    ...enc,
    machine: o.machine,
    type: 1,
    sections: [
      { name: '.text', type: SHT.PROGBITS, flags: SHF.ALLOC | SHF.EXECINSTR, data: new Uint8Array(64), align: 4 },
      { name: '.data', type: SHT.PROGBITS, flags: SHF.ALLOC | SHF.WRITE, data: new Uint8Array(64), align: 8 },
      { name: '.strtab', type: SHT.STRTAB, data: str.bytes },
      { name: '.symtab', type: SHT.SYMTAB, link: '.strtab', info: 1, entsize: o.is64 ? 24 : 16, data: syms, align: 8 },
      {
        name: '.rela.x',
        type: SHT.RELA,
        flags: SHF.INFO_LINK,
        link: '.symtab',
        info: o.info ?? names.indexOf(o.target ?? '.text') + 1,
        entsize: o.is64 ? 24 : 12,
        data: w.done(),
        align: 8,
        ...(o.relaSizeOverride === undefined ? {} : { sizeOverride: o.relaSizeOverride }),
      },
    ],
  }).bytes;
}

describe('hostile input', () => {
  const X = { machine: EM.X86_64, is64: true, littleEndian: true };

  it('reads a crafted object like gcc output: R_X86_64_32 against an undefined symbol fails', () => {
    const v = verdictOf(analyseBytes(relObject({ ...X, relocs: [[4, 1, 10]] }), { checks: ['pic'] }), 'pic');
    expect(v.status).toBe('fail');
    expect(v.evidence).toContain("R_X86_64_32 against undefined 'g' in .text at 0x4");
  });

  it('a type missing from the table makes the verdict unknown, naming it', () => {
    const v = verdictOf(analyseBytes(relObject({ ...X, relocs: [[0, 1, 4], [8, 1, 200]] }), { checks: ['pic'] }), 'pic');
    expect(v).toMatchObject({ status: 'unknown', evidence: 'relocation types this audit has no rule for: R_X86_64_<0xc8> (1×)' });
  });

  it('types missing from the table are counted and named in the order they first come', () => {
    const v = verdictOf(analyseBytes(relObject({ ...X, relocs: [[0, 1, 201], [8, 1, 4], [16, 1, 200], [24, 1, 201]] }), { checks: ['pic'] }), 'pic');
    expect(v).toMatchObject({ status: 'unknown', evidence: 'relocation types this audit has no rule for: R_X86_64_<0xc9> (2×), R_X86_64_<0xc8> (1×)' });
  });

  it('a symbol index past the symbol table is a problem, not a crash', () => {
    const v = verdictOf(analyseBytes(relObject({ ...X, relocs: [[0, 99, 2]] }), { checks: ['pic'] }), 'pic');
    expect(v.status).toBe('unknown');
    expect(v.evidence).toContain('1 relocations name symbols past the end of the symbol table (first: 99)');
  });

  it('a relocation section pointing at no section, or running past the end of the file, is reported', () => {
    const noTarget = verdictOf(analyseBytes(relObject({ ...X, relocs: [[0, 1, 10]], info: 77 }), { checks: ['pic'] }), 'pic');
    expect(noTarget.status).toBe('unknown');
    expect(noTarget.evidence).toContain('.rela.x: sh_info 77 names no section');
    const truncated = verdictOf(analyseBytes(relObject({ ...X, relocs: [[0, 1, 10]], relaSizeOverride: 1 << 30 }), { checks: ['pic'] }), 'pic');
    expect(truncated.status).toBe('unknown');
    expect(truncated.evidence).toContain('.rela.x unreadable');
  });

  it('never throws, nor reports an internal error, on 2,000 damaged copies of real objects', () => {
    const originals = [obj('switch', ['-fno-pic', '-g']), obj('ext_read', ['-fPIC']), obj('tls_def', ['-fPIC'])].map((p) => readFileSync(p));
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed % n;
    };
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const base = originals[i % originals.length] ?? new Uint8Array(0);
      const bytes = Uint8Array.from(base);
      const flips = 1 + rand(8);
      for (let k = 0; k < flips; k++) bytes[rand(bytes.length)] = rand(256);
      let status: string;
      try {
        const v = analyseBytes(bytes, { checks: ['pic'] }).checks.pic;
        status = v?.status ?? 'none';
        expect(v?.evidence ?? '').not.toContain('internal error');
      } catch (e) {
        // Only opening can refuse (the magic was hit): that is the reader's typed error.
        expect((e as Error).name).toMatch(/NotElfError|ElfFormatError/);
        status = 'not opened';
      }
      seen.add(status);
    }
    expect(seen.has('fail') || seen.has('pass')).toBe(true);
  });

  it('audits a million relocations in seconds', () => {
    const n = 1_000_000;
    const bytes = relObject({ ...X, relocs: Array.from({ length: n }, (_, i) => [i % 60, 1, 4] as const) });
    const elf = ElfFile.open(new BufferSource(bytes, 'big.o'));
    const table = relocationTable(EM.X86_64, true);
    if (table === undefined) throw new Error('no x86-64 table');
    const t0 = performance.now();
    const a = auditSharedLink(elf, table);
    const ms = performance.now() - t0;
    expect(a.relocations).toBe(n);
    expect(a.offenders).toBe(0);
    expect(a.telling).toBe(n);
    console.log(`test/pic/verdicts: ${n} relocations audited in ${Math.round(ms)} ms`);
    expect(ms).toBeLessThan(15_000);
  });
});
