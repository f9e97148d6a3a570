/**
 * bzip2 streams ("BZh1".."BZh9"), written from the format as bzip2 1.0 produces it: per block a
 * 48-bit magic, the block CRC, origPtr, the symbol map, Huffman tables chosen per 50 symbols
 * by MTF-coded selectors, MTF/zero-run (RUNA/RUNB) coded BWT output; then the inverse BWT and
 * the initial run-length stage (four equal bytes, then a repeat count). Block CRCs and the
 * combined stream CRC are verified; concatenated streams (pbzip2, lbzip2) are read on.
 * Randomised blocks (never written since bzip2 0.9.5) are rejected.
 *
 *   new Bzip2Stream(src, name) → ByteStream. Memory: one block (≤ 900 000 entries × 4 bytes);
 *   output is handed out in chunks, never a whole block's expansion at once.
 *   Corrupt data throws DecompressError.
 */
import type { ByteSource } from './byte-source.js';
import type { ByteStream } from './byte-stream.js';
import { DecompressError } from './decompress-error.js';
import { InputCursor } from './lzma.js';

const BLOCK_MAGIC_HI = 0x314159;
const BLOCK_MAGIC_LO = 0x265359;
const END_MAGIC_HI = 0x177245;
const END_MAGIC_LO = 0x385090;
const GROUP_SIZE = 50;
const MAX_GROUPS = 6;
const MAX_CODE_LEN = 20;
/** bzip2 1.0.8 writes at most this many selectors and ignores any beyond it. */
const MAX_SELECTORS = 18002;
const PULL_BYTES = 256 * 1024;

/** CRC-32 as bzip2 computes it: MSB-first, polynomial 0x04C11DB7. */
const CRC_TABLE = (() => {
  const t = new Int32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 24;
    for (let k = 0; k < 8; k++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
    t[i] = c;
  }
  return t;
})();

/** One Huffman table in canonical form: codes of each length are consecutive. */
interface HuffTable {
  minLen: number;
  maxLen: number;
  /** limit[n]: the largest code of length n (or -1). */
  limit: Int32Array;
  /** base[n]: subtract from a code of length n to index `perm`. */
  base: Int32Array;
  /** Symbols ordered by code length, then by value. */
  perm: Int32Array;
}

export class Bzip2Stream implements ByteStream {
  private readonly in: InputCursor;
  private bitBuf = 0;
  private bitCount = 0;
  private blockSizeMax = 0;
  private streamCrc = 0;
  private tt: Uint32Array = new Uint32Array(0);
  private done = false;
  private inBlock = false;
  // Output state of the current block.
  private tPos = 0;
  private left = 0;
  private blockCrc = 0;
  private storedBlockCrc = 0;
  private lastByte = -1;
  private runLength = 0;
  private repeat = 0;
  private started = false;

  constructor(
    src: ByteSource,
    readonly name: string,
  ) {
    this.in = new InputCursor(src, 'bzip2');
  }

  get consumed(): number {
    return this.in.pos;
  }

  private fail(detail: string): never {
    throw new DecompressError('bzip2', this.name, this.in.pos, detail);
  }

  private bits(n: number): number {
    while (this.bitCount < n) {
      this.bitBuf = ((this.bitBuf << 8) | this.in.byte()) & 0x7fffffff;
      this.bitCount += 8;
    }
    this.bitCount -= n;
    return (this.bitBuf >>> this.bitCount) & ((1 << n) - 1);
  }

  private bit(): number {
    return this.bits(1);
  }

  /** "BZh" + level; returns false at a clean end of input between streams. */
  private streamHeader(): boolean {
    this.bitCount = 0;
    if (this.started && this.in.remaining === 0) return false;
    if (this.in.remaining < 4) this.fail(this.started ? 'trailing bytes after the bzip2 stream' : 'truncated stream header');
    const h = this.in.bytes(4);
    if (h[0] !== 0x42 || h[1] !== 0x5a || h[2] !== 0x68 || h[3]! < 0x31 || h[3]! > 0x39) {
      this.fail(this.started ? 'bytes after the stream are not another bzip2 stream' : 'not a bzip2 stream (bad magic)');
    }
    this.started = true;
    this.blockSizeMax = (h[3]! - 0x30) * 100000;
    this.streamCrc = 0;
    return true;
  }

  pull(): Uint8Array | null {
    for (;;) {
      if (this.done) return null;
      if (this.inBlock) {
        const out = this.emit();
        if (out.length > 0) return out;
        continue;
      }
      if (!this.started) this.streamHeader();
      const hi = this.bits(24);
      const lo = this.bits(24);
      if (hi === BLOCK_MAGIC_HI && lo === BLOCK_MAGIC_LO) {
        this.readBlock();
      } else if (hi === END_MAGIC_HI && lo === END_MAGIC_LO) {
        const stored = ((this.bits(16) << 16) | this.bits(16)) >>> 0;
        if (stored !== this.streamCrc >>> 0) this.fail('combined stream CRC mismatch');
        // Streams end on a byte boundary; another may follow.
        if (!this.streamHeader()) {
          this.done = true;
          return null;
        }
      } else {
        this.fail('bad block magic');
      }
    }
  }

  private readBlock(): void {
    this.storedBlockCrc = ((this.bits(16) << 16) | this.bits(16)) >>> 0;
    if (this.bit()) this.fail('randomised blocks are not supported');
    const origPtr = this.bits(24);

    // Symbol map: 16 groups of 16 byte values.
    const used = this.bits(16);
    const seqToUnseq = new Uint8Array(256);
    let nInUse = 0;
    for (let i = 0; i < 16; i++) {
      if (used & (0x8000 >> i)) {
        const m = this.bits(16);
        for (let j = 0; j < 16; j++) if (m & (0x8000 >> j)) seqToUnseq[nInUse++] = i * 16 + j;
      }
    }
    if (nInUse === 0) this.fail('empty symbol map');
    const alphaSize = nInUse + 2;

    const nGroups = this.bits(3);
    if (nGroups < 2 || nGroups > MAX_GROUPS) this.fail(`${nGroups} Huffman groups (2..6 allowed)`);
    const nSelectors = this.bits(15);
    if (nSelectors < 1) this.fail('no selectors');
    const selectors = new Uint8Array(Math.min(nSelectors, MAX_SELECTORS));
    const mtfGroups = [0, 1, 2, 3, 4, 5];
    for (let i = 0; i < nSelectors; i++) {
      let j = 0;
      while (this.bit()) if (++j >= nGroups) this.fail('selector out of range');
      const v = mtfGroups[j]!;
      for (let k = j; k > 0; k--) mtfGroups[k] = mtfGroups[k - 1]!;
      mtfGroups[0] = v;
      if (i < MAX_SELECTORS) selectors[i] = v;
    }

    const tables: HuffTable[] = [];
    const lengths = new Uint8Array(alphaSize);
    for (let t = 0; t < nGroups; t++) {
      let len = this.bits(5);
      for (let i = 0; i < alphaSize; i++) {
        for (;;) {
          if (len < 1 || len > MAX_CODE_LEN) this.fail(`code length ${len} out of range`);
          if (!this.bit()) break;
          len += this.bit() ? -1 : 1;
        }
        lengths[i] = len;
      }
      tables.push(buildTable(lengths, alphaSize));
    }

    // Huffman + MTF + zero runs → the BWT block in tt (bytes in the low 8 bits).
    if (this.tt.length < this.blockSizeMax) this.tt = new Uint32Array(this.blockSizeMax);
    const tt = this.tt;
    const counts = new Int32Array(256);
    const mtf = new Uint8Array(256);
    for (let i = 0; i < 256; i++) mtf[i] = i;
    const eob = nInUse + 1;
    let n = 0;
    let group = -1;
    let groupLeft = 0;
    let table = tables[0]!;
    let runAcc = 0;
    let runWeight = 1;
    const flushRun = (): void => {
      if (runAcc === 0) return;
      const b = seqToUnseq[mtf[0]!]!;
      if (n + runAcc > this.blockSizeMax) this.fail('block longer than its declared size');
      tt.fill(b, n, n + runAcc);
      counts[b]! += runAcc;
      n += runAcc;
      runAcc = 0;
      runWeight = 1;
    };
    for (;;) {
      if (groupLeft === 0) {
        if (++group >= selectors.length) this.fail('more symbols than selectors');
        table = tables[selectors[group]!]!;
        groupLeft = GROUP_SIZE;
      }
      groupLeft--;
      const sym = this.decodeSymbol(table);
      if (sym <= 1) {
        // RUNA/RUNB: a bijective base-2 run length of the front MTF symbol.
        if (runWeight > this.blockSizeMax) this.fail('zero run too long');
        runAcc += (sym + 1) * runWeight;
        runWeight *= 2;
        continue;
      }
      flushRun();
      if (sym === eob) break;
      if (sym > eob) this.fail('symbol out of range');
      const k = sym - 1;
      const v = mtf[k]!;
      mtf.copyWithin(1, 0, k);
      mtf[0] = v;
      if (n >= this.blockSizeMax) this.fail('block longer than its declared size');
      const b = seqToUnseq[v]!;
      tt[n++] = b;
      counts[b]!++;
    }
    if (origPtr >= n) this.fail(`origPtr ${origPtr} outside the ${n}-byte block`);

    // Inverse BWT: link each position to the next in the original text (upper 24 bits).
    const start = new Int32Array(256);
    for (let i = 0, sum = 0; i < 256; i++) {
      start[i] = sum;
      sum += counts[i]!;
    }
    for (let i = 0; i < n; i++) {
      const b = tt[i]! & 0xff;
      tt[start[b]!]! |= i << 8;
      start[b]!++;
    }
    this.tPos = tt[origPtr]! >>> 8;
    this.left = n;
    this.blockCrc = -1;
    this.lastByte = -1;
    this.runLength = 0;
    this.repeat = 0;
    this.inBlock = true;
  }

  private decodeSymbol(t: HuffTable): number {
    let len = t.minLen;
    let code = this.bits(len);
    while (code > t.limit[len]!) {
      if (++len > t.maxLen) this.fail('invalid Huffman code');
      code = (code << 1) | this.bit();
    }
    const idx = code - t.base[len]!;
    if (idx < 0 || idx >= t.perm.length) this.fail('invalid Huffman code');
    return t.perm[idx]!;
  }

  /** Walks the BWT links and undoes the run-length stage, up to PULL_BYTES of output. */
  private emit(): Uint8Array {
    const out = new Uint8Array(PULL_BYTES);
    const tt = this.tt;
    let o = 0;
    let crc = this.blockCrc;
    while (o < PULL_BYTES) {
      if (this.repeat > 0) {
        const k = Math.min(this.repeat, PULL_BYTES - o);
        for (let i = 0; i < k; i++) {
          out[o++] = this.lastByte;
          crc = (crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ this.lastByte) & 0xff]!;
        }
        this.repeat -= k;
        continue;
      }
      if (this.left === 0) break;
      if (this.tPos >= tt.length) this.fail('corrupt block (BWT link out of range)');
      const e = tt[this.tPos]!;
      this.tPos = e >>> 8;
      this.left--;
      const b = e & 0xff;
      if (this.runLength === 4) {
        // After four equal bytes, this byte is how many more copies follow.
        this.repeat = b;
        this.runLength = 0;
        continue;
      }
      if (b === this.lastByte) this.runLength++;
      else {
        this.lastByte = b;
        this.runLength = 1;
      }
      out[o++] = b;
      crc = (crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ b) & 0xff]!;
    }
    this.blockCrc = crc;
    if (this.left === 0 && this.repeat === 0) {
      const got = ~crc >>> 0;
      if (got !== this.storedBlockCrc) this.fail('block CRC mismatch');
      this.streamCrc = (((this.streamCrc << 1) | (this.streamCrc >>> 31)) ^ got) >>> 0;
      this.inBlock = false;
    }
    return out.subarray(0, o);
  }
}

function buildTable(lengths: Uint8Array, alphaSize: number): HuffTable {
  let minLen = 32;
  let maxLen = 0;
  for (let i = 0; i < alphaSize; i++) {
    minLen = Math.min(minLen, lengths[i]!);
    maxLen = Math.max(maxLen, lengths[i]!);
  }
  const perm = new Int32Array(alphaSize);
  let p = 0;
  for (let len = minLen; len <= maxLen; len++) for (let s = 0; s < alphaSize; s++) if (lengths[s] === len) perm[p++] = s;
  const countByLen = new Int32Array(MAX_CODE_LEN + 2);
  for (let i = 0; i < alphaSize; i++) countByLen[lengths[i]!]!++;
  const limit = new Int32Array(MAX_CODE_LEN + 2).fill(-1);
  const base = new Int32Array(MAX_CODE_LEN + 2);
  let code = 0;
  let index = 0;
  for (let len = minLen; len <= maxLen; len++) {
    const c = countByLen[len]!;
    // Codes of this length are code .. code + c - 1 and map to perm[index ..].
    base[len] = code - index;
    limit[len] = code + c - 1;
    index += c;
    code = (code + c) << 1;
  }
  return { minLen, maxLen, limit, base, perm };
}
