/**
 * Recorded compile flags of relocatable objects: in a `.o`, DW_AT_producer's DW_FORM_strp is a
 * relocation against .debug_str (the stored offset is 0), so the producer can only be read with
 * the relocations applied. A static helper function makes the first string of .debug_str
 * something other than the producer, so reading offset 0 would give the wrong answer.
 */
import { describe, expect, it } from 'vitest';
import { analyseElf } from '../../src/checks/analyse.js';
import { ElfFile } from '../../src/elf/index.js';
import { FileSource } from '../../src/io/file-source.js';
import { gcc, have } from '../helpers/gcc.js';

const SOURCE = `
static int helper(int x) { return x * 3; }
int api(int y) { return helper(y) + 1; }
`;

function compileFlags(path: string): { status: string; value: string | undefined } {
  const src = FileSource.open(path);
  try {
    const r = analyseElf(ElfFile.open(src), { checks: ['compile-flags'] }).checks['compile-flags'];
    return { status: r?.status ?? 'missing', value: r?.value };
  } finally {
    src.close();
  }
}

describe('compile flags recorded in relocatable objects', () => {
  for (const dwarf of ['-gdwarf-5', '-gdwarf-4', '-gdwarf-2']) {
    it(`${dwarf}: the producer is read through .rela.debug_info`, () => {
      const obj = gcc(SOURCE, ['-c', '-O2', '-fPIC', '-g', dwarf], 'helper.o');
      const r = compileFlags(obj);
      expect(r.status).toBe('pass');
      expect(r.value).toContain('-O2');
      expect(r.value).toContain('-fPIC');
    });
  }

  it.skipIf(!have('i686-linux-gnu-gcc'))('i386 objects (REL relocations, addend stored in place)', () => {
    const obj = gcc(SOURCE, ['-c', '-O1', '-fno-pic', '-g'], 'helper.o', 'i686-linux-gnu-gcc');
    const r = compileFlags(obj);
    expect(r.status).toBe('pass');
    expect(r.value).toContain('-O1');
    expect(r.value).toContain('-fno-pic');
  });
});
