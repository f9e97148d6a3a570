/**
 * Verdicts on files built in memory: toolchains that must never be failed for what cannot apply
 * (Go, Rust, musl), file kinds, architecture defaults, the corner forms of each structure, and
 * hostile input (every verdict still comes back, none throws).
 */
import { describe, expect, it } from 'vitest';
import { STATUSES } from '../../src/checks/types.js';
import { forEachCodeWindow } from '../../src/checks/facts/code.js';
import { DF, DF_1, DT, ElfFile, EM, ET, PT, SHF, SHN, SHT, STB, STT } from '../../src/elf/index.js';
import { BufferSource } from '../../src/io/byte-source.js';
import { readFileSync } from 'node:fs';
import { buildElf, dynamicTable, type Encoding, note, type SectionSpec, type SegmentSpec, stringTable, symbolTable, type SymbolSpec } from '../helpers/elf-builder.js';
import { gcc } from '../helpers/gcc.js';
import { analyseBytes } from './helpers.js';
import { BUFFERS } from './sources.js';

const X64: Encoding = { is64: true, littleEndian: true };

interface Craft {
  readonly machine?: number;
  readonly type?: number;
  readonly enc?: Encoding;
  readonly interp?: string;
  /** Dynamic entries; string-valued tags take strings. */
  readonly dynamic?: readonly (readonly [number, number | string])[];
  readonly imports?: readonly string[];
  readonly defines?: readonly string[];
  /** p_flags of each PT_GNU_STACK, in order; none when empty. */
  readonly stacks?: readonly number[];
  readonly extraSegments?: readonly SegmentSpec[];
  readonly extraSections?: readonly SectionSpec[];
  readonly noSectionHeaders?: boolean;
}

/** A small file with exactly the structures a test names. */
function craft(c: Craft): Uint8Array {
  const enc = c.enc ?? X64;
  const dynStrings = (c.dynamic ?? []).filter(([, v]) => typeof v === 'string').map(([, v]) => String(v));
  const strtab = stringTable([...dynStrings, ...(c.imports ?? []), ...(c.defines ?? [])]);
  const syms: SymbolSpec[] = [
    ...(c.imports ?? []).map((name) => ({ name, type: STT.FUNC, bind: STB.GLOBAL, shndx: SHN.UNDEF })),
    ...(c.defines ?? []).map((name) => ({ name, type: STT.FUNC, bind: STB.GLOBAL, shndx: 1, value: 0x1000, size: 4 })),
  ];
  const sections: SectionSpec[] = [{ name: '.text', type: SHT.PROGBITS, flags: SHF.ALLOC | SHF.EXECINSTR, align: 16, data: new Uint8Array(32).fill(0xc3) }];
  const segments: SegmentSpec[] = [{ type: PT.LOAD, wholeFile: true, flags: 5, align: 0x1000 }];
  if (c.interp !== undefined) {
    sections.push({ name: '.interp', type: SHT.PROGBITS, flags: SHF.ALLOC, data: new TextEncoder().encode(`${c.interp}\0`) });
    segments.push({ type: PT.INTERP, section: '.interp' });
  }
  if (syms.length > 0 || c.dynamic !== undefined) {
    sections.push({ name: '.dynstr', type: SHT.STRTAB, flags: SHF.ALLOC, data: strtab.bytes });
    sections.push({ name: '.dynsym', type: SHT.DYNSYM, flags: SHF.ALLOC, link: '.dynstr', info: 1, align: 8, entsize: enc.is64 ? 24 : 16, data: symbolTable(enc, syms, strtab.offset) });
  }
  if (c.dynamic !== undefined) {
    const entries = c.dynamic.map(([t, v]): [number, number] => [t, typeof v === 'string' ? strtab.offset(v) : v]);
    sections.push({ name: '.dynamic', type: SHT.DYNAMIC, flags: SHF.ALLOC | SHF.WRITE, link: '.dynstr', align: 8, entsize: enc.is64 ? 16 : 8, data: dynamicTable(enc, entries) });
    segments.push({ type: PT.DYNAMIC, section: '.dynamic', flags: 6 });
  }
  for (const f of c.stacks ?? [6]) segments.push({ type: PT.GNU_STACK, flags: f });
  segments.push(...(c.extraSegments ?? []));
  sections.push(...(c.extraSections ?? []));
  return buildElf({ ...enc, machine: c.machine ?? EM.X86_64, type: c.type ?? ET.DYN, segments, sections, noSectionHeaders: c.noSectionHeaders }).bytes;
}

/** A `.go.buildinfo` header (go1.18+ inline strings) naming `version`. */
function goBuildInfo(version: string): Uint8Array {
  const head = new Uint8Array(32);
  head.set(Array.from('\xff Go buildinf:', (ch) => ch.charCodeAt(0)));
  head[14] = 8;
  head[15] = 2;
  const v = new TextEncoder().encode(version);
  return Uint8Array.from([...head, v.length, ...v, 0]);
}

describe('toolchains: no false failure where a property cannot apply', () => {
  it('a static Go binary', () => {
    const a = analyseBytes(craft({ type: ET.EXEC, extraSections: [{ name: '.go.buildinfo', type: SHT.PROGBITS, flags: SHF.ALLOC | SHF.WRITE, align: 16, data: goBuildInfo('go1.21.4') }] }));
    expect(a.kind).toBe('static-executable');
    for (const id of ['stack-protector', 'fortify', 'stack-clash', 'relro', 'bindnow', 'cet-ibt', 'cet-shstk'] as const) {
      expect(a.checks[id]?.status, id).toBe('not-applicable');
    }
    expect(a.checks.pie?.status).toBe('fail');
    expect(a.checks.pie?.remedy).toBe('build with go build -buildmode=pie');
    expect(a.checks.toolchain?.value).toBe('go1.21.4, no libc');
  });

  it('a Go binary known only by its build ID note (no section headers)', () => {
    const enc = X64;
    const goNote = note(enc, 'Go', 4, new TextEncoder().encode('abc/def'));
    const bytes = craft({ type: ET.EXEC, noSectionHeaders: true, extraSections: [{ name: '.note.go', type: SHT.NOTE, flags: SHF.ALLOC, align: 4, data: goNote }], extraSegments: [{ type: PT.NOTE, section: '.note.go', align: 4 }] });
    const a = analyseBytes(bytes, { checks: ['stack-protector', 'toolchain'] });
    expect(a.checks['stack-protector']?.status).toBe('not-applicable');
    expect(a.checks.toolchain?.evidence).toContain('Go build ID note');
  });

  it('a Rust binary: fortify and canaries do not apply', () => {
    const a = analyseBytes(craft({ interp: '/lib64/ld-linux-x86-64.so.2', imports: ['memcpy', 'write', 'read'], defines: ['rust_begin_unwind'] }), { checks: ['fortify', 'stack-protector', 'toolchain'] });
    expect(a.checks.fortify?.status).toBe('not-applicable');
    expect(a.checks.fortify?.evidence).toContain('Rust binary (symbol rust_begin_unwind)');
    expect(a.checks['stack-protector']?.status).toBe('not-applicable');
  });

  it('a stripped Rust binary: found through .debug_gdb_scripts (Debian strips the symbols)', () => {
    const scripts = new TextEncoder().encode('\u0001gdb_load_rust_pretty_printers.py\u0000');
    const bytes = craft({ interp: '/lib64/ld-linux-x86-64.so.2', imports: ['memcpy', 'read'], extraSections: [{ name: '.debug_gdb_scripts', type: SHT.PROGBITS, flags: SHF.ALLOC, data: scripts }] });
    const a = analyseBytes(bytes, { checks: ['fortify', 'toolchain'] });
    expect(a.checks.fortify?.status).toBe('not-applicable');
    expect(a.checks.toolchain?.evidence).toContain('gdb_load_rust_pretty_printers');
    // The same file without the section is a C program that calls memcpy and read unfortified.
    expect(analyseBytes(craft({ interp: '/lib64/ld-linux-x86-64.so.2', imports: ['memcpy', 'read'] }), { checks: ['fortify'] }).checks.fortify?.status).not.toBe('not-applicable');
  });

  it('Rust found through mangled core::panicking names', () => {
    const a = analyseBytes(craft({ interp: '/lib64/ld-linux-x86-64.so.2', imports: ['read'], defines: ['_ZN4core9panicking5panic17h0123456789abcdefE'] }), { checks: ['fortify'] });
    expect(a.checks.fortify?.evidence).toContain('core::panicking');
  });

  // Each Rust mark on its own, with the evidence it gives (the searches that cannot succeed are
  // skipped, so each must still be found by itself), and a C name that merely contains "rust_".
  it.each([
    [{ imports: ['read', 'rust_eh_personality'] }, 'symbol rust_eh_personality'],
    [{ imports: ['read'], defines: ['rust_begin_unwind'] }, 'symbol rust_begin_unwind'],
    [{ imports: ['read'], defines: ['_ZN4core9panicking5panic17h0123456789abcdefE', '_ZN3std2rt10lang_start17h0123456789abcdefE'] }, 'symbols of core::panicking (Rust)'],
    [{ imports: ['read'], defines: ['_ZN3std2rt10lang_start17h0123456789abcdefE'] }, 'symbols of std::rt (Rust)'],
    [{ imports: ['read'], defines: ['_RNvNtCs1a2b3c_4core9panicking5panic'] }, 'symbols of core::panicking (Rust, v0 mangling)'],
    // The searches start at a digit inside the mangled fragment: C names holding that part
    // alone come first in the table and must not stop the search.
    [{ imports: ['read'], defines: ['v9panic_count', 'x3std2rt_rate', '_ZN3std2rt10lang_start17h0123456789abcdefE'] }, 'symbols of std::rt (Rust)'],
    [{ imports: ['read'], defines: ['v9panic_count', 'core9panicking_count', '_RNvNtCs1a2b3c_4core9panicking5panic'] }, 'symbols of core::panicking (Rust, v0 mangling)'],
  ])('Rust marks: %o gives "%s"', (symbols, evidence) => {
    const a = analyseBytes(craft({ interp: '/lib64/ld-linux-x86-64.so.2', ...symbols }), { checks: ['fortify'] });
    expect(a.checks.fortify?.evidence).toBe(`Rust binary (${evidence}): Rust does not use C headers, so _FORTIFY_SOURCE cannot apply`);
  });

  it('a C name containing "rust_" is not a Rust mark', () => {
    const a = analyseBytes(craft({ interp: '/lib64/ld-linux-x86-64.so.2', imports: ['read', 'trust_store_open'], defines: ['my_rust_begin_unwind_hook'] }), { checks: ['fortify'] });
    expect(a.checks.fortify?.status).toBe('fail');
  });

  it('C names holding only part of a Rust fragment are not Rust marks', () => {
    const a = analyseBytes(craft({ interp: '/lib64/ld-linux-x86-64.so.2', imports: ['read'], defines: ['v9panic_count', 'core9panicking', 'x3std2rt', '_ZN3std2r', 'a_ZN3std2rt'] }), { checks: ['fortify'] });
    expect(a.checks.fortify?.status).toBe('fail');
  });

  // A static binary's C library is known by the start-up code it defines (`definedAmong`).
  it.each([
    [['__libc_setup_tls', 'main'], 'glibc', 'static, defines __libc_setup_tls'],
    [['main', '_dl_relocate_static_pie@GLIBC_PRIVATE'], 'glibc', 'static, defines _dl_relocate_static_pie'],
    [['__init_libc', '__libc_start_init', 'main'], 'musl', 'static, defines __init_libc'],
    [['__dls2', 'main'], 'musl', 'static, defines __dls2'],
    [['__libc_setup', '__init_lib', 'main'], 'unknown', 'static, no C library marks in .symtab'],
  ])('static C library marks: %o', (defines, libc, evidence) => {
    const symtab = stringTable(defines);
    const syms: SymbolSpec[] = defines.map((name) => ({ name, type: STT.FUNC, bind: STB.GLOBAL, shndx: 1, value: 0x1000, size: 4 }));
    const extraSections: SectionSpec[] = [
      { name: '.strtab', type: SHT.STRTAB, data: symtab.bytes },
      { name: '.symtab', type: SHT.SYMTAB, link: '.strtab', info: 1, align: 8, entsize: 24, data: symbolTable(X64, syms, symtab.offset) },
    ];
    const a = analyseBytes(craft({ type: ET.EXEC, extraSections }), { checks: ['toolchain'] });
    expect(a.checks.toolchain?.evidence).toContain(`C library: ${libc} (${evidence})`);
  });

  it('a separate debug file of a C library (dynamic symbols NOBITS): canary functions defined in .symtab are not a failure', () => {
    const names = ['__stack_chk_fail', 'memcpy', '_dl_find_object'];
    const symtab = stringTable(names);
    const syms: SymbolSpec[] = names.map((name) => ({ name, type: STT.FUNC, bind: STB.GLOBAL, shndx: 1, value: 0x1000, size: 4 }));
    const extraSections: SectionSpec[] = [
      { name: '.dynsym', type: SHT.NOBITS, flags: SHF.ALLOC, align: 8, entsize: 24, data: new Uint8Array(0), sizeOverride: 0x90 },
      { name: '.strtab', type: SHT.STRTAB, data: symtab.bytes },
      { name: '.symtab', type: SHT.SYMTAB, link: '.strtab', info: 1, align: 8, entsize: 24, data: symbolTable(X64, syms, symtab.offset) },
    ];
    const a = analyseBytes(craft({ type: ET.DYN, extraSections }), { checks: ['stack-protector'] });
    expect(a.kind).toBe('shared-library');
    expect(a.checks['stack-protector']?.status).toBe('unknown');
    expect(a.checks['stack-protector']?.evidence).toBe(
      'this file defines the canary functions itself (a C library): __stack_chk_fail defined, which only shows that the C library supports canaries; no recorded compile flags to tell whether this code has canaries',
    );
  });

  it('a separate debug file (code sections NOBITS): stack-clash says the code is not there instead of "no frame needed probing"', () => {
    const sections: SectionSpec[] = [
      { name: '.text', type: SHT.NOBITS, flags: SHF.ALLOC | SHF.EXECINSTR, align: 16, data: new Uint8Array(0), sizeOverride: 0x4000 },
      { name: '.comment', type: SHT.PROGBITS, data: new TextEncoder().encode('GCC: (Debian 12.2.0-14) 12.2.0\0') },
    ];
    const bytes = buildElf({ ...X64, machine: EM.X86_64, type: ET.DYN, segments: [{ type: PT.GNU_STACK, flags: 6 }], sections }).bytes;
    const a = analyseBytes(bytes, { checks: ['stack-clash'] });
    expect(a.checks['stack-clash']).toEqual({
      status: 'unknown',
      evidence: 'the code is not in this file: its executable sections are NOBITS, as in a separate debug file, and no recorded compile flags',
      remedy: 'build with -g or -frecord-gcc-switches so the flags are recorded',
    });
  });

  it('musl: fortify has no __*_chk functions to see', () => {
    const a = analyseBytes(craft({ interp: '/lib/ld-musl-x86_64.so.1', dynamic: [[DT.NEEDED, 'libc.so']], imports: ['memcpy', 'printf', '__stack_chk_fail'] }), { checks: ['fortify', 'stack-protector', 'toolchain'] });
    expect(a.checks.fortify?.status).toBe('not-applicable');
    expect(a.checks.fortify?.evidence).toContain('musl C library (interpreter /lib/ld-musl-x86_64.so.1)');
    expect(a.checks['stack-protector']?.status).toBe('pass');
    expect(a.checks.toolchain?.value).toBe('musl');
  });

  it('a C program importing only plain printf fails fortify (glibc)', () => {
    const a = analyseBytes(craft({ interp: '/lib64/ld-linux-x86-64.so.2', dynamic: [[DT.NEEDED, 'libc.so.6']], imports: ['printf', 'strcpy'] }), { checks: ['fortify'] });
    expect(a.checks.fortify?.status).toBe('fail');
    expect(a.checks.fortify?.evidence).toBe('no checked variant imported; unprotected (2): printf, strcpy');
  });

  it('fortify counts the _2 forms as protected and never plain open as unprotected', () => {
    const a = analyseBytes(craft({ interp: '/lib64/ld-linux-x86-64.so.2', imports: ['open', '__open_2', '__longjmp_chk', 'siglongjmp'] }), { checks: ['fortify'] });
    expect(a.checks.fortify?.value).toBe('partial');
    expect(a.checks.fortify?.evidence).toContain('protected (2): longjmp, open');
    expect(a.checks.fortify?.evidence).toContain('unprotected (1): siglongjmp');
  });

  it('the C library itself: exporting __stack_chk_fail proves nothing', () => {
    const a = analyseBytes(craft({ interp: '/lib64/ld-linux-x86-64.so.2', dynamic: [[DT.SONAME, 'libc.so.6']], defines: ['__stack_chk_fail', 'memcpy'] }), { checks: ['stack-protector', 'pie'] });
    expect(a.kind).toBe('runnable-shared-library');
    expect(a.checks['stack-protector']?.status).toBe('unknown');
    expect(a.checks['stack-protector']?.evidence).toContain('a C library');
  });
});

describe('kinds', () => {
  it('static-pie: ET_DYN, DF_1_PIE, no PT_INTERP', () => {
    const a = analyseBytes(craft({ dynamic: [[DT.FLAGS_1, DF_1.PIE | DF_1.NOW]] }), { checks: ['pie', 'bindnow'] });
    expect(a.kind).toBe('static-pie');
    expect(a.checks.pie?.evidence).toBe('ET_DYN, no PT_INTERP, DF_1_PIE: static-pie executable');
    expect(a.checks.bindnow?.status).toBe('pass');
  });

  it('a core dump: the hardening checks do not apply', () => {
    const a = analyseBytes(craft({ type: ET.CORE }));
    expect(a.kind).toBe('core');
    for (const id of ['pie', 'relro', 'nx', 'rwx', 'stack-protector', 'fortify', 'stack-clash', 'cet-ibt'] as const) expect(a.checks[id]?.status, id).toBe('not-applicable');
  });
});

describe('structures', () => {
  it('a missing PT_GNU_STACK means an executable stack on x86-64, not on aarch64 or riscv', () => {
    const x = analyseBytes(craft({ stacks: [] }), { checks: ['nx'] });
    expect(x.checks.nx?.status).toBe('fail');
    expect(x.checks.nx?.evidence).toBe('no PT_GNU_STACK program header: the stack is executable by default on x86-64');
    for (const machine of [EM.AARCH64, EM.RISCV]) {
      const a = analyseBytes(craft({ machine, stacks: [] }), { checks: ['nx'] });
      expect(a.checks.nx?.status).toBe('pass');
      expect(a.checks.nx?.evidence).toMatch(/default is a non-executable stack$/);
    }
  });

  it('the last PT_GNU_STACK wins', () => {
    const a = analyseBytes(craft({ stacks: [7, 6] }), { checks: ['nx'] });
    expect(a.checks.nx?.status).toBe('pass');
    expect(a.checks.nx?.evidence).toContain('last of 2 PT_GNU_STACK headers');
    expect(analyseBytes(craft({ stacks: [6, 7] }), { checks: ['nx'] }).checks.nx?.status).toBe('fail');
  });

  it('an executable PT_TLS is an RWX segment', () => {
    const a = analyseBytes(craft({ extraSegments: [{ type: PT.TLS, flags: 5, offset: 0, filesz: 16 }] }), { checks: ['rwx'] });
    expect(a.checks.rwx?.status).toBe('fail');
    expect(a.checks.rwx?.evidence).toMatch(/PT_TLS\[\d+\] has PF_X/);
  });

  it('each form of immediate binding counts: DT_BIND_NOW, DF_BIND_NOW, DF_1_NOW', () => {
    for (const [entry, word] of [
      [[DT.BIND_NOW, 0], 'DT_BIND_NOW'],
      [[DT.FLAGS, DF.BIND_NOW], 'DF_BIND_NOW in DT_FLAGS'],
      [[DT.FLAGS_1, DF_1.NOW], 'DF_1_NOW in DT_FLAGS_1'],
    ] as const) {
      const a = analyseBytes(craft({ interp: '/lib/ld.so', dynamic: [[DT.JMPREL, 0x100], [DT.PLTRELSZ, 24], entry] }), { checks: ['bindnow'] });
      expect(a.checks.bindnow?.status).toBe('pass');
      expect(a.checks.bindnow?.evidence).toBe(word);
    }
    const lazy = analyseBytes(craft({ interp: '/lib/ld.so', dynamic: [[DT.JMPREL, 0x100], [DT.PLTRELSZ, 24], [DT.FLAGS, DF.TEXTREL]] }), { checks: ['bindnow', 'textrel'] });
    expect(lazy.checks.bindnow?.status).toBe('fail');
    expect(lazy.checks.textrel?.status).toBe('fail');
    expect(lazy.checks.textrel?.evidence).toContain('DF_TEXTREL in DT_FLAGS');
  });

  it('MIPS binds lazily through its GOT without DT_JMPREL', () => {
    const a = analyseBytes(craft({ machine: EM.MIPS, enc: { is64: false, littleEndian: false }, interp: '/lib/ld.so.1', dynamic: [[DT.NEEDED, 'libc.so.6']] }), { checks: ['bindnow'] });
    expect(a.checks.bindnow?.status).toBe('fail');
    expect(a.checks.bindnow?.evidence).toContain('MIPS GOT entries');
  });

  it('CET is not applicable on s390x, BTI on x86-64', () => {
    const s = analyseBytes(craft({ machine: EM.S390, enc: { is64: true, littleEndian: false } }), { checks: ['cet-ibt', 'bti'] });
    expect(s.checks['cet-ibt']?.status).toBe('not-applicable');
    expect(s.checks['cet-ibt']?.evidence).toBe('s390x: Intel CET (IBT) exists only on x86');
    expect(s.checks.bti?.status).toBe('not-applicable');
  });
});

describe('code windows', () => {
  it('a pattern across a window boundary is seen once', () => {
    const code = new Uint8Array(200);
    const mark = [0xde, 0xad, 0xbe, 0xef];
    for (const at of [10, 62, 126, 190]) code.set(mark, at);
    const bytes = buildElf({ ...X64, machine: EM.X86_64, type: ET.DYN, sections: [{ name: '.text', type: SHT.PROGBITS, flags: SHF.ALLOC | SHF.EXECINSTR, data: code }] }).bytes;
    const elf = ElfFile.open(new BufferSource(bytes));
    let hits = 0;
    let windows = 0;
    forEachCodeWindow(
      elf,
      (w) => {
        windows++;
        for (let i = 0; i + 4 <= w.bytes.length; i++) {
          if (i < w.ownEnd && w.bytes[i] === 0xde && w.bytes[i + 1] === 0xad && w.bytes[i + 2] === 0xbe && w.bytes[i + 3] === 0xef) hits++;
        }
      },
      64,
      3,
    );
    expect(windows).toBe(4);
    expect(hits).toBe(4);
  });
});

describe('hostile input', () => {
  /** A deterministic generator, so a failure can be replayed. */
  function rng(seed: number): () => number {
    let s = seed >>> 0;
    return () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 2 ** 32;
    };
  }

  const original = new Uint8Array(readFileSync(gcc(BUFFERS, ['-O2', '-g', '-D_FORTIFY_SOURCE=2', '-fstack-protector-strong'], 'fuzz-base')));

  function everyVerdictSane(bytes: Uint8Array): void {
    let a;
    try {
      a = analyseBytes(bytes);
    } catch (e) {
      // Only the ELF header itself may be refused (the scan reports the file as unreadable).
      expect((e as Error).name).toMatch(/ElfFormatError|NotElfError/);
      return;
    }
    for (const [id, v] of Object.entries(a.checks)) {
      expect(STATUSES, id).toContain(v.status);
      expect(v.evidence.length, id).toBeGreaterThan(0);
      // A damaged file is an input error; a TypeError or RangeError would be a defect of ours.
      expect(v.evidence, id).not.toContain('internal error');
    }
  }

  it('survives truncation at any length', () => {
    for (const len of [0, 4, 16, 63, 64, 100, 500, 1000, 4096, 8000, Math.floor(original.length / 2), original.length - 1]) {
      everyVerdictSane(original.subarray(0, len));
    }
  });

  it('survives random corruption of headers, tables and debug sections', () => {
    const next = rng(12345);
    for (let round = 0; round < 150; round++) {
      const b = Uint8Array.from(original);
      const flips = 1 + Math.floor(next() * 8);
      for (let k = 0; k < flips; k++) {
        // Half the time hit the first 4 KiB (headers, dynamic, symbols), else anywhere.
        const at = next() < 0.5 ? Math.floor(next() * Math.min(4096, b.length)) : Math.floor(next() * b.length);
        b[at] = Math.floor(next() * 256);
      }
      everyVerdictSane(b);
    }
  });

  it('a garbage .debug_info: compile-flags unknown with the problem named', () => {
    const garbage = new Uint8Array(64).fill(0xff);
    const a = analyseBytes(craft({ extraSections: [
      { name: '.debug_info', type: SHT.PROGBITS, data: garbage },
      { name: '.debug_abbrev', type: SHT.PROGBITS, data: Uint8Array.of(0) },
    ] }), { checks: ['compile-flags', 'stack-protector'] });
    expect(a.checks['compile-flags']?.status).toBe('unknown');
    expect(a.checks['compile-flags']?.evidence).toContain('problems:');
  });

  it('a compressed section declaring a huge size is refused before allocation', () => {
    const w = new Uint8Array(24 + 8);
    const dv = new DataView(w.buffer);
    dv.setUint32(0, 1, true);
    dv.setUint32(8, 0, true);
    dv.setUint32(12, 0x10, true); // ch_size = 0x10_0000_0000 (64 GiB)
    const a = analyseBytes(craft({ extraSections: [
      { name: '.debug_info', type: SHT.PROGBITS, flags: SHF.COMPRESSED, align: 8, data: w },
      { name: '.debug_abbrev', type: SHT.PROGBITS, data: Uint8Array.of(0) },
    ] }), { checks: ['compile-flags', 'debuginfo'] });
    expect(a.checks['compile-flags']?.status).toBe('unknown');
    expect(a.checks['compile-flags']?.evidence).toContain('maxDecompressedBytes');
    expect(a.checks.debuginfo?.value).toBe('yes');
  });
});
