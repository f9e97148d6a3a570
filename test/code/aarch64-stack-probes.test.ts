/**
 * findAarch64StackProbes on aarch64-linux-gnu-gcc output (skipped with a reason when the
 * cross compiler is absent): every level, with and without the flag, both guard sizes and
 * big-endian objects; then crafted words for alignment, truncation and noise.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { findAarch64StackProbes, MAX_FINDINGS } from '../../src/code/index.js';
import { codeSections, compile, have, prng } from './tools.js';

const GCC = 'aarch64-linux-gnu-gcc';
const NM = 'aarch64-linux-gnu-nm';
const cross = have(GCC) && have(NM) && have('readelf');
if (!cross) console.log(`skipping aarch64 fixtures: ${GCC}/${NM} not found`);

// No #include: the big-endian build has no target headers.
const SOURCE = `
#define alloca __builtin_alloca
#define memset __builtin_memset
__attribute__((noipa)) int use(char *p, int n) { __asm__ volatile("" :: "r"(p) : "memory"); return p[n / 2]; }
int vla(int n) { char buf[n]; memset(buf, 1, n); return use(buf, n); }
int dyn_alloca(int n) { char *p = alloca(n); memset(p, 2, n); return use(p, n); }
int under_guard(void) { char buf[60000]; memset(buf, 3, sizeof buf); return use(buf, sizeof buf); }
int three_pages(void) { char buf[200000]; memset(buf, 3, sizeof buf); return use(buf, sizeof buf); }
int many_pages(void) { char buf[2000000]; memset(buf, 3, sizeof buf); return use(buf, sizeof buf); }
int two_vlas(int n, int m) { char a[n]; char b[m]; return use(a, n) + use(b, m); }
`;

function functions(path: string): [number, number, string][] {
  const out: [number, number, string][] = [];
  for (const line of execFileSync(NM, ['-S', '--defined-only', path], { encoding: 'utf8' }).split('\n')) {
    const m = /^([0-9a-f]+) ([0-9a-f]+) [tT] (\S+)$/.exec(line);
    if (m === null) continue;
    const start = parseInt(m[1] ?? '', 16);
    out.push([start, start + parseInt(m[2] ?? '', 16), m[3] ?? '']);
  }
  return out;
}

function scan(path: string): { alloca: string[]; fixed: string[] } {
  const fns = functions(path);
  const name = (a: number): string => fns.find(([s, e]) => a >= s && a < e)?.[2] ?? `?0x${a.toString(16)}`;
  const alloca: string[] = [];
  const fixed: string[] = [];
  for (const s of codeSections(path)) {
    const r = findAarch64StackProbes(s.bytes, s.address);
    alloca.push(...r.allocaLoops.map(name));
    fixed.push(...r.fixedFrame.map(name));
  }
  return { alloca: alloca.sort(), fixed: fixed.sort() };
}

const PROTECTED = { alloca: ['dyn_alloca', 'two_vlas', 'two_vlas', 'vla'], fixed: ['many_pages', 'three_pages'] };

describe.skipIf(!cross)('aarch64-linux-gnu-gcc 12 output', () => {
  it.each(['-O0', '-O1', '-O2', '-O3', '-Os'])('%s with -fstack-clash-protection: each loop and each frame over 64 KiB, once', (level) => {
    expect(scan(compile(SOURCE, [level, '-fstack-clash-protection', '-c'], GCC))).toEqual(PROTECTED);
  });

  it.each(['-O0', '-O2'])('%s without it: nothing', (level) => {
    expect(scan(compile(SOURCE, [level, '-fno-stack-clash-protection', '-c'], GCC))).toEqual({ alloca: [], fixed: [] });
  });

  it('the 4 KiB guard (sub sp, sp, #0x1, lsl #12) probes the 60000-byte frame too', () => {
    const r = scan(compile(SOURCE, ['-O2', '-fstack-clash-protection', '--param', 'stack-clash-protection-guard-size=12', '-c'], GCC));
    expect(r).toEqual({ alloca: PROTECTED.alloca, fixed: ['many_pages', 'three_pages', 'under_guard'] });
  });

  it('big-endian objects carry the same little-endian instruction words', () => {
    expect(scan(compile(SOURCE, ['-O2', '-mbig-endian', '-fstack-clash-protection', '-c'], GCC))).toEqual(PROTECTED);
  });
});

const words = (...ws: number[]): Uint8Array => {
  const b = new Uint8Array(ws.length * 4);
  ws.forEach((w, i) => {
    b[i * 4] = w & 0xff;
    b[i * 4 + 1] = (w >>> 8) & 0xff;
    b[i * 4 + 2] = (w >>> 16) & 0xff;
    b[i * 4 + 3] = (w >>> 24) & 0xff;
  });
  return b;
};

// cmp sp, x0; b.eq +5; sub sp, sp, #0x10, lsl #12; str xzr, [sp, #1024]; cmp sp, x0; b.ne -2
const LOOP = words(0xeb2063ff, 0x540000a0, 0xd14043ff, 0xf90203ff, 0xeb2063ff, 0x54ffffa1);

describe('crafted words', () => {
  it('finds the loop at both ends of the buffer, at any 4-aligned address', () => {
    expect(findAarch64StackProbes(LOOP, 0x400000)).toEqual({ allocaLoops: [0x400008], fixedFrame: [], truncated: false });
    expect(findAarch64StackProbes(LOOP, 0xffff0000)).toEqual({ allocaLoops: [0xffff0008], fixedFrame: [], truncated: false });
  });

  it('ignores the words at a misaligned address', () => {
    const shifted = new Uint8Array(LOOP.length + 2);
    shifted.set(LOOP, 2);
    expect(findAarch64StackProbes(shifted, 0x400000)).toEqual({ allocaLoops: [], fixedFrame: [], truncated: false });
    // ...but the same bytes are aligned when the section itself starts two bytes early.
    expect(findAarch64StackProbes(shifted, 0x400002).allocaLoops).toEqual([0x40000c]);
  });

  it('needs the page step right before the probe, and the b.ne back to it', () => {
    const noStep = LOOP.slice();
    noStep.set(words(0xd10043ff), 8); // sub sp, sp, #0x10 (no lsl #12)
    expect(findAarch64StackProbes(noStep, 0)).toEqual({ allocaLoops: [], fixedFrame: [], truncated: false });
    const wrongBack = LOOP.slice();
    wrongBack.set(words(0x54ffffc1), 20); // b.ne -1: back to the probe, not the step
    expect(findAarch64StackProbes(wrongBack, 0)).toEqual({ allocaLoops: [], fixedFrame: [8], truncated: false });
  });

  it('counts an unrolled run once', () => {
    const run = words(0xd14043ff, 0xf90203ff, 0xd14043ff, 0xf90203ff, 0xd14043ff, 0xf90203ff, 0xd13543ff);
    expect(findAarch64StackProbes(run, 0x1000)).toEqual({ allocaLoops: [], fixedFrame: [0x1000], truncated: false });
  });

  it('never throws on truncations and random words salted with probe words', () => {
    for (let n = 0; n <= LOOP.length; n++) expect(() => findAarch64StackProbes(LOOP.subarray(0, n), 0)).not.toThrow();
    const rnd = prng(5);
    const salt = [0xd14043ff, 0xf90203ff, 0xeb2063ff, 0x54ffffa1, 0x17fffffc, 0x540000a0, 0xd14007ff];
    for (let round = 0; round < 20; round++) {
      const ws = Array.from({ length: 5000 }, () => (rnd() < 0.3 ? (salt[Math.floor(rnd() * salt.length)] ?? 0) : Math.floor(rnd() * 2 ** 32)));
      const buf = words(...ws).subarray(0, 20000 - Math.floor(rnd() * 4));
      const r = findAarch64StackProbes(buf, 0x10000);
      for (const a of [...r.allocaLoops, ...r.fixedFrame]) {
        expect(a % 4).toBe(0);
        expect(a).toBeGreaterThanOrEqual(0x10000);
        expect(a).toBeLessThan(0x10000 + buf.length);
      }
    }
  });

  it('caps the list at MAX_FINDINGS and says so', () => {
    const unit = words(0xd14043ff, 0xf90203ff, 0xd503201f); // sub; str; nop: one frame each
    const n = MAX_FINDINGS + 10;
    const code = new Uint8Array(unit.length * n);
    for (let i = 0; i < n; i++) code.set(unit, i * unit.length);
    const r = findAarch64StackProbes(code, 0);
    expect(r.fixedFrame).toHaveLength(MAX_FINDINGS);
    expect(r.truncated).toBe(true);
  });
});
