import { describe, expect, it } from 'vitest';
import {
  DF_1,
  DT,
  ElfFile,
  ElfFormatError,
  EM,
  ET,
  GNU_PROPERTY,
  NotElfError,
  PT,
  SHF,
  SHN,
  SHT,
  STB,
  STT,
  X86_FEATURE_1,
} from '../../src/elf/index.js';
import { BufferSource, ShortReadError } from '../../src/io/byte-source.js';
import { DEFAULT_LIMITS, LimitError } from '../../src/limits.js';
import { buildElf, dynamicTable, type Encoding, gnuPropertyDesc, note, type SectionSpec, stringTable, symbolTable } from '../helpers/elf-builder.js';

const ENCODINGS: readonly (Encoding & { label: string; machine: number })[] = [
  { label: 'ELF64 little-endian x86-64', is64: true, littleEndian: true, machine: EM.X86_64 },
  { label: 'ELF64 big-endian s390x', is64: true, littleEndian: false, machine: EM.S390 },
  { label: 'ELF32 little-endian i386', is64: false, littleEndian: true, machine: EM['386'] },
  { label: 'ELF32 big-endian mips', is64: false, littleEndian: false, machine: EM.MIPS },
];

/** A small dynamically linked PIE: interpreter, dynamic section, dynsym, notes, RELRO. */
function samplePie(enc: Encoding & { machine: number }): Uint8Array {
  const dynstr = stringTable(['libc.so.6', 'libfoo.so.1', '$ORIGIN/../lib', 'memcpy', '__memcpy_chk', 'main']);
  const dynsym = symbolTable(
    enc,
    [
      { name: '__memcpy_chk', type: STT.FUNC, bind: STB.GLOBAL, shndx: SHN.UNDEF },
      { name: 'memcpy', type: STT.FUNC, bind: STB.GLOBAL, shndx: SHN.UNDEF },
      { name: 'main', type: STT.FUNC, bind: STB.GLOBAL, shndx: 1, value: 0x40, size: 16 },
    ],
    dynstr.offset,
  );
  const interp = new TextEncoder().encode('/lib/ld-linux.so.2\0');
  const props = note(enc, 'GNU', 5, gnuPropertyDesc(enc, [[GNU_PROPERTY.X86_FEATURE_1_AND, X86_FEATURE_1.IBT | X86_FEATURE_1.SHSTK]]), enc.is64 ? 8 : 4);
  const buildId = note(enc, 'GNU', 3, Uint8Array.of(0xde, 0xad, 0xbe, 0xef));
  // Two passes: section offsets are needed for DT_STRTAB/DT_SYMTAB, and they do not move
  // when only the dynamic entries' values change.
  const sections = (dyn: Uint8Array): SectionSpec[] => [
    { name: '.interp', type: SHT.PROGBITS, flags: SHF.ALLOC, data: interp },
    { name: '.note.gnu.property', type: SHT.NOTE, flags: SHF.ALLOC, align: 8, data: props },
    { name: '.note.gnu.build-id', type: SHT.NOTE, flags: SHF.ALLOC, align: 4, data: buildId },
    { name: '.dynsym', type: SHT.DYNSYM, flags: SHF.ALLOC, link: '.dynstr', info: 1, align: 8, entsize: enc.is64 ? 24 : 16, data: dynsym },
    { name: '.dynstr', type: SHT.STRTAB, flags: SHF.ALLOC, data: dynstr.bytes },
    { name: '.text', type: SHT.PROGBITS, flags: SHF.ALLOC | SHF.EXECINSTR, align: 16, data: new Uint8Array(64).fill(0x90) },
    { name: '.dynamic', type: SHT.DYNAMIC, flags: SHF.ALLOC | SHF.WRITE, link: '.dynstr', align: 8, entsize: enc.is64 ? 16 : 8, data: dyn },
  ];
  const dynEntries = (strtab: number, symtab: number): [number, number][] => [
    [DT.NEEDED, dynstr.offset('libc.so.6')],
    [DT.NEEDED, dynstr.offset('libfoo.so.1')],
    [DT.RUNPATH, dynstr.offset('$ORIGIN/../lib')],
    [DT.STRTAB, strtab],
    [DT.STRSZ, dynstr.bytes.length],
    [DT.SYMTAB, symtab],
    [DT.SYMENT, enc.is64 ? 24 : 16],
    [DT.FLAGS_1, DF_1.NOW | DF_1.PIE],
  ];
  const segments = [
    { type: PT.PHDR, offset: enc.is64 ? 64 : 52, filesz: (enc.is64 ? 56 : 32) * 7, vaddr: enc.is64 ? 64 : 52 },
    { type: PT.INTERP, section: '.interp' },
    { type: PT.LOAD, wholeFile: true, flags: 5, align: 0x1000 },
    { type: PT.DYNAMIC, section: '.dynamic', flags: 6 },
    { type: PT.NOTE, section: '.note.gnu.build-id' },
    { type: PT.GNU_RELRO, section: '.dynamic' },
    { type: PT.GNU_STACK, flags: 6 },
  ];
  const base = { ...enc, type: ET.DYN, segments };
  const first = buildElf({ ...base, sections: sections(dynamicTable(enc, dynEntries(0, 0))) });
  return buildElf({ ...base, sections: sections(dynamicTable(enc, dynEntries(first.offsetOf('.dynstr'), first.offsetOf('.dynsym')))) }).bytes;
}

describe('ELF reader over crafted files in every class and byte order', () => {
  for (const enc of ENCODINGS) {
    describe(enc.label, () => {
      const elf = ElfFile.open(new BufferSource(samplePie(enc), 'sample'));

      it('reads the file header', () => {
        expect(elf.header.is64).toBe(enc.is64);
        expect(elf.header.littleEndian).toBe(enc.littleEndian);
        expect(elf.header.type).toBe(ET.DYN);
        expect(elf.header.machine).toBe(enc.machine);
      });

      it('reads program headers and the interpreter', () => {
        expect(elf.programHeaders.map((p) => p.type)).toEqual([PT.PHDR, PT.INTERP, PT.LOAD, PT.DYNAMIC, PT.NOTE, PT.GNU_RELRO, PT.GNU_STACK]);
        expect(elf.interpreter).toBe('/lib/ld-linux.so.2');
        expect(elf.segments(PT.GNU_STACK)[0]?.flags).toBe(6);
      });

      it('reads section headers with their names', () => {
        expect(elf.sections.map((s) => s.name)).toEqual(['', '.interp', '.note.gnu.property', '.note.gnu.build-id', '.dynsym', '.dynstr', '.text', '.dynamic', '.shstrtab']);
        expect(elf.codeSections.map((s) => s.name)).toEqual(['.text']);
        const text = elf.section('.text');
        expect(text).toBeDefined();
        if (text !== undefined) expect(elf.sectionData(text, 'maxCodeBytes')).toEqual(new Uint8Array(64).fill(0x90));
      });

      it('decodes the dynamic section through DT_STRTAB', () => {
        const d = elf.dynamic;
        expect(d?.from).toBe('segment');
        expect(d?.needed).toEqual(['libc.so.6', 'libfoo.so.1']);
        expect(d?.runpath).toBe('$ORIGIN/../lib');
        expect(d?.rpath).toBeUndefined();
        expect(d?.flags1).toBe(DF_1.NOW | DF_1.PIE);
        expect(elf.bindNow).toBe(true);
      });

      it('reads .dynsym, and the same symbols through the dynamic section when asked', () => {
        const names = elf.symbols('dynsym').map((s) => [s.name, s.type, s.shndx]);
        expect(names).toEqual([
          ['', STT.NOTYPE, 0],
          ['__memcpy_chk', STT.FUNC, 0],
          ['memcpy', STT.FUNC, 0],
          ['main', STT.FUNC, 1],
        ]);
        expect(elf.symbols('symtab')).toEqual([]);
      });

      it('walks notes with 4- and 8-byte alignment and decodes GNU properties', () => {
        expect(elf.notes.map((a) => a.notes.map((n) => `${n.name}/${n.type}`))).toEqual([['GNU/5'], ['GNU/3']]);
        expect(elf.buildId).toBe('deadbeef');
        expect(elf.featureBits(GNU_PROPERTY.X86_FEATURE_1_AND)).toBe(3);
        expect(elf.gnuProperties.errors).toEqual([]);
      });
    });
  }
});

describe('section-less files (sstrip)', () => {
  it('finds dynamic symbols through DT_HASH when there is no section table', () => {
    const enc = { is64: true, littleEndian: true };
    const dynstr = stringTable(['puts']);
    const dynsym = symbolTable(enc, [{ name: 'puts', type: STT.FUNC, shndx: 0 }], dynstr.offset);
    // SysV hash: nbucket=1, nchain=2 (the symbol count), bucket[0]=1, chain=[0,0].
    const hash = Uint8Array.of(1, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    const sections = (dyn: Uint8Array): SectionSpec[] => [
      { name: '.dynsym', type: SHT.DYNSYM, data: dynsym, align: 8 },
      { name: '.dynstr', type: SHT.STRTAB, data: dynstr.bytes },
      { name: '.hash', type: SHT.HASH, data: hash, align: 4 },
      { name: '.dynamic', type: SHT.DYNAMIC, data: dyn, align: 8 },
    ];
    const entries = (o: (n: string) => number): [number, number][] => [
      [DT.SYMTAB, o('.dynsym')],
      [DT.STRTAB, o('.dynstr')],
      [DT.STRSZ, dynstr.bytes.length],
      [DT.HASH, o('.hash')],
    ];
    const segs = [
      { type: PT.LOAD, wholeFile: true },
      { type: PT.DYNAMIC, section: '.dynamic' },
    ];
    const spec = { ...enc, machine: EM.X86_64, type: ET.DYN, segments: segs, noSectionHeaders: true };
    const first = buildElf({ ...spec, sections: sections(dynamicTable(enc, entries(() => 0))) });
    const bytes = buildElf({ ...spec, sections: sections(dynamicTable(enc, entries(first.offsetOf))) }).bytes;
    const elf = ElfFile.open(new BufferSource(bytes, 'sstripped'));
    expect(elf.sections).toEqual([]);
    expect(elf.symbols('dynsym')).toEqual([]);
    expect(elf.dynamicSymbols().map((s) => s.name)).toEqual(['', 'puts']);
  });
});

describe('malformed input is a typed error that says where', () => {
  const enc = { is64: true, littleEndian: true };
  const good = samplePie({ ...enc, machine: EM.X86_64 });

  it('a non-ELF file is NotElfError', () => {
    expect(() => ElfFile.open(new BufferSource(new TextEncoder().encode('#!/bin/sh\n'), 'script'))).toThrow(NotElfError);
  });

  it('a bad EI_CLASS names the field', () => {
    const b = good.slice();
    b[4] = 9;
    expect(() => ElfFile.open(new BufferSource(b, 'x'))).toThrow(/bad EI_CLASS 9 at byte 0x4/);
  });

  it('a file cut inside the header is reported with its size', () => {
    expect(() => ElfFile.open(new BufferSource(good.slice(0, 40), 'cut'))).toThrow(ElfFormatError);
    expect(() => ElfFile.open(new BufferSource(good.slice(0, 40), 'cut'))).toThrow(/ELF header 40/);
  });

  it('a program header table past the end of the file', () => {
    const elf = ElfFile.open(new BufferSource(good.slice(0, 100), 'cut'));
    expect(() => elf.programHeaders).toThrow(/program header table size .* runs past the end of the file \(100 bytes\)/);
  });

  it('an absurd e_phnum hits maxEntries, not the allocator', () => {
    const bytes = buildElf({ ...enc, machine: EM.X86_64, type: ET.EXEC, segments: [{ type: PT.LOAD }], headerOverrides: { phnum: 0xfffe } }).bytes;
    const elf = ElfFile.open(new BufferSource(bytes, 'x'), { ...DEFAULT_LIMITS, maxEntries: 1000 });
    expect(() => elf.programHeaders).toThrow(LimitError);
    expect(() => elf.programHeaders).toThrow(/maxEntries=1000/);
  });

  it('a program header entry size smaller than the record is refused', () => {
    const bytes = buildElf({ ...enc, machine: EM.X86_64, type: ET.EXEC, segments: [{ type: PT.LOAD }], headerOverrides: { phentsize: 8 } }).bytes;
    expect(() => ElfFile.open(new BufferSource(bytes, 'x')).programHeaders).toThrow(/program header table entry size 8/);
  });

  it('an e_shstrndx outside the table leaves names empty and records a warning', () => {
    const bytes = buildElf({ ...enc, machine: EM.X86_64, type: ET.REL, sections: [{ name: '.text', type: SHT.PROGBITS, data: Uint8Array.of(0xc3) }], headerOverrides: { shstrndx: 77 } }).bytes;
    const elf = ElfFile.open(new BufferSource(bytes, 'x'));
    expect(elf.sections.map((s) => s.name)).toEqual(['', '', '']);
    expect(elf.warnings.join()).toMatch(/e_shstrndx 77/);
  });

  it('a section whose size runs past the end of the file is an error for that section only', () => {
    const bytes = buildElf({
      ...enc,
      machine: EM.X86_64,
      type: ET.REL,
      sections: [
        { name: '.text', type: SHT.PROGBITS, data: Uint8Array.of(0xc3) },
        { name: '.data', type: SHT.PROGBITS, data: Uint8Array.of(1), sizeOverride: 0x100000 },
      ],
    }).bytes;
    const elf = ElfFile.open(new BufferSource(bytes, 'x'));
    const data = elf.section('.data');
    const text = elf.section('.text');
    if (data === undefined || text === undefined) throw new Error('sections missing');
    expect(() => elf.sectionData(data)).toThrow(/section \[2\] \.data size 1048576/);
    expect(elf.sectionData(text)).toEqual(Uint8Array.of(0xc3));
  });

  it('a note whose namesz overruns its area ends the walk with an error value', () => {
    const bad = note(enc, 'GNU', 3, Uint8Array.of(1, 2, 3, 4));
    bad[0] = 0xff; // namesz = 255
    const bytes = buildElf({ ...enc, machine: EM.X86_64, type: ET.REL, sections: [{ name: '.note', type: SHT.NOTE, align: 4, data: bad }] }).bytes;
    const elf = ElfFile.open(new BufferSource(bytes, 'x'));
    expect(elf.notes[0]?.notes).toEqual([]);
    expect(elf.notes[0]?.error).toMatch(/namesz 255 runs past the note area/);
  });

  it('a file that is shorter than its size claims gives ShortReadError from the source', () => {
    const src = new BufferSource(good.slice(0, 64), 'short');
    expect(() => src.read(60, 10)).toThrow(ShortReadError);
  });

  it('a truncated file still answers header-only questions', () => {
    const elf = ElfFile.open(new BufferSource(good.slice(0, 64), 'short'));
    expect(elf.header.type).toBe(ET.DYN);
    expect(elf.machineName).toBe('x86-64');
  });
});

describe('extended numbering', () => {
  it('takes the section count and name index from section 0 when e_shnum is 0', () => {
    const enc = { is64: false, littleEndian: false };
    const built = buildElf({ ...enc, machine: EM.PPC, type: ET.REL, sections: [{ name: '.text', type: SHT.PROGBITS, data: Uint8Array.of(0) }] });
    const b = built.bytes.slice();
    // Move e_shnum (3) and e_shstrndx (2) into section 0 (sh_size, sh_link), as the gABI says.
    const dv = new DataView(b.buffer);
    const shoff = dv.getUint32(32, false);
    dv.setUint16(48, 0, false); // e_shnum = 0
    dv.setUint16(50, 0xffff, false); // e_shstrndx = SHN_XINDEX
    dv.setUint32(shoff + 20, 3, false); // sh_size of section 0
    dv.setUint32(shoff + 24, 2, false); // sh_link of section 0
    const elf = ElfFile.open(new BufferSource(b, 'x'));
    expect(elf.sections.map((s) => s.name)).toEqual(['', '.text', '.shstrtab']);
  });
});
