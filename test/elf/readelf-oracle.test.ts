/**
 * The reader against binutils' readelf as an oracle, on files gcc builds here: what readelf
 * lists (sections, segments, dynamic entries, symbols with versions, notes) we must list too.
 */
import { describe, expect, it } from 'vitest';
import { ElfFile, progTypeName, STT } from '../../src/elf/index.js';
import { FileSource } from '../../src/io/file-source.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE, gcc, run } from '../helpers/gcc.js';

const PROGRAM = `
#include <stdio.h>
#include <string.h>
#include <math.h>
int counter;
int main(int argc, char **argv) {
  char buf[64];
  strcpy(buf, argv[0]);
  printf("%s %f\\n", buf, sqrt((double)argc));
  return counter;
}
`;

const LIBRARY = `
int exported(int x) { return x * 2; }
static int hidden(int x) { return x + 1; }
int calls(int x) { return hidden(x); }
`;

function open(path: string): ElfFile {
  return ElfFile.open(FileSource.open(path));
}

/** Symbol names with versions as readelf -sW prints them (`name@VER` / `name@@VER`). */
function readelfSymbols(path: string, table: '.dynsym' | '.symtab'): string[] {
  const out = run('readelf', ['-sW', path]).stdout;
  const part = out.split(`Symbol table '${table}'`)[1];
  if (part === undefined) return [];
  const body = part.split('\nSymbol table')[0] ?? '';
  return body
    .split('\n')
    .filter((l) => /^\s+\d+:/.test(l))
    .map((l) => {
      const fields = l.trim().split(/\s+/);
      // Num Value Size Type Bind Vis Ndx Name [(verindex)]
      return (fields[7] ?? '').replace(/ \(\d+\)$/, '');
    });
}

/**
 * readelf's display rule: a section symbol shows its section's name; a reference to a needed version is `name@VER`; a definition is
 * `name@@VER` unless hidden (`name@VER`); a version's own ABS symbol shows no suffix.
 */
function ourSymbols(elf: ElfFile, kind: 'dynsym' | 'symtab'): string[] {
  return elf.symbols(kind).map((s) => {
    // readelf shows a section symbol by its section's name.
    if (s.type === STT.SECTION && s.name === '') return elf.sections[s.shndx]?.name ?? '';
    if (s.version === undefined || s.version === s.name) return s.name;
    const sep = s.shndx === 0 || s.versionHidden ? '@' : '@@';
    return `${s.name}${sep}${s.version}`;
  });
}

const CASES: { label: string; build: () => string }[] = [
  { label: 'PIE with versioned imports and .symtab', build: () => gcc(PROGRAM, ['-O2', '-D_FORTIFY_SOURCE=2', '-fPIE', '-pie', '-lm'], 'prog') },
  { label: 'non-PIE, lazy binding', build: () => gcc(PROGRAM, ['-O0', '-no-pie', '-Wl,-z,lazy', '-lm'], 'prog') },
  {
    label: 'shared library with a version script',
    build: () => {
      mkdirSync(CACHE, { recursive: true });
      const script = join(CACHE, 'libx.map');
      writeFileSync(script, 'LIBX_1.0 { global: exported; local: *; };\nLIBX_2.0 { global: calls; } LIBX_1.0;\n');
      return gcc(LIBRARY, ['-shared', '-fPIC', `-Wl,--version-script=${script}`, '-Wl,-soname,libx.so.1'], 'libx.so');
    },
  },
  { label: 'relocatable object', build: () => gcc(PROGRAM, ['-c', '-O2'], 'prog.o') },
  { label: 'static executable', build: () => gcc(PROGRAM, ['-static', '-O2', '-lm'], 'prog') },
];

describe('the reader agrees with readelf on gcc-built files', () => {
  for (const c of CASES) {
    describe(c.label, () => {
      const path = c.build();
      const elf = open(path);

      it('lists the same sections', () => {
        const out = run('readelf', ['-SW', path]).stdout;
        const names = [...out.matchAll(/^\s+\[\s*(\d+)\]\s(\S*)/gm)].map((m) => (m[1] === '0' ? '' : (m[2] ?? '')));
        // readelf prints "NULL" in the name column position for section 0.
        expect(elf.sections.map((s) => s.name)).toEqual(names.map((n, i) => (i === 0 ? '' : n)));
      });

      it('lists the same program headers', () => {
        const out = run('readelf', ['-lW', path]).stdout;
        const types = [...out.matchAll(/^\s{2}([A-Z_0-9]+)\s+0x/gm)].map((m) => m[1]);
        expect(elf.programHeaders.map((p) => progTypeName(p.type).replace(/^PT_/, ''))).toEqual(types);
      });

      it('reads the same symbols, with versions separated from names', () => {
        expect(ourSymbols(elf, 'dynsym')).toEqual(readelfSymbols(path, '.dynsym'));
        expect(ourSymbols(elf, 'symtab')).toEqual(readelfSymbols(path, '.symtab'));
      });

      it('reads the same NEEDED and SONAME strings', () => {
        const out = run('readelf', ['-dW', path]).stdout;
        const needed = [...out.matchAll(/\(NEEDED\)\s+Shared library: \[(.*)\]/g)].map((m) => m[1]);
        const soname = /\(SONAME\)\s+Library soname: \[(.*)\]/.exec(out)?.[1];
        expect(elf.dynamic?.needed ?? []).toEqual(needed);
        expect(elf.dynamic?.soname).toBe(soname);
      });

      it('finds the same notes', () => {
        const out = run('readelf', ['-nW', path]).stdout;
        const owners = [...out.matchAll(/^\s{2}(\S+)\s+0x[0-9a-f]+\s+(NT_\S+|Unknown note type)/gm)].map((m) => m[1]);
        expect(elf.notes.flatMap((a) => a.notes.map((n) => n.name))).toEqual(owners);
      });
    });
  }
});
