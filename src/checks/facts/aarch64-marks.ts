/**
 * The AArch64 branch-protection instructions in a file's code, counted at 4-byte-aligned
 * offsets (A64 instructions are little-endian words on aarch64 and aarch64_be alike):
 * PACIASP/PACIBSP sign the return address on entry (-mbranch-protection=pac-ret), and BTI
 * C/J/JC mark indirect-branch targets (bti). PACIASP/PACIBSP are also valid BTI landing pads,
 * which is why gcc puts no BTI C in front of functions that start with them.
 */
import { type ElfFile } from '../../elf/index.js';
import { ByteSearcher } from '../../code/byte-search.js';
import { forEachCodeWindow } from './code.js';

export interface Aarch64Marks {
  readonly paciasp: number;
  readonly pacibsp: number;
  readonly bti: number;
  readonly codeBytes: number;
}

const PACIASP = Uint8Array.of(0x3f, 0x23, 0x03, 0xd5);
const PACIBSP = Uint8Array.of(0x7f, 0x23, 0x03, 0xd5);
const BTI_C = Uint8Array.of(0x5f, 0x24, 0x03, 0xd5);
const BTI_J = Uint8Array.of(0x9f, 0x24, 0x03, 0xd5);
const BTI_JC = Uint8Array.of(0xdf, 0x24, 0x03, 0xd5);

/** Counting stops here: a few thousand already prove the point. */
const MAX_COUNT = 100_000;

function countAligned(s: ByteSearcher, needle: Uint8Array, ownEnd: number, address: number): number {
  let n = 0;
  for (let i = s.indexOf(needle, 0); i >= 0 && i < ownEnd && n < MAX_COUNT; i = s.indexOf(needle, i + 1)) {
    if ((address + i) % 4 === 0) n++;
  }
  return n;
}

export function countAarch64Marks(elf: ElfFile): Aarch64Marks {
  let paciasp = 0;
  let pacibsp = 0;
  let bti = 0;
  let codeBytes = 0;
  forEachCodeWindow(elf, (w) => {
    const s = new ByteSearcher(w.bytes);
    codeBytes += w.ownEnd;
    paciasp += countAligned(s, PACIASP, w.ownEnd, w.address);
    pacibsp += countAligned(s, PACIBSP, w.ownEnd, w.address);
    bti += countAligned(s, BTI_C, w.ownEnd, w.address) + countAligned(s, BTI_J, w.ownEnd, w.address) + countAligned(s, BTI_JC, w.ownEnd, w.address);
    return false;
  }, undefined, 4);
  return { paciasp, pacibsp, bti, codeBytes };
}
