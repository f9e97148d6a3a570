/**
 * The relocation type names of every table (src/elf/reloc-types) against readelf, the oracle:
 * for each architecture an object is built in memory with one relocation of every type number,
 * and the name we print must be the one `readelf -r` prints. Types readelf (binutils 2.40) does
 * not know yet, and the few where the psABI renamed a number since, are listed with the reason.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EM, SHF, SHT } from '../../src/elf/index.js';
import { relocationTable, relocationTypeName } from '../../src/elf/reloc-types/index.js';
import { CACHE, have, run } from '../helpers/gcc.js';
import { buildElf, stringTable, symbolTable, Writer } from '../helpers/elf-builder.js';

interface Arch {
  readonly name: string;
  readonly machine: number;
  readonly is64: boolean;
  readonly littleEndian: boolean;
  /** Highest type number tried. */
  readonly maxType: number;
  /** Types whose name differs from readelf 2.40's, with why. */
  readonly newerThanReadelf?: Readonly<Record<number, string>>;
}

const ARCHES: readonly Arch[] = [
  {
    name: 'x86-64',
    machine: EM.X86_64,
    is64: true,
    littleEndian: true,
    maxType: 60,
    newerThanReadelf: Object.fromEntries([43, 44, 45, 46, 47, 48, 49, 50, 51].map((t) => [t, 'APX types, psABI 2024 (binutils 2.43)'])),
  },
  { name: 'i386', machine: EM['386'], is64: false, littleEndian: true, maxType: 60 },
  {
    name: 'aarch64',
    machine: EM.AARCH64,
    is64: true,
    littleEndian: true,
    maxType: 1100,
    newerThanReadelf: { 314: 'R_AARCH64_PLT32, AAELF64 2023 (binutils 2.41)', 315: 'R_AARCH64_GOTPCREL32, AAELF64 2023 (binutils 2.41)' },
  },
  {
    name: 'arm',
    machine: EM.ARM,
    is64: false,
    littleEndian: true,
    maxType: 255,
    newerThanReadelf: {
      ...Object.fromEntries([112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 126, 127].map((t) => [t, 'R_ARM_PRIVATE_n: AAELF32 names them, binutils does not'])),
      130: 'R_ARM_THM_TLS_DESCSEQ32: in AAELF32, not named by binutils',
      131: 'R_ARM_THM_GOT_BREL12: in AAELF32, not named by binutils',
    },
  },
  { name: 'ppc64', machine: EM.PPC64, is64: true, littleEndian: true, maxType: 255 },
  { name: 's390x', machine: EM.S390, is64: true, littleEndian: false, maxType: 80 },
  {
    name: 'riscv64',
    machine: EM.RISCV,
    is64: true,
    littleEndian: true,
    maxType: 80,
    newerThanReadelf: {
      12: 'R_RISCV_TLSDESC, psABI 1.1 (binutils 2.42)',
      41: 'R_RISCV_GOT32_PCREL, psABI 1.1 (binutils 2.42)',
      59: 'R_RISCV_PLT32, psABI 1.1 (binutils 2.42)',
      60: 'R_RISCV_SET_ULEB128, psABI 1.1 (binutils 2.41)',
      61: 'R_RISCV_SUB_ULEB128, psABI 1.1 (binutils 2.41)',
      62: 'TLS descriptors, psABI 1.1 (binutils 2.42)',
      63: 'TLS descriptors, psABI 1.1 (binutils 2.42)',
      64: 'TLS descriptors, psABI 1.1 (binutils 2.42)',
      65: 'TLS descriptors, psABI 1.1 (binutils 2.42)',
    },
  },
  { name: 'mips', machine: EM.MIPS, is64: false, littleEndian: false, maxType: 255 },
];

/** An ET_REL with .text, one global symbol and a RELA section holding one relocation of each type 0..max. */
function objectWithEveryType(a: Arch): Uint8Array {
  const enc = { is64: a.is64, littleEndian: a.littleEndian };
  const str = stringTable(['sym']);
  const syms = symbolTable(enc, [{ name: 'sym', bind: 1, shndx: 0 }], str.offset);
  const w = new Writer(enc);
  for (let t = 0; t <= a.maxType; t++) {
    // r_offset = the type number, so each output line says which type it is.
    w.word(t);
    if (a.is64) w.u64((1n << 32n) | BigInt(t));
    else w.u32((1 << 8) | t);
    w.word(0);
  }
  return buildElf({
    ...enc,
    machine: a.machine,
    type: 1,
    sections: [
      { name: '.text', type: SHT.PROGBITS, flags: SHF.ALLOC | SHF.EXECINSTR, data: new Uint8Array(a.maxType + 16), align: 4 },
      { name: '.strtab', type: SHT.STRTAB, data: str.bytes },
      { name: '.symtab', type: SHT.SYMTAB, link: '.strtab', info: 1, entsize: a.is64 ? 24 : 16, data: syms, align: 8 },
      { name: '.rela.text', type: SHT.RELA, flags: SHF.INFO_LINK, link: '.symtab', info: 1, entsize: a.is64 ? 24 : 12, data: w.done(), align: 8 },
    ],
  }).bytes;
}

/** readelf's name for each r_offset (= type number). */
function readelfNames(path: string): Map<number, string> {
  const out = run('readelf', ['-rW', path]).stdout;
  const names = new Map<number, string>();
  for (const line of out.split('\n')) {
    const m = /^([0-9a-f]{8,16})\s+[0-9a-f]{8,16}\s+(\S+)/.exec(line);
    if (m?.[1] === undefined || m[2] === undefined) continue;
    names.set(parseInt(m[1], 16), m[2]);
  }
  return names;
}

describe.skipIf(!have('readelf'))('relocation type names agree with readelf', () => {
  for (const a of ARCHES) {
    it(`${a.name}: every type in the table has readelf's name`, () => {
      const dir = join(CACHE, 'pic-names');
      mkdirSync(dir, { recursive: true });
      const path = join(dir, `${a.name}.o`);
      writeFileSync(path, objectWithEveryType(a));
      const theirs = readelfNames(path);
      const table = relocationTable(a.machine, a.is64);
      expect(table).toBeDefined();
      let compared = 0;
      const mismatches: string[] = [];
      for (let t = 0; t <= a.maxType; t++) {
        const ours = table?.name(t);
        const known = theirs.get(t);
        if (ours === undefined) continue;
        const readelfKnows = known !== undefined && known.startsWith('R_');
        if (a.newerThanReadelf?.[t] !== undefined) {
          expect(readelfKnows ? known : undefined, `type ${t} is listed as newer than readelf`).not.toBe(ours);
          continue;
        }
        compared++;
        if (known !== ours) mismatches.push(`${t}: ours ${ours}, readelf ${known ?? '(nothing)'}`);
      }
      expect(mismatches).toEqual([]);
      expect(compared).toBeGreaterThan(30);
    });
  }

  it('prints types missing from a table with the prefix and machines without one generically', () => {
    expect(relocationTypeName(EM.X86_64, 200)).toBe('R_X86_64_<0xc8>');
    expect(relocationTypeName(EM.SPARCV9, 3)).toBe('relocation type 0x3');
    expect(relocationTypeName(EM.X86_64, 2)).toBe('R_X86_64_PC32');
    // AArch64 ILP32 numbers its types differently: no table rather than wrong names.
    expect(relocationTable(EM.AARCH64, false)).toBeUndefined();
  });
});
