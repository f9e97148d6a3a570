/**
 * The package's "." export (src/index.ts → dist/src/index.js): what a program importing
 * `hardening-check` gets, used the way its header comment shows.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BufferSource, DEFAULT_LIMITS, ElfFile, FileSource, analyseElf, parseLimitOverrides, scanSource } from '../src/index.js';
import { gcc, REPO } from './helpers/gcc.js';

const SOURCE = '#include <stdio.h>\n#include <string.h>\nint main(int c, char **v) { char b[64]; strcpy(b, v[0]); puts(b); return c; }\n';

describe('the library entry', () => {
  it('is what package.json exports', () => {
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { exports: Record<string, string> };
    expect(pkg.exports['.']).toBe('./dist/src/index.js');
  });

  it('scans a file and a buffer with the same verdicts', () => {
    const hardened = gcc(SOURCE, ['-O2', '-D_FORTIFY_SOURCE=2', '-fstack-protector-strong', '-fPIE', '-pie', '-Wl,-z,relro,-z,now'], 'hardened');
    const weak = gcc(SOURCE, ['-O0', '-fno-stack-protector', '-no-pie', '-Wl,-z,norelro'], 'weak');
    const ctx = { limits: DEFAULT_LIMITS, analyse: (elf: ElfFile) => analyseElf(elf), explicit: true };
    const statuses = (path: string) => {
      const src = FileSource.open(path);
      try {
        const [row] = scanSource(src, path, ctx);
        return [row?.kind, row?.checks.pie?.status, row?.checks.relro?.status, row?.checks['stack-protector']?.status, row?.checks.fortify?.status];
      } finally {
        src.close();
      }
    };
    expect(statuses(hardened)).toEqual(['pie-executable', 'pass', 'pass', 'pass', 'pass']);
    expect(statuses(weak)).toEqual(['executable', 'fail', 'fail', 'fail', 'fail']);
    const [fromBuffer] = scanSource(new BufferSource(readFileSync(weak), 'weak'), 'weak', ctx);
    expect(fromBuffer?.checks.pie?.status).toBe('fail');
    expect(ElfFile.open(new BufferSource(readFileSync(hardened), 'h')).header.type).toBe(3);
    expect(parseLimitOverrides(['maxMembers=5']).maxMembers).toBe(5);
  });
});
