/**
 * A deliberately tiny x86-64 decoder: only the instruction forms the stack-probe recognisers
 * look at, decoded from one start offset. It is not a disassembler and never walks a
 * section; the recognisers call it a handful of times around each anchor hit.
 *
 * Decoded (64-bit mode, or 32-bit for i386 code; Intel SDM vol. 2, tables ):
 *   00-05, 08-0D, ... 38-3D   the eight ALU ops (add or adc sbb and sub xor cmp), forms
 *                             Eb,Gb  Ev,Gv  Gb,Eb  Gv,Ev  AL,Ib  rAX,Iz
 *   80 /r ib, 81 /r iz, 83 /r ib   the same ops with an immediate (83: sign-extended imm8)
 *   88-8B mov, 8D lea, C6 /0 ib and C7 /0 iz mov-immediate
 *   70-7F jcc rel8, 0F 80-8F jcc rel32 (rel16 under 66), EB jmp rel8, E9 jmp rel32
 * Prefixes: one optional 64/65 (fs/gs), one optional 66, then one optional REX. Any other
 * prefix (lock, rep, the ignored segments, 67, a second REX) makes the decoder return
 * undefined: compilers do not put them on these instructions.
 *
 * `quiet` says whether objdump (-M intel) prints the instruction with no prefix word before
 * its mnemonic. Debian's hardening-check matches objdump's text line by line, so a prefix it
 * prints ("rex.WR sub ...", "data16 je ...", "fs sub ...") makes the line fail its test. The
 * rules below were established by running objdump on every form (test/code/x86-decode.test.ts
 * keeps comparing them): a REX prefix is printed unless every bit it sets is used; 66 is
 * silent when it makes the operand 16-bit, and printed on byte operations, on 64-bit ones
 * and on rel8 jumps; on 0F 8x jumps it is silent and makes the displacement 16-bit, the target
 * then wrapping at 64 KiB.
 */

export const REG_RSP = 4;
export const REG_R11 = 11;

export interface RegOperand {
  readonly kind: 'reg';
  /** 0-15 as encoded with REX: 0 = rax/eax/ax/al, 4 = rsp/esp/sp/spl (or ah without REX), 11 = r11. */
  readonly reg: number;
}

export interface ImmOperand {
  readonly kind: 'imm';
  /** The immediate sign-extended as the CPU does (exact: at most 32 bits are encoded). */
  readonly value: number;
}

export interface MemOperand {
  readonly kind: 'mem';
  /** Base register 0-15, or -1 for none (disp32 only, or RIP-relative). */
  readonly base: number;
  /** Index register 0-15, or -1 for none. */
  readonly index: number;
  readonly scale: number;
  /** Signed displacement (0 when none is encoded). */
  readonly disp: number;
  readonly rip: boolean;
}

export type Operand = RegOperand | ImmOperand | MemOperand;

export type Mnemonic = 'add' | 'or' | 'adc' | 'sbb' | 'and' | 'sub' | 'xor' | 'cmp' | 'mov' | 'lea' | 'jcc' | 'jmp';

const ALU: readonly Mnemonic[] = ['add', 'or', 'adc', 'sbb', 'and', 'sub', 'xor', 'cmp'];

/** Condition codes of jcc, low nibble of the opcode. */
export const CC = Object.freeze({ B: 0x2, AE: 0x3, E: 0x4, NE: 0x5, L: 0xc, GE: 0xd });

export interface X86Insn {
  /** Offset of the first byte (prefixes included) in the buffer. */
  readonly start: number;
  /** Offset just past the last byte. */
  readonly end: number;
  readonly mnemonic: Mnemonic;
  /** jcc condition (0-15); -1 for everything else. */
  readonly cc: number;
  /** Operand size in bits. */
  readonly opSize: 8 | 16 | 32 | 64;
  /** First operand in Intel order (destination), when there is one. */
  readonly dst: Operand | undefined;
  /** Second operand in Intel order (source), when there is one. */
  readonly src: Operand | undefined;
  /** Branch target as a virtual address; NaN for non-branches. */
  readonly target: number;
  /** True when objdump prints no prefix word before the mnemonic (see the module comment). */
  readonly quiet: boolean;
}

const REX_W = 8;
const REX_R = 4;
const REX_X = 2;
const REX_B = 1;

function byteAt(code: Uint8Array, i: number): number {
  return i >= 0 && i < code.length ? (code[i] ?? -1) : -1;
}

function readSigned(code: Uint8Array, i: number, size: 1 | 2 | 4): number | undefined {
  if (i < 0 || i + size > code.length) return undefined;
  const b0 = code[i] ?? 0;
  if (size === 1) return (b0 << 24) >> 24;
  const b1 = code[i + 1] ?? 0;
  if (size === 2) return ((b0 | (b1 << 8)) << 16) >> 16;
  return b0 | (b1 << 8) | ((code[i + 2] ?? 0) << 16) | ((code[i + 3] ?? 0) << 24);
}

interface ModRm {
  readonly length: number;
  readonly mod: number;
  /** The reg field extended by REX.R (a register number or an opcode extension + 8*R). */
  readonly reg: number;
  /** The rm operand: a register when mod is 3, else memory. */
  readonly rm: RegOperand | MemOperand;
  /** REX bits this ModRM (and SIB) consulted, for deciding whether objdump prints the REX. */
  readonly usedRex: number;
}

/** Decodes ModRM, SIB and displacement at `p` (32- or 64-bit addressing). */
function decodeModRm(code: Uint8Array, p: number, rex: number, bits: X86Bits): ModRm | undefined {
  const m = byteAt(code, p);
  if (m < 0) return undefined;
  const mod = m >> 6;
  const reg = ((m >> 3) & 7) | (rex & REX_R ? 8 : 0);
  const rmLow = m & 7;
  if (mod === 3) {
    return { length: 1, mod, reg, rm: { kind: 'reg', reg: rmLow | (rex & REX_B ? 8 : 0) }, usedRex: REX_B };
  }
  let length = 1;
  let base = -1;
  let index = -1;
  let scale = 1;
  let rip = false;
  let dispSize: 0 | 1 | 4 = mod === 1 ? 1 : mod === 2 ? 4 : 0;
  let usedRex = REX_B;
  if (rmLow === 4) {
    const s = byteAt(code, p + 1);
    if (s < 0) return undefined;
    length = 2;
    usedRex |= REX_X;
    scale = 1 << (s >> 6);
    const idx = ((s >> 3) & 7) | (rex & REX_X ? 8 : 0);
    index = idx === 4 ? -1 : idx;
    const b = s & 7;
    if (b === 5 && mod === 0) dispSize = 4;
    else base = b | (rex & REX_B ? 8 : 0);
  } else if (rmLow === 5 && mod === 0) {
    // disp32 alone: RIP-relative in 64-bit mode, an absolute address in 32-bit mode.
    rip = bits === 64;
    dispSize = 4;
  } else {
    base = rmLow | (rex & REX_B ? 8 : 0);
  }
  let disp = 0;
  if (dispSize !== 0) {
    const d = readSigned(code, p + length, dispSize);
    if (d === undefined) return undefined;
    disp = d;
    length += dispSize;
  }
  return { length, mod, reg, rm: { kind: 'mem', base, index, scale, disp, rip }, usedRex };
}

/** 64 for x86-64 code, 32 for i386 code (no REX; disp32 without RIP; targets wrap at 4 GiB). */
export type X86Bits = 32 | 64;

/**
 * Decodes the instruction starting at `pos` if it is one of the forms listed in the module
 * comment; `address` is the virtual address of `code[0]` (for branch targets).
 */
export function decodeX86(code: Uint8Array, pos: number, address: number, bits: X86Bits = 64): X86Insn | undefined {
  let p = pos;
  let seg = 0;
  let opsize16 = false;
  // Legacy prefixes we accept, each at most once, in any order.
  for (;;) {
    const b = byteAt(code, p);
    if ((b === 0x64 || b === 0x65) && seg === 0) seg = b;
    else if (b === 0x66 && !opsize16) opsize16 = true;
    else break;
    p++;
  }
  let rex = 0;
  let hasRex = false;
  const r = byteAt(code, p);
  // In 32-bit code 40-4F are inc/dec, none of our instructions.
  if (r >= 0x40 && r <= 0x4f) {
    if (bits === 32) return undefined;
    hasRex = true;
    rex = r & 0xf;
    p++;
  }
  const op = byteAt(code, p);
  if (op < 0) return undefined;
  p++;

  // ---- branches ----------------------------------------------------------------------------
  const noPrefix = !hasRex && seg === 0;
  // REX.W overrides 66 on near branches: the displacement stays 32-bit.
  const rel16 = opsize16 && (rex & REX_W) === 0;
  if ((op >= 0x70 && op <= 0x7f) || op === 0xeb) {
    const rel = readSigned(code, p, 1);
    if (rel === undefined) return undefined;
    const end = p + 1;
    return branch(pos, end, op === 0xeb ? 'jmp' : 'jcc', op === 0xeb ? -1 : op & 0xf, wrap(address + end + rel, bits), noPrefix && !opsize16);
  }
  if (op === 0xe9) {
    const size = rel16 ? 2 : 4;
    const rel = readSigned(code, p, size);
    if (rel === undefined) return undefined;
    const end = p + size;
    // Under 66 objdump calls it "jmpw": a different mnemonic, so never a quiet "jmp".
    return branch(pos, end, 'jmp', -1, wrap(address + end + rel, rel16 ? 16 : bits), noPrefix && !opsize16);
  }
  if (op === 0x0f) {
    const op2 = byteAt(code, p);
    if (op2 < 0x80 || op2 > 0x8f) return undefined;
    p++;
    const size = rel16 ? 2 : 4;
    const rel = readSigned(code, p, size);
    if (rel === undefined) return undefined;
    const end = p + size;
    return branch(pos, end, 'jcc', op2 & 0xf, wrap(address + end + rel, rel16 ? 16 : bits), noPrefix);
  }

  // ---- ModRM and accumulator forms --------------------------------------------------------
  let mnemonic: Mnemonic;
  let byteOp: boolean;
  let immSize: 0 | 1 | 2 | 4 = 0;
  let form: 'E,G' | 'G,E' | 'acc,I' | 'E,I';
  if (op < 0x40 && (op & 7) <= 5) {
    mnemonic = ALU[op >> 3] ?? 'add';
    const f = op & 7;
    byteOp = (f & 1) === 0;
    form = f <= 1 ? 'E,G' : f <= 3 ? 'G,E' : 'acc,I';
  } else if (op === 0x80 || op === 0x81 || op === 0x83) {
    mnemonic = 'add'; // replaced by the ModRM reg field below
    byteOp = op === 0x80;
    form = 'E,I';
  } else if (op >= 0x88 && op <= 0x8b) {
    mnemonic = 'mov';
    byteOp = (op & 1) === 0;
    form = op <= 0x89 ? 'E,G' : 'G,E';
  } else if (op === 0x8d) {
    mnemonic = 'lea';
    byteOp = false;
    form = 'G,E';
  } else if (op === 0xc6 || op === 0xc7) {
    mnemonic = 'mov';
    byteOp = op === 0xc6;
    form = 'E,I';
  } else {
    return undefined;
  }
  const opSize: 8 | 16 | 32 | 64 = byteOp ? 8 : rex & REX_W ? 64 : opsize16 ? 16 : 32;
  const vImm: 1 | 2 | 4 = opSize === 16 ? 2 : 4;

  let usedRex = byteOp ? 0 : REX_W;
  let dst: Operand;
  let src: Operand;
  let hasMem = false;
  let byteRegLow = false; // a byte register numbered 4-7 (spl..dil need a REX)
  if (form === 'acc,I') {
    immSize = byteOp ? 1 : vImm;
    const imm = readSigned(code, p, immSize);
    if (imm === undefined) return undefined;
    p += immSize;
    dst = { kind: 'reg', reg: 0 };
    src = { kind: 'imm', value: imm };
  } else {
    const mr = decodeModRm(code, p, rex, bits);
    if (mr === undefined) return undefined;
    p += mr.length;
    usedRex |= mr.usedRex;
    hasMem = mr.rm.kind === 'mem';
    if (byteOp && mr.rm.kind === 'reg' && mr.rm.reg >= 4 && mr.rm.reg <= 7) byteRegLow = true;
    if (form === 'E,I') {
      const ext = mr.reg & 7;
      if (op === 0xc6 || op === 0xc7) {
        if (ext !== 0) return undefined;
      } else {
        mnemonic = ALU[ext] ?? 'add';
      }
      immSize = op === 0x81 || op === 0xc7 ? vImm : 1;
      const imm = readSigned(code, p, immSize);
      if (imm === undefined) return undefined;
      p += immSize;
      dst = mr.rm;
      src = { kind: 'imm', value: imm };
    } else {
      // The reg field names a register operand: REX.R is used.
      usedRex |= REX_R;
      if (byteOp && mr.reg >= 4 && mr.reg <= 7) byteRegLow = true;
      const g: RegOperand = { kind: 'reg', reg: mr.reg };
      if (mnemonic === 'lea' && mr.rm.kind !== 'mem') return undefined;
      if (form === 'E,G') {
        dst = mr.rm;
        src = g;
      } else {
        dst = g;
        src = mr.rm;
      }
    }
  }

  let quiet = true;
  if (seg !== 0 && !hasMem) quiet = false;
  if (opsize16 && (byteOp || rex & REX_W)) quiet = false;
  if (hasRex) {
    if (rex === 0) quiet &&= byteRegLow;
    else quiet &&= (rex & ~usedRex) === 0;
  }
  return { start: pos, end: p, mnemonic, cc: -1, opSize, dst, src, target: Number.NaN, quiet };
}

/**
 * A branch target as objdump prints it: 64-bit code keeps the plain sum (addresses stay far
 * below 2^53); 32-bit code wraps at 4 GiB, and 16-bit displacements at 64 KiB.
 */
function wrap(target: number, bits: 16 | X86Bits): number {
  if (bits === 64) return target;
  const m = bits === 32 ? 0x100000000 : 0x10000;
  return ((target % m) + m) % m;
}

function branch(start: number, end: number, mnemonic: 'jcc' | 'jmp', cc: number, target: number, quiet: boolean): X86Insn {
  return { start, end, mnemonic, cc, opSize: 64, dst: undefined, src: undefined, target, quiet };
}

/** The longest x86 instruction; backward searches never look further than this. */
export const MAX_INSN = 15;

/**
 * Every decodable instruction that ends exactly at `end` and satisfies `pred`, nearest first.
 * x86 cannot be decoded backwards, so this tries each start in the 15 bytes before `end`.
 */
export function insnsEndingAt(code: Uint8Array, end: number, address: number, pred: (i: X86Insn) => boolean, bits: X86Bits = 64): X86Insn[] {
  const out: X86Insn[] = [];
  for (let s = end - 1; s >= 0 && s >= end - MAX_INSN; s--) {
    const i = decodeX86(code, s, address, bits);
    if (i !== undefined && i.end === end && pred(i)) out.push(i);
  }
  return out;
}

/** True for a register operand naming `reg` (any size: callers check `opSize`). */
export function isReg(o: Operand | undefined, reg: number): boolean {
  return o !== undefined && o.kind === 'reg' && o.reg === reg;
}

/** True for an immediate operand equal to `value`. */
export function isImm(o: Operand | undefined, value: number): boolean {
  return o !== undefined && o.kind === 'imm' && o.value === value;
}

/** The signed 32-bit little-endian immediate at `i`, or undefined past the end. */
export function imm32At(code: Uint8Array, i: number): number | undefined {
  return readSigned(code, i, 4);
}

/**
 * A necessary condition, from the opcode bytes alone, for `decodeX86` at `pos` to give an
 * `or` or `xor` of a memory operand with an immediate (80/81/83 with ModRM.reg 1 or 6, after
 * the prefixes it accepts; the AL/rAX short forms have no memory operand): recognisers test
 * this before decoding the instruction after each of the hundreds of thousands of ordinary
 * `sub rsp,N` prologues in a large library.
 */
export function mayBeOrXorImm(code: Uint8Array, pos: number, bits: X86Bits = 64): boolean {
  let p = pos;
  let seg = false;
  let opsize16 = false;
  for (;;) {
    const b = byteAt(code, p);
    if ((b === 0x64 || b === 0x65) && !seg) seg = true;
    else if (b === 0x66 && !opsize16) opsize16 = true;
    else break;
    p++;
  }
  const r = byteAt(code, p);
  if (bits === 64 && r >= 0x40 && r <= 0x4f) p++;
  const op = byteAt(code, p);
  if (op !== 0x80 && op !== 0x81 && op !== 0x83) return false;
  const modrm = byteAt(code, p + 1);
  if (modrm < 0) return false;
  const reg = (modrm >> 3) & 7;
  return reg === 1 || reg === 6;
}

/** `[rsp+disp]` with no index: the stack word a probe touches. Returns the disp, or undefined. */
export function rspDisp(o: Operand | undefined): number | undefined {
  if (o === undefined || o.kind !== 'mem' || o.rip || o.base !== REG_RSP || o.index !== -1) return undefined;
  return o.disp;
}
