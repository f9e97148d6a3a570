/**
 * findS390xStackProbes and findPpc64StackProbes on cross-gcc output (each skipped with a
 * reason when its compiler is absent), at every level with and without the flag, plus
 * big-endian ppc64; then crafted words for alignment, truncation and noise.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { findPpc64StackProbes, findS390xStackProbes, type StackProbes } from '../../src/code/index.js';
import { codeSections, compile, have, prng } from './tools.js';

// No #include: some cross builds below (big-endian ppc64) have no target headers.
const SOURCE = `
#define alloca __builtin_alloca
#define memset __builtin_memset
__attribute__((noipa)) int use(char *p, int n) { __asm__ volatile("" :: "r"(p) : "memory"); return p[n / 2]; }
int vla(int n) { char buf[n]; memset(buf, 1, n); return use(buf, n); }
int dyn_alloca(int n) { char *p = alloca(n); memset(p, 2, n); return use(p, n); }
int one_page(void) { char buf[5000]; memset(buf, 3, sizeof buf); return use(buf, sizeof buf); }
int three_pages(void) { char buf[12000]; memset(buf, 3, sizeof buf); return use(buf, sizeof buf); }
int many_pages(void) { char buf[200000]; memset(buf, 3, sizeof buf); return use(buf, sizeof buf); }
int small(void) { char buf[3000]; memset(buf, 3, sizeof buf); return use(buf, sizeof buf); }
int const_alloca(void) { char *p = alloca(10000); memset(p, 4, 10000); return use(p, 10000); }
`;

const EXPECTED = { alloca: ['dyn_alloca', 'vla'], fixed: ['const_alloca', 'many_pages', 'one_page', 'three_pages'] };
const NONE = { alloca: [], fixed: [] };

type Finder = (code: Uint8Array, address: number) => StackProbes;

function scan(path: string, nm: string, find: Finder): { alloca: string[]; fixed: string[] } {
  const fns: [number, number, string][] = [];
  for (const line of execFileSync(nm, ['-S', '--defined-only', path], { encoding: 'utf8' }).split('\n')) {
    const m = /^([0-9a-f]+) ([0-9a-f]+) [tT] (\S+)$/.exec(line);
    if (m !== null) {
      const start = parseInt(m[1] ?? '', 16);
      fns.push([start, start + parseInt(m[2] ?? '', 16), m[3] ?? '']);
    }
  }
  const name = (a: number): string => fns.find(([s, e]) => a >= s && a < e)?.[2] ?? `?0x${a.toString(16)}`;
  const alloca: string[] = [];
  const fixed: string[] = [];
  for (const s of codeSections(path)) {
    const r = find(s.bytes, s.address);
    alloca.push(...r.allocaLoops.map(name));
    fixed.push(...r.fixedFrame.map(name));
  }
  return { alloca: alloca.sort(), fixed: fixed.sort() };
}

const LEVELS = ['-O0', '-O1', '-O2', '-O3', '-Os'];

const TARGETS: readonly [string, string, Finder, readonly string[]][] = [
  ['s390x', 's390x-linux-gnu', findS390xStackProbes, []],
  ['ppc64le', 'powerpc64le-linux-gnu', (c, a) => findPpc64StackProbes(c, a, false), []],
  ['ppc64 (big-endian)', 'powerpc64le-linux-gnu', (c, a) => findPpc64StackProbes(c, a, true), ['-mbig-endian']],
];

for (const [arch, triple, find, extra] of TARGETS) {
  const gcc = `${triple}-gcc`;
  const nm = `${triple}-nm`;
  const present = have(gcc) && have(nm) && have('readelf');
  if (!present) console.log(`skipping ${arch} fixtures: ${gcc} not found`);
  describe.skipIf(!present)(`${arch} gcc 12 output`, () => {
    it.each(LEVELS)('%s with -fstack-clash-protection: each loop and probed frame, once', (level) => {
      expect(scan(compile(SOURCE, [level, ...extra, '-fstack-clash-protection', '-c'], gcc), nm, find)).toEqual(EXPECTED);
    });
    it.each(['-O0', '-O2'])('%s without it: nothing', (level) => {
      expect(scan(compile(SOURCE, [level, ...extra, '-fno-stack-clash-protection', '-c'], gcc), nm, find)).toEqual(NONE);
    });
  });
}

const hex = (s: string): Uint8Array => Uint8Array.from(s.trim().split(/\s+/), (h) => parseInt(h, 16));

describe('crafted s390x code', () => {
  // cgr %r15,%r2; je +12; lay %r15,-4096(%r15); cg %r0,4088(%r15); cgr %r15,%r2; jne -8 (halfwords)
  const loop = hex('b9 20 00 f2 a7 84 00 0c e3 f0 f0 00 ff 71 e3 00 ff f8 00 20 b9 20 00 f2 a7 74 ff f8');
  it('finds the loop spanning the whole buffer, at even addresses only', () => {
    expect(findS390xStackProbes(loop, 0x1000)).toEqual({ allocaLoops: [0x1008], fixedFrame: [], truncated: false });
    expect(findS390xStackProbes(loop, 0x1001)).toEqual({ allocaLoops: [], fixedFrame: [], truncated: false });
  });
  it('needs the page step right before the probe', () => {
    const other = loop.slice();
    other[11] = 0x10; // lay %r15,-4080(%r15)
    expect(findS390xStackProbes(other, 0)).toEqual({ allocaLoops: [], fixedFrame: [], truncated: false });
  });
  it('never throws on truncations or noise', () => {
    for (let n = 0; n <= loop.length; n++) expect(() => findS390xStackProbes(loop.subarray(0, n), 0)).not.toThrow();
    const rnd = prng(3);
    const buf = Uint8Array.from({ length: 50000 }, () => Math.floor(rnd() * 256));
    for (let k = 0; k < 300; k++) buf.set(loop.subarray(0, Math.floor(rnd() * loop.length)), Math.floor(rnd() * (buf.length - loop.length)));
    const r = findS390xStackProbes(buf, 0);
    for (const a of [...r.allocaLoops, ...r.fixedFrame]) expect(a).toBeLessThan(buf.length);
  });
});

describe('crafted ppc64 code', () => {
  // cmpd r1,r10; beq +16; stdu r8,-4096(r1); cmpd r1,r10; bne -8 (little-endian words)
  const le = hex('00 50 21 7c 10 00 82 41 01 f0 01 f9 00 50 21 7c f8 ff 82 40');
  const be = Uint8Array.from({ length: le.length }, (_, i) => le[(i & ~3) + 3 - (i & 3)] ?? 0);
  it('finds the loop in either byte order, at 4-aligned addresses only', () => {
    expect(findPpc64StackProbes(le, 0x2000)).toEqual({ allocaLoops: [0x2008], fixedFrame: [], truncated: false });
    expect(findPpc64StackProbes(be, 0x2000, true)).toEqual({ allocaLoops: [0x2008], fixedFrame: [], truncated: false });
    expect(findPpc64StackProbes(be, 0x2000, false)).toEqual({ allocaLoops: [], fixedFrame: [], truncated: false });
    expect(findPpc64StackProbes(le, 0x2002)).toEqual({ allocaLoops: [], fixedFrame: [], truncated: false });
  });
  it('does not report a lone 4 KiB frame, but does report one split in two', () => {
    expect(findPpc64StackProbes(hex('01 f0 21 f8 a6 02 08 7c'), 0)).toEqual({ allocaLoops: [], fixedFrame: [], truncated: false });
    expect(findPpc64StackProbes(hex('01 f0 21 f8 41 fc 01 f8'), 0)).toEqual({ allocaLoops: [], fixedFrame: [0], truncated: false });
  });
  it('never throws on truncations or noise', () => {
    for (let n = 0; n <= le.length; n++) expect(() => findPpc64StackProbes(le.subarray(0, n), 0)).not.toThrow();
    const rnd = prng(4);
    const buf = Uint8Array.from({ length: 50001 }, () => Math.floor(rnd() * 256));
    for (let k = 0; k < 300; k++) buf.set(le.subarray(0, Math.floor(rnd() * le.length)), Math.floor(rnd() * (buf.length - le.length)));
    for (const bigEndian of [false, true]) {
      const r = findPpc64StackProbes(buf, 0, bigEndian);
      for (const a of [...r.allocaLoops, ...r.fixedFrame]) expect(a % 4).toBe(0);
    }
  });
});
