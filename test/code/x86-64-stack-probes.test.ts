/**
 * findX86StackProbes and hasDebianProbeLoop on real compiler output: one C file with every
 * kind of stack allocation, built by gcc (and clang when installed) at -O0..-O3 and -Os,
 * with and without -fstack-clash-protection. Each finding is mapped to the function that
 * contains it (nm is the oracle), and the sets must be exactly what the compiler emitted.
 * Then crafted bytes for the edges: buffer boundaries, truncation, near-misses, noise.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findX86StackProbes, hasDebianProbeLoop, MAX_FINDINGS, type X86StackProbes } from '../../src/code/index.js';
import { concat } from '../../src/io/bytes.js';
import { codeSections, compile, have, prng, REFERENCE_NEWEST, referenceStackClash } from './tools.js';

const SOURCE = `
#include <alloca.h>
#include <string.h>
#ifdef __clang__
__attribute__((noinline))
#else
__attribute__((noipa))
#endif
int use(char *p, int n) { __asm__ volatile("" :: "r"(p) : "memory"); return p[n / 2]; }
int vla(int n) { char buf[n]; memset(buf, 1, n); return use(buf, n); }
int dyn_alloca(int n) { char *p = alloca(n); memset(p, 2, n); return use(p, n); }
int one_page(void) { char buf[5000]; memset(buf, 3, sizeof buf); return use(buf, sizeof buf); }
int three_pages(void) { char buf[12000]; memset(buf, 3, sizeof buf); return use(buf, sizeof buf); }
int many_pages(void) { char buf[200000]; memset(buf, 3, sizeof buf); return use(buf, sizeof buf); }
int small(void) { char buf[3000]; memset(buf, 3, sizeof buf); return use(buf, sizeof buf); }
int const_alloca(void) { char *p = alloca(10000); memset(p, 4, 10000); return use(p, 10000); }
int main(int c, char **v) { (void)v; return vla(c) + dyn_alloca(c) + one_page() + three_pages() + many_pages() + small() + const_alloca(); }
`;

const LEVELS = ['-O0', '-O1', '-O2', '-O3', '-Os'] as const;

interface Named {
  alloca: string[];
  fixed: string[];
  unprobed: string[];
  debian: boolean;
}

/** Function symbols from nm: [start, end, name]. */
function functions(path: string): [number, number, string][] {
  const out: [number, number, string][] = [];
  for (const line of execFileSync('nm', ['-S', '--defined-only', path], { encoding: 'utf8' }).split('\n')) {
    const m = /^([0-9a-f]+) ([0-9a-f]+) [tT] (\S+)$/.exec(line);
    if (m === null) continue;
    const start = parseInt(m[1] ?? '', 16);
    out.push([start, start + parseInt(m[2] ?? '', 16), m[3] ?? '']);
  }
  return out;
}

function scan(path: string, bits: 32 | 64 = 64): Named {
  const fns = functions(path);
  const name = (a: number): string => fns.find(([s, e]) => a >= s && a < e)?.[2] ?? `?0x${a.toString(16)}`;
  const all: X86StackProbes = { allocaLoops: [], fixedFrame: [], unprobedFrames: [], truncated: false };
  let debian = false;
  for (const s of codeSections(path)) {
    const r = findX86StackProbes(s.bytes, s.address, bits);
    all.allocaLoops.push(...r.allocaLoops);
    all.fixedFrame.push(...r.fixedFrame);
    all.unprobedFrames.push(...r.unprobedFrames);
    debian ||= hasDebianProbeLoop(s.bytes, s.address, bits);
  }
  const names = (xs: number[]): string[] => xs.map(name).sort();
  return { alloca: names(all.allocaLoops), fixed: names(all.fixedFrame), unprobed: names(all.unprobedFrames), debian };
}

const sorted = (...xs: string[]): string[] => [...xs].sort();
const reference = existsSync(REFERENCE_NEWEST);

describe.skipIf(!have('gcc') || !have('nm') || !have('readelf'))('gcc 12 output', () => {
  it.each(LEVELS)('%s with -fstack-clash-protection: every loop and frame, once', (level) => {
    const path = compile(SOURCE, [level, '-fstack-clash-protection']);
    const r = scan(path);
    expect(r.alloca).toEqual(sorted('vla', 'dyn_alloca', 'const_alloca'));
    // At -O0 the constant alloca is sized at run time, so its tail probe is dynamic.
    const fixed = sorted('one_page', 'three_pages', 'many_pages', ...(level === '-O0' ? [] : ['const_alloca']));
    expect(r.fixed).toEqual(fixed);
    expect(r.unprobed).toEqual([]);
    expect(r.debian).toBe(true);
    if (reference) expect(referenceStackClash(path)).toBe('yes');
  });

  it.each(LEVELS)('%s without it: no probes, and the large frames are reported unprobed', (level) => {
    const path = compile(SOURCE, [level, '-fno-stack-clash-protection']);
    const r = scan(path);
    expect(r.alloca).toEqual([]);
    expect(r.fixed).toEqual([]);
    expect(r.unprobed).toEqual(sorted('one_page', 'three_pages', 'many_pages', ...(level === '-O0' ? [] : ['const_alloca'])));
    expect(r.debian).toBe(false);
    if (reference) expect(referenceStackClash(path)).toBe('unknown, no -fstack-clash-protection instructions found');
  });

  it('a large outgoing-argument area stays unprobed even with the flag (why unprobed is evidence, not proof)', () => {
    const src = 'struct S { char x[6000]; };\nint takes(struct S s);\nint passbig(struct S *p) { return takes(*p); }\n';
    const path = compile(src, ['-O2', '-fstack-clash-protection', '-c']);
    const s = codeSections(path).find((c) => c.name === '.text');
    expect(s).toBeDefined();
    if (s === undefined) return;
    const r = findX86StackProbes(s.bytes, s.address);
    expect(r.unprobedFrames).toHaveLength(1);
    expect(r.allocaLoops.length + r.fixedFrame.length).toBe(0);
  });
});

const I686 = 'i686-linux-gnu-gcc';
if (!have(I686)) console.log(`skipping i386 fixtures: ${I686} not found`);

describe.skipIf(!have(I686) || !have('nm'))('i386 gcc 12 output (bits 32)', () => {
  it.each(LEVELS)('%s with -fstack-clash-protection: the same shapes on esp', (level) => {
    const path = compile(SOURCE, [level, '-fstack-clash-protection'], I686);
    const r = scan(path, 32);
    expect(r.alloca).toEqual(sorted('vla', 'dyn_alloca', 'const_alloca'));
    expect(r.fixed).toEqual(sorted('one_page', 'three_pages', 'many_pages', ...(level === '-O0' ? [] : ['const_alloca'])));
    expect(r.unprobed).toEqual([]);
    // gcc's `cmp esp,reg` does not pass the reference's test for "rsp,".
    expect(r.debian).toBe(false);
    if (reference) expect(referenceStackClash(path)).toBe('unknown, no -fstack-clash-protection instructions found');
  });

  it.each(['-O0', '-O2'])('%s without it', (level) => {
    const r = scan(compile(SOURCE, [level, '-fno-stack-clash-protection'], I686), 32);
    expect(r).toEqual({ alloca: [], fixed: [], unprobed: sorted('one_page', 'three_pages', 'many_pages', ...(level === '-O0' ? [] : ['const_alloca'])), debian: false });
  });
});

const clang = ['clang', 'clang-15', 'clang-14', 'clang-16'].find(have);
if (clang === undefined) console.log('skipping clang fixtures: no clang on PATH');

describe.skipIf(clang === undefined || !have('nm'))(`clang output (${clang ?? 'absent'})`, () => {
  it.each(LEVELS)('%s with -fstack-clash-protection: xor-first loops and mov probes', (level) => {
    const path = compile(SOURCE, [level, '-fstack-clash-protection'], clang);
    const r = scan(path);
    expect(r.alloca).toEqual(sorted('vla', 'dyn_alloca'));
    // clang may inline the fixed frames into main as well.
    const expected = sorted('one_page', 'three_pages', 'many_pages', 'const_alloca');
    expect(r.fixed.filter((f) => f !== 'main')).toEqual(expected);
    expect(r.unprobed).toEqual([]);
    // The reference knows only gcc's loop.
    expect(r.debian).toBe(false);
  });

  it.each(LEVELS)('%s without it', (level) => {
    const path = compile(SOURCE, [level, '-fno-stack-clash-protection'], clang);
    const r = scan(path);
    expect(r.alloca).toEqual([]);
    expect(r.fixed).toEqual([]);
    expect(r.unprobed.filter((f) => f !== 'main')).toEqual(sorted('one_page', 'three_pages', 'many_pages', 'const_alloca'));
  });
});

// ---- crafted bytes -------------------------------------------------------------------------

const hexBytes = (s: string): Uint8Array => Uint8Array.from(s.trim().split(/\s+/), (h) => parseInt(h, 16));

/** gcc -O2's run-time loop: cmp rsp,rsi; je +0x15; sub rsp,0x1000; or [rsp+0xff8],0; cmp rsp,rsi; jne sub. */
const GCC_O2_LOOP = hexBytes('48 39 f4 74 15 48 81 ec 00 10 00 00 48 83 8c 24 f8 0f 00 00 00 48 39 f4 75 eb');
/** gcc -O0's: cmp rsp,rdx; je +0x12; sub; or [rsp+0xff8],0; jmp cmp. */
const GCC_O0_LOOP = hexBytes('48 39 d4 74 12 48 81 ec 00 10 00 00 48 83 8c 24 f8 0f 00 00 00 eb e9');
/** gcc's unrolled fixed-frame probe: sub rsp,0x1000; or [rsp],0. */
const UNROLLED = hexBytes('48 81 ec 00 10 00 00 48 83 0c 24 00');

describe('crafted sequences', () => {
  it('finds a loop that starts at the first byte and ends at the last byte of the buffer', () => {
    for (const [loop, base] of [[GCC_O2_LOOP, 0x401000], [GCC_O0_LOOP, 0x7f0000001000]] as const) {
      expect(hasDebianProbeLoop(loop, base)).toBe(true);
      expect(findX86StackProbes(loop, base)).toEqual({ allocaLoops: [base + 5], fixedFrame: [], unprobedFrames: [], truncated: false });
    }
  });

  it('gives up cleanly on every truncation of the loop, from either end', () => {
    for (let n = 0; n < GCC_O2_LOOP.length; n++) {
      expect(hasDebianProbeLoop(GCC_O2_LOOP.subarray(0, n), 0x1000)).toBe(false);
      expect(hasDebianProbeLoop(GCC_O2_LOOP.subarray(n + 1), 0x1000 + n + 1)).toBe(false);
      expect(() => findX86StackProbes(GCC_O2_LOOP.subarray(0, n), 0x1000)).not.toThrow();
      expect(() => findX86StackProbes(GCC_O2_LOOP.subarray(n + 1), 0x1000)).not.toThrow();
    }
  });

  it('ignores a sub rsp,0x1000 whose REX byte lies before the buffer', () => {
    const tail = UNROLLED.subarray(1);
    expect(findX86StackProbes(tail, 0x1000)).toEqual({ allocaLoops: [], fixedFrame: [], unprobedFrames: [], truncated: false });
  });

  it('reports a sub rsp,0x1000 at the very end as unprobed, and counts an unrolled run once', () => {
    const lone = UNROLLED.subarray(0, 7);
    expect(findX86StackProbes(lone, 0x2000).unprobedFrames).toEqual([0x2000]);
    const run = concat([UNROLLED, UNROLLED, UNROLLED, hexBytes('48 81 ec e8 0e 00 00')]);
    expect(findX86StackProbes(run, 0x3000)).toEqual({ allocaLoops: [], fixedFrame: [0x3000], unprobedFrames: [], truncated: false });
  });

  it('rejects near misses: an instruction between sub and or, a wrong jump target, a non-zero or', () => {
    const nop = concat([GCC_O0_LOOP.subarray(0, 12), hexBytes('90'), GCC_O0_LOOP.subarray(12)]);
    expect(hasDebianProbeLoop(nop, 0x1000)).toBe(false);
    const wrongTarget = GCC_O2_LOOP.slice();
    wrongTarget[wrongTarget.length - 1] = 0xec; // jne to the byte after the sub's start
    expect(hasDebianProbeLoop(wrongTarget, 0x1000)).toBe(false);
    expect(findX86StackProbes(wrongTarget, 0x1000).allocaLoops).toEqual([]);
    const orOne = GCC_O2_LOOP.slice();
    orOne[20] = 0x01; // or [rsp+0xff8],0x1
    expect(hasDebianProbeLoop(orOne, 0x1000)).toBe(false);
    expect(findX86StackProbes(orOne, 0x1000).unprobedFrames).toEqual([0x1005]);
  });

  it('finds the same loop twice in a row and in the middle of noise', () => {
    const rnd = prng(99);
    const noise = Uint8Array.from({ length: 1000 }, () => Math.floor(rnd() * 256));
    const code = concat([noise, GCC_O2_LOOP, GCC_O2_LOOP, noise]);
    expect(hasDebianProbeLoop(code, 0)).toBe(true);
    expect(findX86StackProbes(code, 0).allocaLoops).toEqual([1005, 1005 + GCC_O2_LOOP.length]);
  });

  it('never throws on random bytes salted with anchor fragments, and every finding is inside the buffer', () => {
    const rnd = prng(1234);
    const fragments = [GCC_O2_LOOP, GCC_O0_LOOP, UNROLLED, hexBytes('00 10 00 00'), hexBytes('81 ec'), hexBytes('48 81 ec')];
    for (let round = 0; round < 40; round++) {
      const buf = Uint8Array.from({ length: 20000 }, () => Math.floor(rnd() * 256));
      for (let k = 0; k < 200; k++) {
        const f = fragments[Math.floor(rnd() * fragments.length)] ?? UNROLLED;
        const at = Math.floor(rnd() * buf.length);
        // Fragments may be cut by the end of the buffer: that is the point.
        buf.set(f.subarray(0, Math.min(f.length, buf.length - at)), at);
      }
      const base = 0x400000;
      expect(() => hasDebianProbeLoop(buf, base)).not.toThrow();
      const r = findX86StackProbes(buf, base);
      for (const a of [...r.allocaLoops, ...r.fixedFrame, ...r.unprobedFrames]) {
        expect(a).toBeGreaterThanOrEqual(base);
        expect(a).toBeLessThan(base + buf.length);
      }
    }
  });

  it('caps each list at MAX_FINDINGS and says so', () => {
    const one = hexBytes('48 81 ec 00 20 00 00'); // sub rsp,0x2000: an unprobed frame
    const code = new Uint8Array(one.length * (MAX_FINDINGS + 10));
    for (let i = 0; i < MAX_FINDINGS + 10; i++) code.set(one, i * one.length);
    const r = findX86StackProbes(code, 0);
    expect(r.unprobedFrames).toHaveLength(MAX_FINDINGS);
    expect(r.truncated).toBe(true);
  });

  it('stops spending after its decode budget on crafted near-misses', () => {
    // sub rsp,0x1000; or [rsp],0; jmp self: passes the cheap checks, then fails the backward
    // search. 4 MB of it costs ~14 M decode steps, over the 1.1 M budget.
    const miss = hexBytes('48 81 ec 00 10 00 00 48 83 0c 24 00 eb fe');
    const code = new Uint8Array(4 * 1024 * 1024 + GCC_O2_LOOP.length);
    for (let o = 0; o + miss.length <= code.length - GCC_O2_LOOP.length; o += miss.length) code.set(miss, o);
    code.set(GCC_O2_LOOP, code.length - GCC_O2_LOOP.length);
    expect(hasDebianProbeLoop(code, 0)).toBe(false);
    // The same loop in front of the near-misses is found before the budget runs out.
    const front = concat([GCC_O2_LOOP, code.subarray(0, code.length - GCC_O2_LOOP.length)]);
    expect(hasDebianProbeLoop(front, 0)).toBe(true);
  });
});

