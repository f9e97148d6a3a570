/**
 * Stack-clash probes in 64-bit Power machine code (ppc64le, and ppc64 big-endian with
 * `bigEndian`), as gcc 12 emits them for -fstack-clash-protection (4 KiB probe interval;
 * verified with powerpc64le-linux-gnu-gcc by test/code/other-arch-stack-probes.test.ts).
 * On Power every frame is allocated by a store of the back chain with update, which is itself
 * a probe at the new stack pointer; the flag splits a large allocation into 4 KiB steps.
 * Instruction words (Power ISA):
 *
 *   f801f001 | S<<21   stdu rS,-4096(r1)    one page step and its probe (DS-form, XO=1)
 *   f8010001 | ...      stdu rS,-N(r1)       any other back-chain store with update
 *   7c214000 | N<<11    cmpd r1,rN           (cmp cr0,1,r1,rN)
 *   41820000 | BD       beq   40820000 | BD  bne   48000000 | LI  b
 *
 * Run-time sized: `cmpd r1,rN; beq out; L: stdu rS,-4096(r1); cmpd r1,rN; bne L`, or at -O0
 * `... L: stdu; b <the cmpd>`.
 * Compile-time sized: `stdu r1,-4096(r1)` (or rS) repeated then `stdu r0,-R(r1)` for the
 * rest, or `addis r12,r1,-N; L: stdu r0,-4096(r1); cmpd r1,r12; bne L; stdu r0,-R(r1)`.
 * A single `stdu r1,-4096(r1)` is an ordinary 4 KiB frame, probed or not, and is not reported.
 *
 * The anchor is the low half of the step word, `f001` (DS = -4096, XO = 1).
 */
import { ByteSearcher } from './byte-search.js';
import { record, type StackProbes } from './stack-probes.js';

function reader(code: Uint8Array, bigEndian: boolean): (i: number) => number | undefined {
  return (i) => {
    if (i < 0 || i + 4 > code.length) return undefined;
    const [a, b, c, d] = [code[i] ?? 0, code[i + 1] ?? 0, code[i + 2] ?? 0, code[i + 3] ?? 0];
    return (bigEndian ? (a << 24) | (b << 16) | (c << 8) | d : (d << 24) | (c << 16) | (b << 8) | a) >>> 0;
  };
}

/** `stdu rS,D(r1)` with a negative displacement; returns D, or 0. */
function stduR1(w: number | undefined): number {
  if (w === undefined || (w & 0xfc1f0003) >>> 0 !== 0xf8010001) return 0;
  const ds = (w & 0xfffc) << 16 >> 16;
  return ds < 0 ? ds : 0;
}

/** `cmpd r1,rN` (cr0); returns N, or -1. */
function cmpdR1(w: number | undefined): number {
  if (w === undefined || (w & 0xffff07ff) >>> 0 !== 0x7c210000) return -1;
  return (w >>> 11) & 31;
}

/** Target offset of a conditional branch on cr0 (`beq`: BO=12,BI=2; `bne`: BO=4,BI=2) at `i`. */
function bcTarget(w: number | undefined, i: number, ifSet: boolean): number | undefined {
  if (w === undefined || (w & 0xffff0003) >>> 0 !== (ifSet ? 0x41820000 : 0x40820000)) return undefined;
  return i + ((w & 0xfffc) << 16 >> 16);
}

/** Target offset of `b` (no link, relative) at `i`. */
function bTarget(w: number | undefined, i: number): number | undefined {
  if (w === undefined || (w & 0xfc000003) >>> 0 !== 0x48000000) return undefined;
  return i + ((w & 0x3fffffc) << 6 >> 6);
}

const STEP = -4096;

/** Finds gcc's stack-clash probes in one 64-bit Power executable section. Never throws. */
export function findPpc64StackProbes(code: Uint8Array, address: number, bigEndian = false): StackProbes {
  const out: StackProbes = { allocaLoops: [], fixedFrame: [], truncated: false };
  const word = reader(code, bigEndian);
  // The step word's low half, f001, sits at byte 0 (LE) or byte 2 (BE) of the word.
  const anchor = bigEndian ? Uint8Array.of(0xf0, 0x01) : Uint8Array.of(0x01, 0xf0);
  const shift = bigEndian ? 2 : 0;
  const search = new ByteSearcher(code);
  for (let k = search.indexOf(anchor, 0); k !== -1 && !out.truncated; k = search.indexOf(anchor, k + 1)) {
    const at = k - shift;
    if ((address + at) % 4 !== 0 || stduR1(word(at)) !== STEP) continue;
    classify(word, address, at, out);
  }
  return out;
}

function classify(word: (i: number) => number | undefined, address: number, at: number, out: StackProbes): void {
  const here = address + at;
  const guardReg = bcTarget(word(at - 4), at - 4, true) !== undefined ? cmpdR1(word(at - 8)) : -1;
  const next = word(at + 4);
  const reg = cmpdR1(next);
  if (reg >= 0 && bcTarget(word(at + 8), at + 8, false) === at) {
    record(out, guardReg === reg ? out.allocaLoops : out.fixedFrame, here);
    return;
  }
  if (guardReg >= 0 && bTarget(next, at + 4) === at - 8) {
    record(out, out.allocaLoops, here);
    return;
  }
  // Unrolled: a page step followed by another back-chain store; the first of a run only.
  if (stduR1(next) !== 0 && stduR1(word(at - 4)) !== STEP) record(out, out.fixedFrame, here);
}
