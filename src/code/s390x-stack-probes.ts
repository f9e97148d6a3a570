/**
 * Stack-clash probes in s390x machine code, as gcc 12 emits them for -fstack-clash-protection
 * (4 KiB probe interval; verified with s390x-linux-gnu-gcc by
 * test/code/other-arch-stack-probes.test.ts). Instructions are big-endian and 2-byte aligned
 * (z/Architecture Principles of Operation):
 *
 *   e3 f0 f0 00 ff 71    lay  %r15,-4096(%r15)      one page step (RXY, 20-bit displacement)
 *   a7 fb f0 00          aghi %r15,-4096            the same step at -O0
 *   e3 00 ff f8 00 20    cg   %r0,4088(%r15)        the probe: a load, at the top of the new page
 *   b9 20 00 fN          cgr  %r15,%rN
 *   b9 21 00 fN          clgr %r15,%rN
 *   a7 M4 xx xx          brc  M,rel16 (je: M=8, jne: 7, jh: 2, j: 15), target = here + 2*rel16
 *
 * Run-time sized (alloca, VLA): `cgr %r15,%rN; je out; L: lay; cg; cgr %r15,%rN; jne L`, or
 * at -O0/-Os the loop closes with `j <the cgr>`.
 * Compile-time sized: `lay; cg` unrolled, or
 *   lay %r14,-N(%r15); L: lay %r15,-4096(%r15); cg %r0,4088(%r15); clgr %r15,%r14; jh L
 * followed by `lay %r15,-R(%r15); cg %r0,R-8(%r15)` for the rest.
 *
 * The anchor is the probe's six bytes, found with the native byte search.
 */
import { ByteSearcher } from './byte-search.js';
import { record, type StackProbes } from './stack-probes.js';

const PROBE = Uint8Array.of(0xe3, 0x00, 0xff, 0xf8, 0x00, 0x20);
const LAY_STEP = Uint8Array.of(0xe3, 0xf0, 0xf0, 0x00, 0xff, 0x71);
const AGHI_STEP = Uint8Array.of(0xa7, 0xfb, 0xf0, 0x00);

function bytesAt(code: Uint8Array, i: number, want: Uint8Array): boolean {
  if (i < 0 || i + want.length > code.length) return false;
  for (let k = 0; k < want.length; k++) if (code[i + k] !== want[k]) return false;
  return true;
}

/** `cgr`/`clgr %r15,%rN` at `i` (opcode byte b9 20 or b9 21); returns N, or -1. */
function compareR15(code: Uint8Array, i: number, logical: boolean): number {
  if (i < 0 || i + 4 > code.length) return -1;
  if (code[i] !== 0xb9 || code[i + 1] !== (logical ? 0x21 : 0x20) || code[i + 2] !== 0x00) return -1;
  const r = code[i + 3] ?? 0;
  return r >> 4 === 15 ? r & 15 : -1;
}

/** Target offset of `brc mask,rel16` at `i`, or undefined. */
function brcTarget(code: Uint8Array, i: number, mask: number): number | undefined {
  if (i < 0 || i + 4 > code.length || code[i] !== 0xa7 || code[i + 1] !== ((mask << 4) | 4)) return undefined;
  const rel = (((code[i + 2] ?? 0) << 8) | (code[i + 3] ?? 0)) << 16 >> 16;
  return i + rel * 2;
}

const JE = 8;
const JNE = 7;
const JH = 2;
const J = 15;

/** Finds gcc's stack-clash probes in one s390x executable section. Never throws. */
export function findS390xStackProbes(code: Uint8Array, address: number): StackProbes {
  const out: StackProbes = { allocaLoops: [], fixedFrame: [], truncated: false };
  const search = new ByteSearcher(code);
  for (let p = search.indexOf(PROBE, 0); p !== -1 && !out.truncated; p = search.indexOf(PROBE, p + 1)) {
    if ((address + p) % 2 !== 0) continue;
    let step: number;
    if (bytesAt(code, p - 6, LAY_STEP)) step = p - 6;
    else if (bytesAt(code, p - 4, AGHI_STEP)) step = p - 4;
    else continue;
    classify(code, address, step, p + 6, out);
  }
  return out;
}

function classify(code: Uint8Array, address: number, step: number, next: number, out: StackProbes): void {
  const here = address + step;
  // The guard of a run-time allocation: `cgr %r15,%rN; je out` just above the step.
  const guardReg = brcTarget(code, step - 4, JE) !== undefined ? compareR15(code, step - 8, false) : -1;
  const reg = compareR15(code, next, false);
  if (reg >= 0 && brcTarget(code, next + 4, JNE) === step) {
    record(out, guardReg === reg ? out.allocaLoops : out.fixedFrame, here);
    return;
  }
  if (guardReg >= 0 && brcTarget(code, next, J) === step - 8) {
    record(out, out.allocaLoops, here);
    return;
  }
  if (compareR15(code, next, true) >= 0 && brcTarget(code, next + 4, JH) === step) {
    record(out, out.fixedFrame, here);
    return;
  }
  // Unrolled: report the first step of a run only.
  if (!bytesAt(code, step - 6, PROBE)) record(out, out.fixedFrame, here);
}
