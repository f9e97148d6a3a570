/**
 * The LZMA decoder core shared by `.xz` (LZMA2 chunks) and legacy `.lzma` files, written from
 * the LZMA specification (lzma-specification.txt in the LZMA SDK) and the xz file format
 * description. It decodes straight from a ByteSource and stops whenever the caller's output
 * limit is reached, so a caller can hand out bounded chunks without buffering whole streams.
 *
 *   InputCursor   sequential byte reads from a ByteSource, 64 KiB at a time
 *   LzmaWindow    the dictionary; grows with the output up to the dictionary size, then wraps
 *   RangeDecoder  the arithmetic decoder
 *   LzmaDecoder   literals, matches and reps; `decode(rc, outLimit)`
 */
import type { ByteSource } from './byte-source.js';
import { DecompressError } from './decompress-error.js';

/** Sequential reads over [start, end) of a source; a read past `end` is "truncated data". */
export class InputCursor {
  private chunk: Uint8Array = new Uint8Array(0);
  private chunkStart: number;
  private i = 0;
  private static readonly CHUNK = 64 * 1024;

  constructor(
    private readonly src: ByteSource,
    private readonly format: string,
    start = 0,
    readonly end: number = src.size,
  ) {
    this.chunkStart = start;
  }

  get pos(): number {
    return this.chunkStart + this.i;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  private fill(): void {
    const at = this.pos;
    const n = Math.min(InputCursor.CHUNK, this.end - at);
    if (n <= 0) throw this.error(at, 'unexpected end of data (truncated?)');
    this.chunk = this.src.read(at, n);
    this.chunkStart = at;
    this.i = 0;
  }

  byte(): number {
    if (this.i >= this.chunk.length) this.fill();
    return this.chunk[this.i++]!;
  }

  /** A copy of the next `n` bytes. */
  bytes(n: number): Uint8Array {
    if (n > this.remaining) throw this.error(this.pos, `needs ${n} bytes, only ${this.remaining} left (truncated?)`);
    const out = new Uint8Array(n);
    for (let k = 0; k < n; ) {
      if (this.i >= this.chunk.length) this.fill();
      const take = Math.min(n - k, this.chunk.length - this.i);
      out.set(this.chunk.subarray(this.i, this.i + take), k);
      this.i += take;
      k += take;
    }
    return out;
  }

  error(offset: number, detail: string): DecompressError {
    return new DecompressError(this.format, this.src.name, offset, detail);
  }
}

/**
 * The sliding dictionary. Output is written here and handed out from here; the buffer starts
 * small and doubles as output arrives, up to the dictionary size (rounded up to 16 so that the
 * low position bits LZMA uses survive a wrap), so a small file never costs its declared window.
 */
export class LzmaWindow {
  buf: Uint8Array;
  /** Write index in `buf`. */
  pos = 0;
  /** Start of output not yet handed out. */
  private start = 0;
  /** Valid history bytes since the last dictionary reset (at most `maxSize`). */
  full = 0;
  /** Bytes written since the last dictionary reset; its low bits are LZMA's position state. */
  total = 0;
  readonly maxSize: number;

  constructor(dictSize: number, cap: number) {
    const want = Math.max(4096, Math.min(dictSize, cap));
    this.maxSize = Math.ceil(want / 16) * 16;
    this.buf = new Uint8Array(Math.min(this.maxSize, 64 * 1024));
  }

  reset(): void {
    this.full = 0;
    this.total = 0;
  }

  /** Makes room for at least one byte at `pos`: grows, or wraps once at full size (after a flush). */
  ensureSpace(): void {
    if (this.pos < this.buf.length) return;
    if (this.buf.length < this.maxSize) {
      const next = new Uint8Array(Math.min(this.maxSize, this.buf.length * 2));
      next.set(this.buf);
      this.buf = next;
    } else {
      // Callers flush before this point; output between start and pos is already taken.
      this.pos = 0;
      this.start = 0;
    }
  }

  put(b: number): void {
    this.buf[this.pos++] = b;
    this.total++;
    if (this.full < this.maxSize) this.full++;
  }

  /**
   * Copies `n` bytes from `dist + 1` back to the write position (n ≤ room before the buffer
   * end). Byte by byte on purpose: a match may overlap its own output (dist < n).
   */
  copyMatch(dist: number, n: number): number {
    const buf = this.buf;
    let from = this.pos - dist - 1;
    if (from < 0) from += buf.length;
    let to = this.pos;
    for (let k = 0; k < n; k++) {
      buf[to++] = buf[from++]!;
      if (from === buf.length) from = 0;
    }
    this.pos = to;
    this.total += n;
    this.full = Math.min(this.full + n, this.maxSize);
    return n;
  }

  /** The byte `dist + 1` positions back (dist 0 = the last byte written). */
  get(dist: number): number {
    let i = this.pos - dist - 1;
    if (i < 0) i += this.buf.length;
    return this.buf[i]!;
  }

  /** Output written since the last flush, as a copy. */
  flush(): Uint8Array {
    const out = this.buf.slice(this.start, this.pos);
    this.start = this.pos;
    return out;
  }
}

const PROB_INIT = 1024;

/**
 * The range decoder. `range` and `code` are unsigned 32-bit quantities kept as int32 bit
 * patterns (compared through `^ 0x80000000`), so they stay small integers to the JIT instead
 * of boxed doubles; this roughly doubles decoding speed.
 */
export class RangeDecoder {
  range = 0;
  code = 0;
  constructor(private readonly input: InputCursor) {}

  init(): void {
    const at = this.input.pos;
    if (this.input.byte() !== 0) throw this.input.error(at, 'range coder does not start with a zero byte');
    let code = 0;
    for (let k = 0; k < 4; k++) code = (code << 8) | this.input.byte();
    this.code = code;
    this.range = -1; // 0xffffffff
    if (code === -1) throw this.input.error(at, 'invalid range coder start');
  }

  /** True when the coder ended cleanly (LZMA2 chunks must end with code 0). */
  get finished(): boolean {
    return this.code === 0;
  }

  bit(probs: Uint16Array, i: number): number {
    const p = probs[i]!;
    const bound = Math.imul(this.range >>> 11, p);
    let b: number;
    if ((this.code ^ 0x80000000) < (bound ^ 0x80000000)) {
      this.range = bound;
      probs[i] = p + ((2048 - p) >>> 5);
      b = 0;
    } else {
      this.range = (this.range - bound) | 0;
      this.code = (this.code - bound) | 0;
      probs[i] = p - (p >>> 5);
      b = 1;
    }
    if ((this.range & 0xff000000) === 0) {
      this.range <<= 8;
      this.code = (this.code << 8) | this.input.byte();
    }
    return b;
  }

  direct(n: number): number {
    let r = 0;
    for (let k = 0; k < n; k++) {
      this.range = this.range >>> 1;
      let b = 0;
      if (this.code >>> 0 >= this.range) {
        this.code = (this.code - this.range) | 0;
        b = 1;
      }
      r = (r << 1) | b;
      if ((this.range & 0xff000000) === 0) {
        this.range <<= 8;
        this.code = (this.code << 8) | this.input.byte();
      }
    }
    return r >>> 0;
  }

  tree(probs: Uint16Array, base: number, bits: number): number {
    let m = 1;
    for (let k = 0; k < bits; k++) m = (m << 1) | this.bit(probs, base + m);
    return m - (1 << bits);
  }

  reverseTree(probs: Uint16Array, base: number, bits: number): number {
    let m = 1;
    let sym = 0;
    for (let k = 0; k < bits; k++) {
      const b = this.bit(probs, base + m);
      m = (m << 1) | b;
      sym |= b << k;
    }
    return sym;
  }
}

class LenDecoder {
  choice = new Uint16Array(2);
  low = new Uint16Array(16 << 3);
  mid = new Uint16Array(16 << 3);
  high = new Uint16Array(256);

  reset(): void {
    for (const a of [this.choice, this.low, this.mid, this.high]) a.fill(PROB_INIT);
  }

  /** The match length minus 2 (0..271). */
  decode(rc: RangeDecoder, posState: number): number {
    if (rc.bit(this.choice, 0) === 0) return rc.tree(this.low, posState << 3, 3);
    if (rc.bit(this.choice, 1) === 0) return 8 + rc.tree(this.mid, posState << 3, 3);
    return 16 + rc.tree(this.high, 0, 8);
  }
}

const END_MARKER = 0xffffffff;

/** lc/lp/pb from the one-byte LZMA properties; null when out of range. */
export function parseLzmaProps(b: number): { lc: number; lp: number; pb: number } | null {
  if (b >= 9 * 5 * 5) return null;
  return { lc: b % 9, lp: Math.floor(b / 9) % 5, pb: Math.floor(b / 45) };
}

export class LzmaDecoder {
  private lc = 0;
  private lp = 0;
  private pb = 0;
  private literal = new Uint16Array(0x300);
  private isMatch = new Uint16Array(12 << 4);
  private isRep = new Uint16Array(12);
  private isRepG0 = new Uint16Array(12);
  private isRepG1 = new Uint16Array(12);
  private isRepG2 = new Uint16Array(12);
  private isRep0Long = new Uint16Array(12 << 4);
  private posSlot = new Uint16Array(4 << 6);
  private posDecoders = new Uint16Array(1 + 128 - 14);
  private align = new Uint16Array(16);
  private lenDecoder = new LenDecoder();
  private repLenDecoder = new LenDecoder();
  private state = 0;
  private rep0 = 0;
  private rep1 = 0;
  private rep2 = 0;
  private rep3 = 0;
  /** Bytes of the current match still to copy when the last call hit its output limit. */
  pendingLen = 0;

  /** `fail` throws the caller's error type with the input position it knows. */
  constructor(
    private readonly window: LzmaWindow,
    private readonly fail: (detail: string) => never,
  ) {}

  setProps(lc: number, lp: number, pb: number): void {
    this.lc = lc;
    this.lp = lp;
    this.pb = pb;
    const n = 0x300 << (lc + lp);
    if (this.literal.length !== n) this.literal = new Uint16Array(n);
  }

  /** State reset: probabilities, state and reps back to their initial values. */
  reset(): void {
    for (const a of [this.literal, this.isMatch, this.isRep, this.isRepG0, this.isRepG1, this.isRepG2, this.isRep0Long, this.posSlot, this.posDecoders, this.align]) {
      a.fill(PROB_INIT);
    }
    this.lenDecoder.reset();
    this.repLenDecoder.reset();
    this.state = 0;
    this.rep0 = this.rep1 = this.rep2 = this.rep3 = 0;
    this.pendingLen = 0;
  }

  /**
   * Decodes until the window's write index reaches `outLimit` (≤ its buffer length).
   * Returns true when an end-of-stream marker was decoded.
   */
  decode(rc: RangeDecoder, outLimit: number): boolean {
    const w = this.window;
    const pbMask = (1 << this.pb) - 1;
    const lpMask = (1 << this.lp) - 1;
    const fail = this.fail;
    while (w.pos < outLimit) {
      if (this.pendingLen > 0) {
        this.pendingLen -= w.copyMatch(this.rep0, Math.min(this.pendingLen, outLimit - w.pos));
        continue;
      }
      const posState = w.total & pbMask;
      const s = this.state;
      if (rc.bit(this.isMatch, (s << 4) + posState) === 0) {
        const prev = w.full > 0 ? w.get(0) : 0;
        const base = 0x300 * (((w.total & lpMask) << this.lc) + (prev >>> (8 - this.lc)));
        const probs = this.literal;
        let sym = 1;
        if (s >= 7) {
          if (this.rep0 >= w.full) fail('match distance beyond the data decoded so far');
          let matchByte = w.get(this.rep0);
          do {
            const matchBit = (matchByte >>> 7) & 1;
            matchByte <<= 1;
            const b = rc.bit(probs, base + ((1 + matchBit) << 8) + sym);
            sym = (sym << 1) | b;
            if (matchBit !== b) break;
          } while (sym < 0x100);
        }
        while (sym < 0x100) sym = (sym << 1) | rc.bit(probs, base + sym);
        w.put(sym & 0xff);
        this.state = s < 4 ? 0 : s < 10 ? s - 3 : s - 6;
        continue;
      }
      let len: number;
      if (rc.bit(this.isRep, s) === 0) {
        len = this.lenDecoder.decode(rc, posState);
        this.state = s < 7 ? 7 : 10;
        const dist = this.decodeDistance(rc, len);
        if (dist === END_MARKER) return true;
        this.rep3 = this.rep2;
        this.rep2 = this.rep1;
        this.rep1 = this.rep0;
        this.rep0 = dist;
      } else {
        if (w.full === 0) fail('repeated match before any data');
        if (rc.bit(this.isRepG0, s) === 0) {
          if (rc.bit(this.isRep0Long, (s << 4) + posState) === 0) {
            this.state = s < 7 ? 9 : 11;
            if (this.rep0 >= w.full) fail('match distance beyond the data decoded so far');
            w.put(w.get(this.rep0));
            continue;
          }
        } else {
          let dist: number;
          if (rc.bit(this.isRepG1, s) === 0) {
            dist = this.rep1;
          } else {
            if (rc.bit(this.isRepG2, s) === 0) {
              dist = this.rep2;
            } else {
              dist = this.rep3;
              this.rep3 = this.rep2;
            }
            this.rep2 = this.rep1;
          }
          this.rep1 = this.rep0;
          this.rep0 = dist;
        }
        len = this.repLenDecoder.decode(rc, posState);
        this.state = s < 7 ? 8 : 11;
      }
      if (this.rep0 >= w.full) {
        fail(w.full >= w.maxSize ? `match distance ${this.rep0} exceeds the ${w.maxSize}-byte window limit (maxWindowBytes)` : 'match distance beyond the data decoded so far');
      }
      this.pendingLen = len + 2;
    }
    return false;
  }

  private decodeDistance(rc: RangeDecoder, len: number): number {
    const lenState = len < 3 ? len : 3;
    const slot = rc.tree(this.posSlot, lenState << 6, 6);
    if (slot < 4) return slot;
    const direct = (slot >>> 1) - 1;
    let dist = ((2 | (slot & 1)) * 2 ** direct) >>> 0;
    if (slot < 14) {
      dist = (dist + rc.reverseTree(this.posDecoders, dist - slot, direct)) >>> 0;
    } else {
      dist = (dist + rc.direct(direct - 4) * 16) >>> 0;
      dist = (dist + rc.reverseTree(this.align, 0, 4)) >>> 0;
    }
    return dist;
  }
}
