/**
 * Test-only helpers for the machine-code recognisers: assemble bytes, build gcc/clang
 * fixtures, extract executable sections, run objdump and the reference hardening-check.
 * Outputs are cached under test/.cache/code by content hash.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE, have } from '../helpers/gcc.js';

export { have };

export const REFERENCE_NEWEST = '/opt/hardening-reference/bin/hardening-check-newest';

function cacheDir(...parts: readonly string[]): string {
  const key = createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 16);
  const dir = join(CACHE, 'code', key);
  mkdirSync(dir, { recursive: true });
  return dir;
}

function exec(cmd: string, args: readonly string[], cwd?: string): string {
  return execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 30, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Compiles C `source` with `compiler` and `flags` into an executable (or `.o` with -c). */
export function compile(source: string, flags: readonly string[], compiler = 'gcc'): string {
  const dir = cacheDir('compile', compiler, source, ...flags);
  const out = join(dir, flags.includes('-c') ? 'out.o' : 'out');
  if (existsSync(out)) return out;
  writeFileSync(join(dir, 'src.c'), source);
  const tmp = `${out}.tmp${process.pid}`;
  exec(compiler, [...flags, 'src.c', '-o', tmp], dir);
  renameSync(tmp, out);
  return out;
}

/**
 * Assembles GNU `as` source (Intel syntax prelude added) and links it at `textAddress` into a
 * static executable without libc. Labels starting with `.L` stay out of the symbol table.
 */
export function assemble(body: string, textAddress = 0x401000, arch: 'x86-64' | 'i386' | 'aarch64' = 'x86-64'): string {
  const prelude = arch === 'aarch64' ? '' : '.intel_syntax noprefix\n';
  const src = `${prelude}.text\n.globl _start\n_start:\n${body}\n`;
  const dir = cacheDir('assemble', arch, String(textAddress), src);
  const out = join(dir, 'out');
  if (existsSync(out)) return out;
  const prefix = arch === 'aarch64' ? 'aarch64-linux-gnu-' : '';
  writeFileSync(join(dir, 'src.s'), src);
  exec(`${prefix}as`, [...(arch === 'i386' ? ['--32'] : []), '-o', 'src.o', 'src.s'], dir);
  const tmp = `${out}.tmp${process.pid}`;
  exec(`${prefix}ld`, [...(arch === 'i386' ? ['-m', 'elf_i386'] : []), `-Ttext=0x${textAddress.toString(16)}`, '-o', tmp, 'src.o'], dir);
  renameSync(tmp, out);
  return out;
}

export interface CodeSection {
  readonly name: string;
  readonly address: number;
  readonly bytes: Uint8Array;
}

/** Executable sections (flag X, with contents) of an ELF file, read with readelf's help. */
export function codeSections(path: string, readelf = 'readelf'): CodeSection[] {
  const file = readFileSync(path);
  const out: CodeSection[] = [];
  // [Nr] Name Type Address Off Size ES Flg Lk Inf Al
  const re = /^\s*\[\s*\d+\]\s+(\S+)\s+(\S+)\s+([0-9a-f]+)\s+([0-9a-f]+)\s+([0-9a-f]+)\s+[0-9a-f]+\s+(\S*X\S*)\s/;
  for (const line of exec(readelf, ['-SW', path]).split('\n')) {
    const m = re.exec(line);
    if (m === null) continue;
    const [, name = '', type = '', addr = '0', off = '0', size = '0'] = m;
    if (type === 'NOBITS') continue;
    const o = parseInt(off, 16);
    const n = parseInt(size, 16);
    if (n === 0) continue;
    out.push({ name, address: parseInt(addr, 16), bytes: new Uint8Array(file.buffer, file.byteOffset + o, n) });
  }
  return out;
}

/** The "Stack clash protection" verdict of the reference, or undefined when it printed none. */
export function referenceStackClash(path: string, reference = REFERENCE_NEWEST): string | undefined {
  let stdout = '';
  try {
    stdout = exec(reference, [path]);
  } catch (e) {
    // Exit status 1 just means some other check failed.
    stdout = (e as { stdout?: string }).stdout ?? '';
  }
  const m = /Stack clash protection: (.*)/.exec(stdout);
  return m?.[1];
}

/** objdump's Intel-syntax listing, as the reference runs it. */
export function objdump(path: string, tool = 'objdump'): string {
  return exec(tool, ['-d', '--no-show-raw-insn', '-M', 'intel', path]);
}

/** A small deterministic PRNG (mulberry32), so generated cases are reproducible. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
