/**
 * Stack-clash probes in x86-64 machine code (and i386 code, with `bits` 32: gcc emits the same
 * shapes there on esp, without the REX bytes, and with DWORD probes at [esp+0xffc]).
 *
 * `-fstack-clash-protection` makes the compiler touch ("probe") every 4 KiB page of a large
 * stack allocation in order, so that it cannot jump over the guard page. Byte encodings below
 * are as gcc 12 and clang 15 emit them (verified by test/code/x86-64-stack-probes.test.ts).
 *
 * gcc, run-time sized (alloca, VLA), -O0/-Os:
 *   48 39 c4          cmp rsp,rax              (any register)
 *   74 12             je   done
 *   48 81 ec 00 10 00 00            sub rsp,0x1000
 *   48 83 8c 24 f8 0f 00 00 00      or  QWORD PTR [rsp+0xff8],0x0
 *   eb e9             jmp  <the cmp>
 * gcc, the same at -O1..-O3: the jmp becomes `cmp rsp,rax; jne <the sub>` (48 39 c4 75 eb).
 * gcc, compile-time sized frame: one `sub rsp,0x1000; or QWORD PTR [rsp],0x0`
 *   (48 81 ec 00 10 00 00 48 83 0c 24 00) per page up to 3 pages, else a loop
 *   4c 8d 9c 24 00 c0 ff ff   lea r11,[rsp-0x4000]
 *   48 81 ec 00 10 00 00 48 83 0c 24 00 4c 39 dc 75 ef    sub; or [rsp],0; cmp rsp,r11; jne
 *   and, after the loop of a constant-size alloca, `sub rsp,N; or QWORD PTR [rsp+N-8],0x0`.
 * clang, run-time sized: the probe comes first and is a `xor`:
 *   48 83 34 24 00    xor QWORD PTR [rsp],0x0
 *   48 81 ec 00 10 00 00            sub rsp,0x1000
 *   48 39 e3 7c ef    cmp rbx,rsp; jl <the xor>   (-O0: jge out before the xor, jmp back)
 * clang, compile-time sized: `sub rsp,0x1000; mov QWORD PTR [rsp],0x0`
 *   (48 c7 04 24 00 00 00 00) unrolled, or looped with `mov r11,rsp; sub r11,N` before and
 *   `cmp rsp,r11; jne` after.
 *
 * Every form contains `48 81 ec 00 10 00 00`; the scan finds `81 ec` with the native byte
 * search and decodes only around each hit, so a 50 MB section costs a few milliseconds.
 *
 * `hasDebianProbeLoop` is different on purpose: it reproduces what Debian's hardening-check
 * (devscripts 2.26.13) concludes, including its blind spots; see its comment.
 */
import { ByteSearcher } from './byte-search.js';
import { record, type StackProbes, WorkBudget } from './stack-probes.js';
import { CC, decodeX86, imm32At, insnsEndingAt, isImm, isReg, MAX_INSN, mayBeOrXorImm, REG_RSP, rspDisp, type Operand, type X86Bits, type X86Insn } from './x86-decode.js';

const PAGE = 0x1000;

// ---------------------------------------------------------------------------------------------
// The Debian-compatible recogniser
// ---------------------------------------------------------------------------------------------

/*
 * What the reference does, established by running it on crafted inputs (test/code/
 * debian-reference.test.ts replays the experiments): it reads objdump's Intel-syntax listing
 * line by line through a six-state machine, and answers yes as soon as one run completes:
 *   state 0: a `cmp` whose operands start with `rsp,` or whose line mentions `0x1000` anywhere
 *            (immediate, displacement, even a symbol+offset comment)    -> 1, remember its address
 *   state 1: `je` or `jb` (any target)                                  -> 2
 *   state 2: `sub` whose operands contain `,0x1000` (any destination)   -> 3
 *   state 3: `or` whose immediate is 0 (any destination)                -> 4
 *   state 4: `jmp` to the remembered address                            -> yes
 *            `cmp rsp,...`                                              -> 5
 *   state 5: `jne` to the remembered address + 5 (whatever the lengths)  -> yes
 * Any other line (a label, another instruction, an instruction with a printed prefix such as
 * "rex.W" or "data16") sends it back to state 0 *without* looking at that line again, so a cmp
 * right after a matching cmp is missed (cmp; cmp; je ... fails, cmp; cmp; cmp; je ... passes).
 *
 * We follow the same rules from the bytes: anchor on the imm32 0x1000 of the sub (bytes
 * 00 10 00 00), decode the or and the closing jump forward, the je and the cmp backwards, and
 * replay the state machine over the instructions before the cmp. Known differences, none of
 * which a compiler produces: sub immediates that merely print as 0x1000... (0x10000, 16-bit
 * forms), symbol names or symbol+offset comments containing "0x1000", prefixes other than
 * 66/64/65/REX, a symbol label inside the sequence, and code that objdump's linear sweep
 * decodes at other instruction boundaries than the ones the sequence implies.
 */

/** The last three bytes of imm32 0x00001000; the byte before must be 00. `10` is rarer than `00`. */
const DEBIAN_ANCHOR = Uint8Array.of(0x10, 0x00, 0x00);

/** How many instructions before a candidate cmp the state machine is replayed. */
const DEBIAN_REPLAY_DEPTH = 8;

function hexStartsWith1000(v: number): boolean {
  return v > 0 && v.toString(16).startsWith('1000');
}

/** Whether objdump's text for this operand contains "0x1000". */
function mentions1000(o: Operand | undefined): boolean {
  if (o === undefined || o.kind === 'reg') return false;
  if (o.kind === 'imm') return hexStartsWith1000(o.value);
  // An absolute address prints unsigned ("ds:0x1000"); anything else as +/-magnitude.
  if (o.base === -1 && o.index === -1 && !o.rip) return hexStartsWith1000(o.disp);
  return hexStartsWith1000(Math.abs(o.disp));
}

function startsWithRsp(i: X86Insn): boolean {
  return i.opSize === 64 && isReg(i.dst, REG_RSP);
}

const debianCmp = (i: X86Insn): boolean => i.quiet && i.mnemonic === 'cmp' && (startsWithRsp(i) || mentions1000(i.dst) || mentions1000(i.src));
const debianJeJb = (i: X86Insn): boolean => i.quiet && i.mnemonic === 'jcc' && (i.cc === CC.E || i.cc === CC.B);
const debianSub = (i: X86Insn): boolean => i.quiet && i.mnemonic === 'sub' && i.src?.kind === 'imm' && hexStartsWith1000(i.src.value);
const debianOr = (i: X86Insn): boolean => i.quiet && i.mnemonic === 'or' && isImm(i.src, 0);
const debianCmpRsp = (i: X86Insn): boolean => i.quiet && i.mnemonic === 'cmp' && startsWithRsp(i);

/** The per-line tests of the reference's state machine, exported for the objdump comparison tests. */
export const DEBIAN_LINE_TESTS = Object.freeze({ cmp: debianCmp, jeJb: debianJeJb, sub: debianSub, or: debianOr, cmpRsp: debianCmpRsp });

/**
 * True when Debian's hardening-check would report "Stack clash protection: yes" from this
 * executable section alone. `code` holds the bytes of one section with SHF_EXECINSTR (objdump
 * also disassembles non-SHF_ALLOC ones, and each member of an archive), and `address` is its
 * sh_addr. `bits` is 32 for i386 files: the reference runs on them too, and its rules can match
 * hand-written 32-bit code (`cmp eax,0x1000; jb; sub esp,0x1000; or DWORD PTR [esp],0x0;
 * jmp`), never gcc's (its `cmp esp,reg` lacks "rsp,"). The file's answer is the OR over its
 * executable sections (objdump prints a header between sections, which resets the reference's
 * state machine). On crafted input that exhausts the decode budget (`WorkBudget`) the answer
 * is false.
 */
export function hasDebianProbeLoop(code: Uint8Array, address: number, bits: X86Bits = 64): boolean {
  const search = new ByteSearcher(code);
  const cx: DebianScan = { code, address, bits, budget: WorkBudget.forSection(code.length), memo: new Map() };
  for (let k = search.indexOf(DEBIAN_ANCHOR, 1); k !== -1; k = search.indexOf(DEBIAN_ANCHOR, k + 1)) {
    if (code[k - 1] !== 0x00) continue;
    if (debianRunThroughSub(cx, k + 3)) return true;
    if (cx.budget.exhausted) return false;
  }
  return false;
}

interface DebianScan {
  readonly code: Uint8Array;
  readonly address: number;
  readonly bits: X86Bits;
  readonly budget: WorkBudget;
  /** debianStateAt results by position, for the whole section. */
  readonly memo: Map<number, number>;
}

const at = (cx: DebianScan, pos: number): X86Insn | undefined => decodeX86(cx.code, pos, cx.address, cx.bits);
const ending = (cx: DebianScan, end: number, pred: (i: X86Insn) => boolean): X86Insn[] => insnsEndingAt(cx.code, end, cx.address, pred, cx.bits);

/** Whether a matching run has its `sub ...,0x1000` ending at `subEnd`, in any reading. */
function debianRunThroughSub(cx: DebianScan, subEnd: number): boolean {
  const { budget, address } = cx;
  // Forward first: the or and the close do not depend on where the sub starts, and they
  // reject almost every anchor hit for the price of one or two decodes.
  budget.take(3);
  const or = at(cx, subEnd);
  if (or === undefined || !debianOr(or)) return false;
  const fifth = at(cx, or.end);
  if (fifth === undefined || !fifth.quiet) return false;
  let closeTarget: number;
  let closeOffset = 0;
  if (fifth.mnemonic === 'jmp') {
    closeTarget = fifth.target;
  } else if (debianCmpRsp(fifth)) {
    const sixth = at(cx, fifth.end);
    if (sixth === undefined || !sixth.quiet || sixth.mnemonic !== 'jcc' || sixth.cc !== CC.NE) return false;
    closeTarget = sixth.target;
    closeOffset = 5;
  } else {
    return false;
  }
  if (!budget.take(MAX_INSN)) return false;
  for (const sub of ending(cx, subEnd, debianSub)) {
    if (!budget.take(MAX_INSN)) return false;
    for (const je of ending(cx, sub.start, debianJeJb)) {
      if (!budget.take(MAX_INSN)) return false;
      for (const cmp of ending(cx, je.start, debianCmp)) {
        if (address + cmp.start + closeOffset !== closeTarget) continue;
        if (debianStateAt(cx, cmp.start, DEBIAN_REPLAY_DEPTH) === 0) return true;
      }
    }
  }
  return false;
}

const DEBIAN_STEPS: readonly (readonly [number, (i: X86Insn) => boolean])[] = [
  [0, debianCmp],
  [1, debianJeJb],
  [2, debianSub],
  [3, debianOr],
  [4, debianCmpRsp],
];

/**
 * The reference's state when it reaches the instruction at `pos`: nonzero only when the
 * instructions just before it advanced the machine (see above). Decoding backwards is
 * ambiguous, so every reading is tried and any advancing one wins; beyond `depth`
 * instructions we assume state 0, which is what every compiler-generated sequence gives.
 * Results are memoised per position for the whole section.
 */
function debianStateAt(cx: DebianScan, pos: number, depth: number): number {
  const known = cx.memo.get(pos);
  if (known !== undefined) return known;
  let state = 0;
  if (depth > 0 && cx.budget.take(DEBIAN_STEPS.length * MAX_INSN)) {
    search: for (const [from, pred] of DEBIAN_STEPS) {
      for (const prev of ending(cx, pos, pred)) {
        if (debianStateAt(cx, prev.start, depth - 1) === from) {
          state = from + 1;
          break search;
        }
      }
    }
  }
  cx.memo.set(pos, state);
  return state;
}

// ---------------------------------------------------------------------------------------------
// The modern recogniser
// ---------------------------------------------------------------------------------------------

/**
 * On x86-64, `allocaLoops` holds the address of each loop's `sub rsp,0x1000`, and `fixedFrame`
 * the first `sub rsp,0x1000` of an unrolled run or of an r11-bounded loop, or the `sub rsp,N`
 * that a single `or [rsp+M],0x0` follows (gcc's tail of a constant-size alloca).
 */
export interface X86StackProbes extends StackProbes {
  /**
   * `sub rsp,N` with N >= 4096 that no probe follows: a frame that can jump the guard page.
   * Evidence, not proof of a missing flag: gcc with -fstack-clash-protection still emits
   * unprobed `sub rsp,N` for an outgoing-argument area (a large struct passed by value), and
   * hand-written assembly may probe in other ways.
   */
  unprobedFrames: number[];
}

/** `48 81 ec` is `sub rsp,imm32` (`81 ec` alone `sub esp,imm32`); `81` is rarer than `48`. */
const SUB_SP_IMM32 = Uint8Array.of(0x81, 0xec);

/**
 * A probe of `[rsp+disp]`: `or`/`xor` with 0, or (`allowMov`, clang's fixed-frame form) a
 * `mov` of 0. Returns disp. A `mov` of 0 is only taken right after `sub rsp,0x1000`: after
 * other subs it is far more often a local variable being zeroed.
 */
function probeDisp(i: X86Insn | undefined, allowMov: boolean): number | undefined {
  if (i === undefined) return undefined;
  if (i.mnemonic !== 'or' && i.mnemonic !== 'xor' && !(allowMov && i.mnemonic === 'mov')) return undefined;
  if (!isImm(i.src, 0)) return undefined;
  return rspDisp(i.dst);
}

/** `cmp` of the stack pointer against a register, in either order; returns the register or -1. */
function cmpSpReg(cx: Scan, i: X86Insn | undefined): number {
  if (i === undefined || i.mnemonic !== 'cmp' || i.opSize !== cx.bits) return -1;
  const { dst, src } = i;
  if (dst?.kind !== 'reg' || src?.kind !== 'reg') return -1;
  if (dst.reg === REG_RSP) return src.reg;
  if (src.reg === REG_RSP) return dst.reg;
  return -1;
}

const isJeJb = (i: X86Insn): boolean => i.mnemonic === 'jcc' && (i.cc === CC.E || i.cc === CC.B);

/** Decode steps `classifyPageStep` may spend on one anchor, at most. */
const PAGE_STEP_COST = 8 * MAX_INSN;

interface Scan {
  readonly code: Uint8Array;
  readonly address: number;
  readonly bits: X86Bits;
  readonly out: X86StackProbes;
}

const decodeIn = (cx: Scan, pos: number): X86Insn | undefined => decodeX86(cx.code, pos, cx.address, cx.bits);
const endingIn = (cx: Scan, end: number, pred: (i: X86Insn) => boolean): X86Insn[] => insnsEndingAt(cx.code, end, cx.address, pred, cx.bits);

/**
 * Finds the stack-clash probes in one executable section (`code` at virtual address
 * `address`); `bits` 32 reads i386 code, where gcc emits the same shapes on esp
 * (`81 ec 00 10 00 00  sub esp,0x1000`, `83 8c 24 fc 0f 00 00 00  or DWORD PTR [esp+0xffc],0x0`).
 * Never throws: every read is bounds-checked, each anchor costs a bounded number of tiny
 * decodes, and the whole scan a bounded budget (`truncated` says it ran out).
 */
export function findX86StackProbes(code: Uint8Array, address: number, bits: X86Bits = 64): X86StackProbes {
  const out: X86StackProbes = { allocaLoops: [], fixedFrame: [], unprobedFrames: [], truncated: false };
  const cx: Scan = { code, address, bits, out };
  const search = new ByteSearcher(code);
  const budget = WorkBudget.forSection(code.length);
  for (let k = search.indexOf(SUB_SP_IMM32, 0); k !== -1 && !out.truncated; k = search.indexOf(SUB_SP_IMM32, k + 1)) {
    // 64-bit: REX.W must come first (48 81 ec); 32-bit code has no REX.
    const start = bits === 64 ? k - 1 : k;
    if (bits === 64 && code[start] !== 0x48) continue;
    if (!budget.take(2)) {
      out.truncated = true;
      break;
    }
    // The bytes are `sub rsp,imm32` (`sub esp,imm32`): the size is read from them directly.
    // Most hits are ordinary prologues of small frames, so only a page step, or a small sub
    // followed by what may be a probe, is decoded further.
    const size = imm32At(code, k + 2);
    if (size === undefined) continue;
    const end = k + 6;
    const here = address + start;
    if (size === PAGE) {
      const sub = decodeIn(cx, start);
      if (sub === undefined) continue;
      budget.take(PAGE_STEP_COST);
      classifyPageStep(cx, sub);
    } else if (size > PAGE) {
      // One probe cannot cover more than a page, and compilers never try: unprobed.
      record(out, out.unprobedFrames, here);
    } else if (size > 0 && mayBeOrXorImm(code, end, bits)) {
      // gcc's tail of a constant-size alloca: `sub rsp,N; or QWORD PTR [rsp+N-8],0x0`.
      const d = probeDisp(decodeIn(cx, end), false);
      if (d !== undefined && d >= 0 && d < size) record(out, out.fixedFrame, here);
    }
  }
  return out;
}

/**
 * clang: `xor [rsp],0; sub rsp,0x1000; cmp reg,rsp; jl <the xor>`, or at -O0
 * `cmp reg,rsp; jge out; xor [rsp],0; sub rsp,0x1000; jmp <above the xor>` with out just
 * after the jmp.
 */
function closesClangLoop(cx: Scan, before: X86Insn, next: X86Insn): boolean {
  const { address } = cx;
  if (cmpSpReg(cx, next) >= 0) {
    const br = decodeIn(cx, next.end);
    return br !== undefined && br.mnemonic === 'jcc' && br.target === address + before.start;
  }
  if (next.mnemonic !== 'jmp' || next.target >= address + before.start) return false;
  return endingIn(cx, before.start, (i) => i.mnemonic === 'jcc' && i.target === address + next.end).length > 0;
}

/** A `sub rsp,0x1000`: a loop step, an unrolled probe, or (with no probe) an unprobed page. */
function classifyPageStep(cx: Scan, sub: X86Insn): void {
  const { address, out } = cx;
  const here = address + sub.start;
  const next = decodeIn(cx, sub.end);

  // clang's run-time loop: the probe (`xor [rsp],0`) comes before the sub. Several readings
  // can end there (with and without the REX byte), so each is tried.
  if (next !== undefined) {
    for (const before of endingIn(cx, sub.start, (i) => probeDisp(i, false) === 0)) {
      if (closesClangLoop(cx, before, next)) {
        record(out, out.allocaLoops, here);
        return;
      }
    }
  }

  const probe = probeDisp(next, true);
  if (next === undefined || probe === undefined || probe < 0 || probe >= PAGE) {
    record(out, out.unprobedFrames, here);
    return;
  }
  const after = decodeIn(cx, next.end);

  // gcc -O0/-Os run-time loop: jmp back to `cmp rsp,reg; je/jb` just above the sub.
  if (after !== undefined && after.mnemonic === 'jmp' && after.target < here) {
    const cmp = decodeIn(cx, after.target - address);
    const guard = cmp === undefined || cmpSpReg(cx, cmp) < 0 ? undefined : decodeIn(cx, cmp.end);
    if (guard !== undefined && isJeJb(guard) && guard.end === sub.start) {
      record(out, out.allocaLoops, here);
      return;
    }
  }

  // A loop closed by `cmp rsp,reg; jne <the sub>`: gcc -O1+ run-time (guarded by cmp/je just
  // above), or a compile-time frame bounded by a register set above (gcc `lea r11,[rsp-N]`,
  // clang `mov r11,rsp; sub r11,N`; on i386 gcc uses eax).
  if (after !== undefined && cmpSpReg(cx, after) >= 0) {
    const br = decodeIn(cx, after.end);
    if (br !== undefined && br.mnemonic === 'jcc' && br.cc === CC.NE && br.target === here) {
      const guarded = endingIn(cx, sub.start, isJeJb).length > 0;
      record(out, guarded ? out.allocaLoops : out.fixedFrame, here);
      return;
    }
  }

  // Unrolled probes: report only the first page of a run.
  if (endingIn(cx, sub.start, (i) => probeDisp(i, true) === 0).length === 0) record(out, out.fixedFrame, here);
}
