/**
 * The scan tests' fixture tree, built at test time with the system's gcc (cached by
 * test/helpers/gcc.ts) and laid out in a fresh temporary directory:
 *
 *   tree/bin/hardened     -O2 FORTIFY, stack protector, PIE, full RELRO (passes every profile's
 *                         Debian subset)
 *   tree/bin/lazy         the same without -z now: partial RELRO, lazy binding
 *   tree/bin/weak         -O0, no protector, no PIE, no RELRO
 *   tree/bin/link-to-hardened -> hardened   (symlink)
 *   tree/bin/notes.txt    not ELF (skipped when walked)
 *   tree/lib/libpair.a    archive of pair_a.o (fortified, stack protector) and pair_b.o (plain
 *                         strcpy: fails FORTIFY)
 *   tree/lib/libbroken.a  an archive whose second header is corrupt
 *   tree/zz-fifo          a FIFO (never opened)
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gcc } from '../helpers/gcc.js';

export const PROGRAM = `#include <stdio.h>
#include <string.h>
int main(int argc, char **argv) {
  char buf[64];
  strcpy(buf, argc > 1 ? argv[1] : "none");
  printf("%s\\n", buf);
  return 0;
}
`;

export const MEMBER_A = `#include <string.h>
void pair_a(char *out, const char *in) { char tmp[128]; strcpy(tmp, in); strcpy(out, tmp); }
`;
export const MEMBER_B = `#include <string.h>
void pair_b(char *out, const char *in) { strcpy(out, in); }
`;

export const HARDENED_FLAGS = ['-O2', '-D_FORTIFY_SOURCE=2', '-fstack-protector-strong', '-fPIE', '-pie', '-Wl,-z,relro', '-Wl,-z,now'];
export const LAZY_FLAGS = ['-O2', '-D_FORTIFY_SOURCE=2', '-fstack-protector-strong', '-fPIE', '-pie', '-Wl,-z,relro', '-Wl,-z,lazy'];
export const WEAK_FLAGS = ['-O0', '-U_FORTIFY_SOURCE', '-fno-stack-protector', '-fno-pie', '-no-pie', '-Wl,-z,norelro', '-Wl,-z,lazy'];

export interface Tree {
  readonly root: string;
  readonly hardened: string;
  readonly lazy: string;
  readonly weak: string;
  readonly link: string;
  readonly text: string;
  readonly archive: string;
  readonly broken: string;
  readonly fifo: string;
}

export function buildTree(): Tree {
  const root = mkdtempSync(join(tmpdir(), 'harden-scan-'));
  const bin = join(root, 'tree', 'bin');
  const lib = join(root, 'tree', 'lib');
  mkdirSync(bin, { recursive: true });
  mkdirSync(lib, { recursive: true });
  const t: Tree = {
    root: join(root, 'tree'),
    hardened: join(bin, 'hardened'),
    lazy: join(bin, 'lazy'),
    weak: join(bin, 'weak'),
    link: join(bin, 'link-to-hardened'),
    text: join(bin, 'notes.txt'),
    archive: join(lib, 'libpair.a'),
    broken: join(lib, 'libbroken.a'),
    fifo: join(root, 'tree', 'zz-fifo'),
  };
  copyFileSync(gcc(PROGRAM, HARDENED_FLAGS, 'hardened'), t.hardened);
  copyFileSync(gcc(PROGRAM, LAZY_FLAGS, 'lazy'), t.lazy);
  copyFileSync(gcc(PROGRAM, WEAK_FLAGS, 'weak'), t.weak);
  symlinkSync('hardened', t.link);
  writeFileSync(t.text, 'not a binary\n');
  const a = gcc(MEMBER_A, ['-c', '-O2', '-D_FORTIFY_SOURCE=2', '-fPIC', '-fstack-protector-strong'], 'pair_a.o');
  const b = gcc(MEMBER_B, ['-c', '-O2', '-U_FORTIFY_SOURCE', '-fPIC', '-fno-stack-protector'], 'pair_b.o');
  execFileSync('ar', ['rcD', t.archive, a, b]);
  // A good first member, then a header whose terminator is not "`\n".
  const good = readFileSync(t.archive);
  const broken = Buffer.concat([good, Buffer.from('junk.o/         0           0     0     644     4         XX')]);
  writeFileSync(t.broken, broken);
  execFileSync('mkfifo', [t.fifo]);
  return t;
}
