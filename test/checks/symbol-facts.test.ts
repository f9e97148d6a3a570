/**
 * SymbolFacts answers questions about names without decoding every name: the defined names of a
 * static binary are looked up by their first two bytes (`definedAmong`), and the runtime names
 * checks ask about ("__*", "rust_*") are noted as a table is read. Each answer is held against
 * a plain decode: readelf's for a real static binary, the names themselves for crafted tables.
 */
import { describe, expect, it } from 'vitest';
import { collectSymbols } from '../../src/checks/facts/symbols.js';
import { FORTIFY_NAMES } from '../../src/checks/facts/fortify-functions.js';
import { ElfFile, EM, ET, SHF, SHN, SHT, STB, STT } from '../../src/elf/index.js';
import { BufferSource } from '../../src/io/byte-source.js';
import { FileSource } from '../../src/io/file-source.js';
import { buildElf, type Encoding, type SectionSpec, symbolTable, type SymbolSpec } from '../helpers/elf-builder.js';
import { gcc, run } from '../helpers/gcc.js';
import { BUFFERS } from './sources.js';

const X64: Encoding = { is64: true, littleEndian: true };

/** readelf's defined names (not UND, not SECTION/FILE), versions cut, as a set. */
function readelfDefined(path: string): Set<string> {
  const out = run('readelf', ['-sW', path]).stdout;
  const names = new Set<string>();
  for (const line of out.split('\n')) {
    const f = line.trim().split(/\s+/);
    // Num: Value Size Type Bind Vis Ndx Name
    if (f.length < 8 || !/^\d+:$/.test(f[0] ?? '')) continue;
    const [type, ndx, name] = [f[3], f[6], f.slice(7).join(' ')];
    if (ndx === 'UND' || type === 'SECTION' || type === 'FILE' || name === '') continue;
    const at = name.indexOf('@');
    names.add(at > 0 ? name.slice(0, at) : name);
  }
  return names;
}

/** A static executable whose .symtab holds `names` with its own string table bytes. */
function staticWith(strtab: Uint8Array, syms: readonly SymbolSpec[], offsetOf: (name: string) => number): ElfFile {
  const sections: SectionSpec[] = [
    { name: '.text', type: SHT.PROGBITS, flags: SHF.ALLOC | SHF.EXECINSTR, align: 16, data: new Uint8Array(16).fill(0xc3) },
    { name: '.strtab', type: SHT.STRTAB, data: strtab },
    { name: '.symtab', type: SHT.SYMTAB, link: '.strtab', info: 1, align: 8, entsize: 24, data: symbolTable(X64, syms, offsetOf) },
  ];
  const bytes = buildElf({ ...X64, machine: EM.X86_64, type: ET.EXEC, segments: [], sections }).bytes;
  return ElfFile.open(new BufferSource(bytes, 'crafted'));
}

/** A string table of `parts` joined by NUL, and each part's offset. */
function table(parts: readonly string[]): { bytes: Uint8Array; at: Map<string, number> } {
  const at = new Map<string, number>();
  let text = '\0';
  for (const p of parts) {
    at.set(p, text.length);
    text += `${p}\0`;
  }
  return { bytes: new TextEncoder().encode(text), at };
}

const defined = (name: string): SymbolSpec => ({ name, type: STT.FUNC, bind: STB.GLOBAL, shndx: 1, value: 0x1000, size: 4 });

describe('definedAmong', () => {
  it('finds exactly the fortify names readelf shows defined in a static glibc binary', () => {
    const path = gcc(BUFFERS, ['-O2', '-static', '-D_FORTIFY_SOURCE=2'], 'fort-static');
    const src = FileSource.open(path);
    try {
      const found = collectSymbols(ElfFile.open(src)).definedAmong(FORTIFY_NAMES);
      const all = readelfDefined(path);
      const expected = FORTIFY_NAMES.filter((n) => all.has(n)).sort();
      expect(expected).toContain('__memcpy_chk');
      expect([...found].sort()).toEqual(expected);
    } finally {
      src.close();
    }
  });

  it('cuts versions, and tells names apart that share their first bytes', () => {
    const names = ['memcpy@GLIBC_2.2.5', 'mem', 'memcpyx', 'm', 'pr', 'printf@@V1', 'x@', '__chk_fail'];
    const t = table(names);
    const elf = staticWith(t.bytes, names.map((n) => defined(n)), (n) => t.at.get(n) ?? 0);
    const found = collectSymbols(elf).definedAmong(['memcpy', 'memmove', 'm', 'printf', 'pr', 'x', '__chk_fail', 'memcpyx']);
    expect([...found].sort()).toEqual(['__chk_fail', 'm', 'memcpy', 'memcpyx', 'pr', 'printf', 'x']);
  });

  it('ignores undefined entries and names past the end of the string table', () => {
    const t = table(['memcpy', 'printf']);
    const syms: SymbolSpec[] = [{ name: 'memcpy', type: STT.FUNC, bind: STB.GLOBAL, shndx: SHN.UNDEF }, defined('printf'), defined('far')];
    const elf = staticWith(t.bytes, syms, (n) => (n === 'far' ? 10_000 : (t.at.get(n) ?? 0)));
    expect([...collectSymbols(elf).definedAmong(['memcpy', 'printf', 'far'])]).toEqual(['printf']);
  });
});

describe('reserved names noted while reading', () => {
  it('a Rust runtime name is found where its entry points into a longer string (tail merging)', () => {
    // "__rust_begin_unwind" holds "rust_begin_unwind" two bytes in; a linker may point there.
    const t = table(['__rust_begin_unwind', 'read']);
    const start = t.at.get('__rust_begin_unwind') ?? 0;
    const elf = staticWith(t.bytes, [defined('rust_begin_unwind')], () => start + 2);
    const syms = collectSymbols(elf);
    expect(syms.has('rust_begin_unwind')).toBe(true);
    expect(syms.has('__rust_begin_unwind')).toBe(false);
    expect(syms.defines('rust_eh_personality')).toBe(false);
  });

  it('versioned Rust and "__" names are found without their versions; names that only contain "rust_" are not', () => {
    const names = ['rust_eh_personality@@V1', '__asan_init@V2', 'x509_trust_file', 'trust_begin_unwind', 'rust'];
    const t = table(names);
    const syms = collectSymbols(staticWith(t.bytes, names.map((n) => defined(n)), (n) => t.at.get(n) ?? 0));
    expect(syms.defines('rust_eh_personality')).toBe(true);
    expect(syms.defines('__asan_init')).toBe(true);
    expect(syms.defines('rust_begin_unwind')).toBe(false);
    expect(syms.withPrefix('__asan_')).toBe('__asan_init');
    // Other names are still found by a search of the table.
    expect(syms.defines('x509_trust_file')).toBe(true);
    expect(syms.defines('rust')).toBe(true);
  });

  it('names in the last bytes of the string table are noted like the others', () => {
    // The reader tests five bytes of each name at once, reading past the table's end as 0;
    // "__" and "rust_" names are answered from what it noted, the others by a search.
    for (const last of ['rust_', '__', '__x', 'rust', 'ru', 'r', '_']) {
      const names = ['__asan_init', 'main', last];
      const t = table(names);
      const syms = collectSymbols(staticWith(t.bytes, names.map((n) => defined(n)), (n) => t.at.get(n) ?? 0));
      expect(syms.defines('__asan_init'), last).toBe(true);
      expect(syms.defines(last), last).toBe(true);
      expect(syms.defines('rust_'), last).toBe(last === 'rust_');
      expect(syms.defines('__x'), last).toBe(last === '__x');
    }
  });

  it('a table without its final NUL still has its last "__" name noted, cut at the end as readelf does', () => {
    // "\0main\0__x" with no terminator: the reader notes "__x" from its first two bytes.
    const bytes = new TextEncoder().encode('\0main\0__x');
    const elf = staticWith(bytes, [defined('main'), defined('__x')], (n) => (n === 'main' ? 1 : 6));
    const syms = collectSymbols(elf);
    expect(syms.defines('main')).toBe(true);
    expect(syms.defines('__x')).toBe(true);
    expect(syms.withPrefix('__')).toBe('__x');
  });
});
