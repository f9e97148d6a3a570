/**
 * Stack-clash probes in AArch64 machine code, as gcc 12 emits them for
 * -fstack-clash-protection (verified with aarch64-linux-gnu-gcc by
 * test/code/aarch64-stack-probes.test.ts). Instruction words (Arm ARM, A64 encodings):
 *
 *   d14043ff   sub sp, sp, #0x10, lsl #12     one 64 KiB step (the default guard size;
 *   d14007ff   sub sp, sp, #0x1, lsl #12      --param stack-clash-protection-guard-size=12)
 *   f90203ff   str xzr, [sp, #1024]           the probe: gcc always probes 1 KiB above sp
 *   eb2063ff | m<<16   cmp sp, xm             (subs xzr, sp, xm, uxtx)
 *   54000000 | imm19<<5 | cond   b.cond       (0 = eq, 1 = ne)
 *   14000000 | imm26   b
 *
 * Run-time sized (alloca, VLA), -O1 and up:
 *   cmp sp, x0; b.eq out; L: sub sp, sp, #0x10, lsl #12; str xzr, [sp, #1024]; cmp sp, x0; b.ne L
 * and at -O0 the loop closes with `b <the cmp>` instead.
 * Compile-time sized frames of 64 KiB and more: `sub; str` unrolled (up to 3 pages), or
 *   sub x12, sp, #N, lsl #12; L: sub sp, sp, #0x10, lsl #12; str xzr, [sp, #1024]; cmp sp, x12; b.ne L
 * Frames under the guard size get no probe at all (the saved link register acts as one), so
 * their absence says nothing.
 *
 * A64 instructions are little-endian in memory on big-endian (aarch64_be) systems too, so the
 * same bytes are searched for either ELF data encoding. clang 15 ignores the flag on AArch64.
 *
 * The anchor is the probe `str xzr, [sp, #1024]` (bytes ff 03 02 f9), found with the native
 * byte search; only the words around each hit are looked at.
 *
 * Unlike x86-64 there is no report of unprobed large frames: `sub sp, sp, #imm, lsl #12` has no
 * distinctive byte string (only its first and last bytes are fixed), and a word-by-word loop
 * costs ~100 ms per 50 MB of code, which the scan budget does not allow.
 */
import { ByteSearcher } from './byte-search.js';
import { record, type StackProbes } from './stack-probes.js';

/** The last three bytes of `str xzr, [sp, #1024]`; the byte before must be ff. */
const PROBE_ANCHOR = Uint8Array.of(0x03, 0x02, 0xf9);
const PROBE_WORD = 0xf90203ff;

function word(code: Uint8Array, i: number): number | undefined {
  if (i < 0 || i + 4 > code.length) return undefined;
  return ((code[i] ?? 0) | ((code[i + 1] ?? 0) << 8) | ((code[i + 2] ?? 0) << 16) | ((code[i + 3] ?? 0) << 24)) >>> 0;
}

/** `sub sp, sp, #imm, lsl #12` with a page-step immediate (4 KiB or 64 KiB); returns imm or 0. */
function pageStep(w: number | undefined): number {
  if (w === undefined || (w & 0xffc003ff) >>> 0 !== 0xd14003ff) return 0;
  const imm = (w >>> 10) & 0xfff;
  return imm === 0x1 || imm === 0x10 ? imm : 0;
}

/** `cmp sp, xm`; returns m, or -1. */
function cmpSpReg(w: number | undefined): number {
  if (w === undefined || (w & 0xffe0ffff) >>> 0 !== 0xeb2063ff) return -1;
  return (w >>> 16) & 31;
}

/** Target (as an offset into `code`) of `b.cond` with condition `cond` at offset `at`, or undefined. */
function bcondTarget(w: number | undefined, at: number, cond: number): number | undefined {
  if (w === undefined || (w & 0xff000010) >>> 0 !== 0x54000000 || (w & 0xf) !== cond) return undefined;
  const imm19 = ((w >>> 5) & 0x7ffff) << 13 >> 13;
  return at + imm19 * 4;
}

/** Target of an unconditional `b` at offset `at`, or undefined. */
function bTarget(w: number | undefined, at: number): number | undefined {
  if (w === undefined || (w & 0xfc000000) >>> 0 !== 0x14000000) return undefined;
  const imm26 = (w & 0x3ffffff) << 6 >> 6;
  return at + imm26 * 4;
}

const EQ = 0;
const NE = 1;

/**
 * Finds gcc's stack-clash probes in one AArch64 executable section (`code` at virtual address
 * `address`). Never throws; instructions are only looked for at 4-byte aligned addresses.
 */
export function findAarch64StackProbes(code: Uint8Array, address: number): StackProbes {
  const out: StackProbes = { allocaLoops: [], fixedFrame: [], truncated: false };
  const search = new ByteSearcher(code);
  for (let k = search.indexOf(PROBE_ANCHOR, 1); k !== -1 && !out.truncated; k = search.indexOf(PROBE_ANCHOR, k + 1)) {
    const str = k - 1;
    if (code[str] !== 0xff || (address + str) % 4 !== 0) continue;
    const sub = str - 4;
    if (pageStep(word(code, sub)) === 0) continue;
    classify(code, address, sub, out);
  }
  return out;
}

/** `sub` is the offset of a page step followed by the probe. */
function classify(code: Uint8Array, address: number, sub: number, out: StackProbes): void {
  const here = address + sub;
  const next = word(code, sub + 8);
  // A guard `cmp sp, xN; b.eq` just above the step marks a run-time sized allocation.
  const guardReg = bcondTarget(word(code, sub - 4), sub - 4, EQ) !== undefined ? cmpSpReg(word(code, sub - 8)) : -1;

  const reg = cmpSpReg(next);
  if (reg >= 0 && bcondTarget(word(code, sub + 12), sub + 12, NE) === sub) {
    record(out, guardReg === reg ? out.allocaLoops : out.fixedFrame, here);
    return;
  }
  // -O0: the loop closes with `b <the guard's cmp>`.
  if (guardReg >= 0 && bTarget(next, sub + 8) === sub - 8) {
    record(out, out.allocaLoops, here);
    return;
  }
  // Unrolled steps: report the first of a run only.
  if (word(code, sub - 4) !== PROBE_WORD) record(out, out.fixedFrame, here);
}
