/**
 * The tiny x86-64 decoder against objdump: thousands of generated encodings of the forms it
 * knows (with the prefixes it accepts), each placed at its own symbol so that objdump starts
 * decoding exactly there. For every one we decode, the length, the branch target, whether
 * objdump prints a prefix word, and every per-line test of Debian's state machine must agree
 * with objdump's text.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeX86, insnsEndingAt, mayBeOrXorImm, type X86Bits, type X86Insn } from '../../src/code/x86-decode.js';
import { DEBIAN_LINE_TESTS } from '../../src/code/x86-64-stack-probes.js';
import { CACHE } from '../helpers/gcc.js';
import { have, prng } from './tools.js';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';

const CC_NAMES = ['jo', 'jno', 'jb', 'jae', 'je', 'jne', 'jbe', 'ja', 'js', 'jns', 'jp', 'jnp', 'jl', 'jge', 'jle', 'jg'];

function objdumpName(i: X86Insn): string {
  return i.mnemonic === 'jcc' ? (CC_NAMES[i.cc] ?? '?') : i.mnemonic;
}

/** Our reading of the reference's line tests, written from its observed behaviour. */
const TEXT_TESTS: Record<keyof typeof DEBIAN_LINE_TESTS, RegExp> = {
  cmp: /^cmp\s+(rsp,|.*0x1000)/,
  jeJb: /^j[eb]\s/,
  sub: /^sub\s+.*,0x1000/,
  or: /^or\s+.*,0x0(?![0-9a-fx])/,
  cmpRsp: /^cmp\s+rsp,/,
};

const OPCODES: readonly (readonly number[])[] = [
  [0x38], [0x39], [0x3a], [0x3b], [0x3c], [0x3d],
  [0x08], [0x09], [0x0a], [0x0b], [0x0c], [0x0d],
  [0x28], [0x29], [0x2b], [0x2c], [0x2d], [0x30], [0x31], [0x35], [0x00], [0x01], [0x21],
  [0x80], [0x81], [0x83], [0x81], [0x83], [0x81], [0x83],
  [0x88], [0x89], [0x8a], [0x8b], [0x8d], [0xc6], [0xc7],
  [0x74], [0x72], [0x75], [0x7c], [0x7d], [0xeb], [0xe9],
  [0x0f, 0x84], [0x0f, 0x82], [0x0f, 0x85], [0x0f, 0x8c],
];

const PREFIXES: readonly (readonly number[])[] = [[], [], [], [0x66], [0x64], [0x65], [0x66, 0x64], [0x64, 0x66]];

function generate(n: number, seed: number, bits: X86Bits): Uint8Array[] {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  // Bytes that make interesting operands likely: rsp, SIB, zero and 0x1000 immediates.
  const interesting = [0x00, 0x00, 0x10, 0x24, 0x04, 0x0c, 0x8c, 0x4c, 0xec, 0xfc, 0xe4, 0xf4, 0x25, 0x05, 0x3c, 0xf8];
  const out: Uint8Array[] = [];
  for (let c = 0; c < n; c++) {
    const bytes: number[] = [...pick(PREFIXES)];
    const r = rnd();
    // In 32-bit code these are inc/dec: a few keep checking that we do not decode them.
    const rexShare = bits === 64 ? 1 : 0.1;
    if (r < 0.5 * rexShare) bytes.push(0x48 | (rnd() < 0.3 ? Math.floor(rnd() * 8) : 0));
    else if (r < 0.65 * rexShare) bytes.push(0x40 | Math.floor(rnd() * 16));
    bytes.push(...pick(OPCODES));
    for (let k = 0; k < 16; k++) bytes.push(rnd() < 0.6 ? pick(interesting) : Math.floor(rnd() * 256));
    const arr = Uint8Array.from(bytes);
    // Put 0 or 0x1000 into the immediate of decodable forms a third of the time each.
    const first = decodeX86(arr, 0, 0, bits);
    if (first !== undefined && first.src?.kind === 'imm') {
      const r2 = rnd();
      const immSize = first.opSize === 8 || arr[first.end - 1] === undefined ? 1 : Math.min(4, first.opSize / 8);
      const at = first.end - immSize;
      if (r2 < 0.33) arr.fill(0, at, first.end);
      else if (r2 < 0.66 && immSize >= 2) {
        arr.fill(0, at, first.end);
        arr[at + 1] = 0x10;
      }
    }
    out.push(arr);
  }
  return out;
}

interface Listed {
  text: string;
  length: number;
}

/** Assembles each case at its own symbol, links at a high address, and reads objdump's first line per case. */
function listWithObjdump(cases: readonly Uint8Array[], base: number, bits: X86Bits): Listed[] {
  const dir = join(CACHE, 'code', `x86-decode-${bits}`);
  mkdirSync(dir, { recursive: true });
  const lines = ['.text'];
  cases.forEach((c, i) => lines.push(`c${i}:`, `.byte ${Array.from(c).join(',')}`));
  // The entry symbol goes last so that it does not hide c0's name; its ret ends the last case.
  lines.push('.globl _start', '_start:', 'ret');
  writeFileSync(join(dir, 'cases.s'), lines.join('\n') + '\n');
  execFileSync('as', [...(bits === 32 ? ['--32'] : []), '-o', 'cases.o', 'cases.s'], { cwd: dir });
  execFileSync('ld', [...(bits === 32 ? ['-m', 'elf_i386'] : []), `-Ttext=0x${base.toString(16)}`, '-o', 'cases', 'cases.o'], { cwd: dir });
  const listing = execFileSync('objdump', ['-d', '--no-show-raw-insn', '-M', 'intel', join(dir, 'cases')], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const result: Listed[] = [];
  let pending: { addr: number; text: string } | undefined;
  let firstOfBlock = false;
  for (const line of listing.split('\n')) {
    const sym = /^[0-9a-f]+ <c\d+>:$/.exec(line);
    if (sym !== null) {
      firstOfBlock = true;
      continue;
    }
    const m = /^\s*([0-9a-f]+):\t(.*)$/.exec(line);
    if (m === null) continue;
    const addr = parseInt(m[1] ?? '0', 16);
    if (pending !== undefined) {
      result.push({ text: pending.text, length: addr - pending.addr });
      pending = undefined;
    }
    if (firstOfBlock) {
      pending = { addr, text: (m[2] ?? '').replace(/\s+#.*$/, '').trim() };
      firstOfBlock = false;
    }
  }
  return result;
}

describe('decodeX86 agrees with objdump', () => {
  const tools = have('as') && have('ld') && have('objdump');
  it.skipIf(!tools).each([64, 32] as const)('%i-bit: 6000 generated encodings: length, target, printed prefixes and the reference line tests', (bits) => {
    const base = 0x12340;
    const cases = generate(6000, Number(process.env.X86_FUZZ_SEED ?? 20240611) + bits, bits);
    const listed = listWithObjdump(cases, base, bits);
    expect(listed.length).toBe(cases.length);
    let offset = 0;
    let decoded = 0;
    let quietCount = 0;
    const mismatches: string[] = [];
    cases.forEach((bytes, i) => {
      const l = listed[i];
      const addr = base + offset;
      offset += bytes.length;
      if (l === undefined) return;
      const insn = decodeX86(bytes, 0, addr, bits);
      const hex = Array.from(bytes.subarray(0, Math.max(1, l.length)), (b) => b.toString(16).padStart(2, '0')).join(' ');
      if (insn === undefined) {
        // Undecoded forms must not be lines the reference could take.
        for (const [name, re] of Object.entries(TEXT_TESTS)) if (re.test(l.text)) mismatches.push(`${hex}: undecoded but objdump says "${l.text}" (${name})`);
        return;
      }
      decoded++;
      if (insn.end !== l.length) mismatches.push(`${hex}: length ${insn.end} vs objdump ${l.length} "${l.text}"`);
      const word = l.text.split(/\s+/)[0] ?? '';
      const quiet = word === objdumpName(insn);
      if (insn.quiet !== quiet) mismatches.push(`${hex}: quiet=${insn.quiet} but objdump says "${l.text}"`);
      if (insn.quiet) quietCount++;
      for (const [name, test] of Object.entries(DEBIAN_LINE_TESTS)) {
        const re = TEXT_TESTS[name as keyof typeof TEXT_TESTS];
        if (test(insn) !== re.test(l.text)) mismatches.push(`${hex}: ${name} ${test(insn)} vs "${l.text}"`);
      }
      if (quiet && (insn.mnemonic === 'jcc' || insn.mnemonic === 'jmp')) {
        const t = /^\S+\s+(?:0x)?([0-9a-f]+)/.exec(l.text);
        // objdump wraps 64-bit targets at 2^64; ours stay signed numbers.
        const wrapped = BigInt.asUintN(bits, BigInt(insn.target));
        if (t === null || BigInt(`0x${t[1] ?? ''}`) !== wrapped) mismatches.push(`${hex}: target 0x${insn.target.toString(16)} vs "${l.text}"`);
      }
    });
    expect(mismatches.slice(0, 20)).toEqual([]);
    // The generator must really exercise the decoder, or this test proves nothing.
    expect(decoded).toBeGreaterThan(4000);
    expect(quietCount).toBeGreaterThan(1500);
  });
});

describe('decodeX86 on hostile bytes', () => {
  it('returns undefined for every truncation of a valid instruction', () => {
    const full = Uint8Array.of(0x64, 0x48, 0x83, 0x8c, 0x24, 0xf8, 0x0f, 0x00, 0x00, 0x00);
    expect(decodeX86(full, 0, 0)?.end).toBe(full.length);
    for (let n = 0; n < full.length; n++) expect(decodeX86(full.subarray(0, n), 0, 0)).toBeUndefined();
  });

  it('never throws and stays in bounds on random bytes, at every offset, including outside the buffer', () => {
    const rnd = prng(7);
    const buf = Uint8Array.from({ length: 4096 }, () => Math.floor(rnd() * 256));
    for (let p = -20; p < buf.length + 20; p++) {
      const i = decodeX86(buf, p, 0x1000);
      if (i !== undefined) {
        expect(i.start).toBe(p);
        expect(i.end).toBeLessThanOrEqual(buf.length);
        expect(i.end - i.start).toBeLessThanOrEqual(15);
      }
      const back = insnsEndingAt(buf, p, 0x1000, () => true);
      for (const b of back) expect(b.end).toBe(p);
    }
  });

  it('mayBeOrXorImm holds wherever decodeX86 finds an or/xor of memory with an immediate (the probe scan skips the decode when it does not)', () => {
    const rnd = prng(11);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
    const prefixes = [0x64, 0x65, 0x66, 0x40, 0x41, 0x48, 0x49, 0x4c, 0x4f, 0xf0, 0xf3, 0x2e, 0x67];
    const opcodes = [0x80, 0x81, 0x83, 0x82, 0xc7, 0x0c, 0x0d, 0x34, 0x35, 0x09, 0x31];
    let found = 0;
    let rejected = 0;
    for (let n = 0; n < 20_000; n++) {
      const bytes: number[] = [];
      for (let k = Math.floor(rnd() * 4); k > 0; k--) bytes.push(pick(prefixes));
      bytes.push(rnd() < 0.8 ? pick(opcodes) : Math.floor(rnd() * 256));
      // ModRM: or/xor (reg 1, 6) of [rsp+...] or [reg] half the time, anything otherwise.
      bytes.push(rnd() < 0.5 ? pick([0x0c, 0x4c, 0x8c, 0x34, 0x74, 0xb4, 0x08, 0x70, 0xcc, 0xf4]) : Math.floor(rnd() * 256));
      for (let k = 0; k < 10; k++) bytes.push(rnd() < 0.3 ? 0 : Math.floor(rnd() * 256));
      const code = Uint8Array.from(bytes.slice(0, 1 + Math.floor(rnd() * bytes.length)));
      for (const bits of [64, 32] as const) {
        const i = decodeX86(code, 0, 0x1000, bits);
        const orXorImm = i !== undefined && (i.mnemonic === 'or' || i.mnemonic === 'xor') && i.src?.kind === 'imm' && i.dst?.kind === 'mem';
        if (orXorImm) found++;
        if (!mayBeOrXorImm(code, 0, bits)) {
          rejected++;
          expect(orXorImm, `${bits}-bit ${Buffer.from(code).toString('hex')}`).toBe(false);
        }
      }
    }
    // Both sides must be well exercised, or the property proves nothing.
    expect(found).toBeGreaterThan(800);
    expect(rejected).toBeGreaterThan(10_000);
  });

  it('decodes the probe-loop instructions as gcc emits them', () => {
    const at = (bytes: number[]): X86Insn | undefined => decodeX86(Uint8Array.from(bytes), 0, 0x1000);
    expect(at([0x48, 0x81, 0xec, 0x00, 0x10, 0x00, 0x00])).toMatchObject({ mnemonic: 'sub', opSize: 64, dst: { kind: 'reg', reg: 4 }, src: { kind: 'imm', value: 0x1000 }, end: 7, quiet: true });
    expect(at([0x48, 0x83, 0x8c, 0x24, 0xf8, 0x0f, 0x00, 0x00, 0x00])).toMatchObject({ mnemonic: 'or', dst: { kind: 'mem', base: 4, index: -1, disp: 0xff8 }, src: { kind: 'imm', value: 0 }, end: 9 });
    expect(at([0x4c, 0x39, 0xdc])).toMatchObject({ mnemonic: 'cmp', dst: { kind: 'reg', reg: 4 }, src: { kind: 'reg', reg: 11 } });
    expect(at([0x75, 0xef])).toMatchObject({ mnemonic: 'jcc', cc: 5, target: 0x1000 + 2 - 0x11 });
    expect(at([0x4c, 0x81, 0xec, 0x00, 0x10, 0x00, 0x00])?.quiet).toBe(false); // objdump: "rex.WR sub rsp,0x1000"
  });
});
