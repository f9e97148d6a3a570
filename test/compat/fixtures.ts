/**
 * The drop-in's fixture matrix: one small C program built with and without each hardening
 * flag, plus a library, an object, an archive and non-ELF inputs. Built with gcc at test time.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync, existsSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE, gcc } from '../helpers/gcc.js';

/** Uses a fortifiable call with a known size, one with an unknown size, and a variable frame. */
export const PROGRAM = `
#include <stdio.h>
#include <string.h>
#include <alloca.h>
char *sink;
int main(int argc, char **argv) {
  char buf[16];
  strcpy(buf, argv[0]);
  char *p = alloca(argc * 64);
  memcpy(p, argv[0], argc);
  sink = p;
  printf("%s\\n", buf);
  return 0;
}
`;

/** A variable-length array instead of alloca. */
export const VLA_PROGRAM = `
#include <stdio.h>
int main(int argc, char **argv) {
  char vla[argc * 100];
  vla[0] = argv[0][0];
  puts(vla);
  return 0;
}
`;

/** No fortifiable function at all (puts is not on the list). */
export const PLAIN_PROGRAM = `
#include <stdio.h>
int main(void) { puts("hello"); return 0; }
`;

/** Only fortified calls: every fortifiable call has a size the compiler knows. */
export const FORTIFIED_PROGRAM = `
#include <stdio.h>
#include <string.h>
int main(int argc, char **argv) {
  char buf[16];
  strcpy(buf, argv[0]);
  printf("%s\\n", buf);
  return argc;
}
`;

export const LIBRARY = `
#include <string.h>
int copy(char *dst, const char *src) { char tmp[32]; strcpy(tmp, src); strcpy(dst, tmp); return 0; }
`;

const HARDENED = ['-O2', '-D_FORTIFY_SOURCE=2', '-fstack-protector-strong', '-fstack-clash-protection', '-fPIE', '-pie', '-Wl,-z,relro', '-Wl,-z,now'];
const WEAK = ['-O0', '-fno-stack-protector', '-no-pie', '-fno-pie', '-Wl,-z,norelro', '-Wl,-z,lazy'];

export interface Fixture {
  readonly name: string;
  readonly path: string;
}

/** Builds (or reuses) every fixture; returns them by name. */
export function buildFixtures(): Record<string, string> {
  const dir = join(CACHE, 'compat');
  mkdirSync(dir, { recursive: true });
  const f: Record<string, string> = {
    hardened: gcc(PROGRAM, HARDENED, 'hardened'),
    // -z ibt/-z shstk mark the output even though Debian 12's crt1.o lacks the property.
    cet: gcc(PROGRAM, [...HARDENED, '-fcf-protection', '-Wl,-z,ibt', '-Wl,-z,shstk'], 'cet'),
    cetDropped: gcc(PROGRAM, [...HARDENED, '-fcf-protection'], 'cet-dropped'),
    weak: gcc(PROGRAM, WEAK, 'weak'),
    relroLazy: gcc(PROGRAM, ['-O2', '-fPIE', '-pie', '-Wl,-z,relro', '-Wl,-z,lazy'], 'relro-lazy'),
    nowFlags: gcc(PROGRAM, ['-O2', '-fPIE', '-pie', '-Wl,-z,relro', '-Wl,-z,now', '-Wl,--enable-new-dtags'], 'now-flags'),
    vla: gcc(VLA_PROGRAM, ['-O2', '-fstack-clash-protection', '-fPIE', '-pie'], 'vla'),
    vlaNoClash: gcc(VLA_PROGRAM, ['-O2', '-fno-stack-clash-protection', '-fPIE', '-pie'], 'vla-noclash'),
    plain: gcc(PLAIN_PROGRAM, ['-O2', '-fPIE', '-pie'], 'plain'),
    fortified: gcc(FORTIFIED_PROGRAM, ['-O2', '-D_FORTIFY_SOURCE=2', '-fPIE', '-pie'], 'fortified'),
    shared: gcc(LIBRARY, ['-shared', '-fPIC', '-O2', '-D_FORTIFY_SOURCE=2', '-fstack-protector-strong'], 'libcopy.so'),
    static: gcc(PROGRAM, ['-static', '-O2'], 'static'),
    staticStripped: gcc(PROGRAM, ['-static', '-s', '-O2'], 'static-stripped'),
    staticPie: gcc(PROGRAM, ['-static-pie', '-O2'], 'static-pie'),
    object: gcc(PROGRAM, ['-c', '-O2', '-D_FORTIFY_SOURCE=2', '-fstack-protector-strong'], 'prog.o'),
    objectPlain: gcc(PROGRAM, ['-c', '-O0', '-fno-stack-protector'], 'plain.o'),
  };
  const archive = join(dir, 'libprog.a');
  if (!existsSync(archive)) execFileSync('ar', ['rcs', archive, f['object'] ?? '', f['objectPlain'] ?? '']);
  f['archive'] = archive;
  const text = join(dir, 'notes.txt');
  writeFileSync(text, 'not an ELF file\n');
  f['text'] = text;
  f['missing'] = join(dir, 'does-not-exist');
  // A copy whose name has a space and a colon, to show paths are printed as given.
  const odd = join(dir, 'odd name:1');
  if (!existsSync(odd)) copyFileSync(f['hardened'] ?? '', odd);
  f['odd'] = odd;
  return f;
}
