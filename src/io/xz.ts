/**
 * `.xz` streams (xz file format 1.0.4): stream header, blocks (header, LZMA2 data with an
 * optional delta filter, padding, check), index and footer; concatenated streams and stream
 * padding. Every header CRC-32 is verified, and CRC-32/CRC-64 checks of the data; SHA-256
 * checks are read but not verified. The index is checked against the blocks actually seen.
 *
 * Also legacy `.lzma` ("LZMA_Alone": props, dictionary size, 64-bit size or -1, LZMA data with
 * an optional end marker), as old RPM payloads use.
 *
 *   new XzStream(src, name, maxWindow)    ByteStream of the decompressed bytes
 *   new LzmaAloneStream(src, name, maxWindow)
 *
 * `maxWindow` caps the dictionary buffer; a stream that really refers further back fails with
 * a DecompressError that names the cap. Corrupt data throws DecompressError from `pull()`.
 */
import type { ByteSource } from './byte-source.js';
import type { ByteStream } from './byte-stream.js';
import { copy, view } from './bytes.js';
import { Crc64, crc32 } from './crc.js';
import { DecompressError } from './decompress-error.js';
import { InputCursor, LzmaDecoder, LzmaWindow, RangeDecoder, parseLzmaProps } from './lzma.js';

const XZ_MAGIC = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];
const CHECK_SIZES = [0, 4, 4, 4, 8, 8, 8, 16, 16, 16, 32, 32, 32, 64, 64, 64];
const CHECK_NONE = 0;
const CHECK_CRC32 = 1;
const CHECK_CRC64 = 4;
const FILTER_DELTA = 0x03;
const FILTER_LZMA2 = 0x21;
const FILTER_NAMES: Record<number, string> = { 4: 'x86 BCJ', 5: 'PowerPC BCJ', 6: 'IA-64 BCJ', 7: 'ARM BCJ', 8: 'ARM-Thumb BCJ', 9: 'SPARC BCJ', 10: 'ARM64 BCJ', 11: 'RISC-V BCJ' };
/** Most output handed out per pull. */
const PULL_BYTES = 256 * 1024;

/** The delta filter: out[i] = in[i] + out[i - distance]. */
class DeltaFilter {
  private history = new Uint8Array(256);
  private pos = 0;
  constructor(private readonly distance: number) {}
  apply(buf: Uint8Array): void {
    for (let i = 0; i < buf.length; i++) {
      const v = (buf[i]! + this.history[(this.pos - this.distance) & 0xff]!) & 0xff;
      buf[i] = v;
      this.history[this.pos & 0xff] = v;
      this.pos++;
    }
  }
}

type Phase = 'stream-header' | 'block-header' | 'chunk-control' | 'chunk' | 'block-end' | 'done';

interface BlockState {
  start: number;
  headerSize: number;
  dataStart: number;
  declaredCompressed: number | null;
  declaredUncompressed: number | null;
  uncompressed: number;
  deltas: DeltaFilter[];
  crc32: number;
  crc64: Crc64 | null;
}

export class XzStream implements ByteStream {
  private readonly in: InputCursor;
  private readonly rc: RangeDecoder;
  private phase: Phase = 'stream-header';
  private checkType = 0;
  private streamFlags: Uint8Array = new Uint8Array(2);
  private streams = 0;
  private blocks: Array<[unpadded: number, uncompressed: number]> = [];
  private block: BlockState | null = null;
  private window: LzmaWindow | null = null;
  private lzma: LzmaDecoder | null = null;
  private needDictReset = true;
  private needProps = true;
  /** Current chunk: bytes still to produce; whether it is LZMA (else stored); packed end. */
  private chunkLeft = 0;
  private chunkLzma = false;
  private chunkEnd = 0;

  constructor(
    private readonly src: ByteSource,
    readonly name: string,
    private readonly maxWindow: number,
  ) {
    this.in = new InputCursor(src, 'xz');
    this.rc = new RangeDecoder(this.in);
  }

  get consumed(): number {
    return this.in.pos;
  }

  private fail(detail: string, at: number = this.in.pos): never {
    throw new DecompressError('xz', this.name, at, detail);
  }

  pull(): Uint8Array | null {
    for (;;) {
      switch (this.phase) {
        case 'done':
          return null;
        case 'stream-header':
          this.streamHeader();
          break;
        case 'block-header':
          this.blockHeader();
          break;
        case 'chunk-control':
          this.chunkControl();
          break;
        case 'chunk': {
          const out = this.chunk();
          if (out.length > 0) return out;
          break;
        }
        case 'block-end':
          this.blockEnd();
          break;
      }
    }
  }

  private streamHeader(): void {
    // After a stream: stream padding (zero bytes, four at a time), then another stream or the end.
    let first: Uint8Array | null = null;
    if (this.streams > 0) {
      for (;;) {
        if (this.in.remaining === 0) {
          this.phase = 'done';
          return;
        }
        if (this.in.remaining < 4) this.fail('trailing bytes after the xz stream');
        const four = this.in.bytes(4);
        if (four.some((b) => b !== 0)) {
          first = four;
          break;
        }
      }
    }
    const at = this.in.pos - (first === null ? 0 : 4);
    const h = new Uint8Array(12);
    if (first === null) h.set(this.in.bytes(12));
    else {
      h.set(first);
      h.set(this.in.bytes(8), 4);
    }
    for (let k = 0; k < 6; k++) if (h[k] !== XZ_MAGIC[k]) this.fail(this.streams > 0 ? 'bytes after the stream are not another xz stream' : 'not an xz stream (bad magic)', at);
    const flags = h.subarray(6, 8);
    const stored = view(h).getUint32(8, true);
    if (crc32(flags) !== stored) this.fail('stream header CRC32 mismatch', at + 8);
    if (flags[0] !== 0 || (flags[1]! & 0xf0) !== 0) this.fail(`unsupported stream flags 0x${flags[0]!.toString(16)}${flags[1]!.toString(16).padStart(2, '0')}`, at + 6);
    this.checkType = flags[1]!;
    this.streamFlags = copy(flags);
    this.blocks = [];
    this.phase = 'block-header';
  }

  private vli(limitEnd: number): number {
    let v = 0;
    for (let k = 0; k < 9; k++) {
      if (this.in.pos >= limitEnd) this.fail('variable-length integer runs past its field');
      const b = this.in.byte();
      v += (b & 0x7f) * 2 ** (7 * k);
      if ((b & 0x80) === 0) {
        if (k > 0 && b === 0) this.fail('variable-length integer is not minimally encoded');
        if (!Number.isSafeInteger(v)) this.fail('variable-length integer too large');
        return v;
      }
    }
    return this.fail('variable-length integer longer than 9 bytes');
  }

  private blockHeader(): void {
    const start = this.in.pos;
    const first = this.in.byte();
    if (first === 0) return this.index(start);
    const headerSize = (first + 1) * 4;
    if (headerSize > this.in.remaining + 1) this.fail(`block header of ${headerSize} bytes runs past the end`, start);
    const end = start + headerSize;
    const flags = this.in.byte();
    if ((flags & 0x3c) !== 0) this.fail(`reserved block flags set (0x${flags.toString(16)})`, start + 1);
    const nFilters = (flags & 3) + 1;
    const declaredCompressed = flags & 0x40 ? this.vli(end - 4) : null;
    const declaredUncompressed = flags & 0x80 ? this.vli(end - 4) : null;
    const deltas: DeltaFilter[] = [];
    let dictSize = -1;
    for (let f = 0; f < nFilters; f++) {
      const id = this.vli(end - 4);
      const propSize = this.vli(end - 4);
      if (this.in.pos + propSize > end - 4) this.fail('filter properties run past the block header');
      const props = this.in.bytes(propSize);
      const last = f === nFilters - 1;
      if (id === FILTER_LZMA2) {
        if (!last) this.fail('LZMA2 is not the last filter');
        if (propSize !== 1 || props[0]! > 40) this.fail('bad LZMA2 dictionary size property');
        const p = props[0]!;
        dictSize = p === 40 ? 0xffffffff : (2 | (p & 1)) * 2 ** (Math.floor(p / 2) + 11);
      } else if (id === FILTER_DELTA) {
        if (last) this.fail('delta filter cannot be the last filter');
        if (propSize !== 1) this.fail('bad delta filter properties');
        deltas.push(new DeltaFilter(props[0]! + 1));
      } else {
        this.fail(`unsupported filter ${FILTER_NAMES[id] ?? `0x${id.toString(16)}`}`);
      }
    }
    if (dictSize < 0) this.fail('block has no LZMA2 filter');
    while (this.in.pos < end - 4) if (this.in.byte() !== 0) this.fail('non-zero block header padding');
    const stored = view(this.in.bytes(4)).getUint32(0, true);
    // Re-read the header bytes for its CRC (cheap: at most 1 KiB).
    const headerBytes = this.reread(start, headerSize - 4);
    if (crc32(headerBytes) !== stored) this.fail('block header CRC32 mismatch', start);
    // Decoders apply the non-last filters in reverse order on the way out.
    deltas.reverse();
    this.block = {
      start,
      headerSize,
      dataStart: this.in.pos,
      declaredCompressed,
      declaredUncompressed,
      uncompressed: 0,
      deltas,
      crc32: 0,
      crc64: this.checkType === CHECK_CRC64 ? new Crc64() : null,
    };
    this.window = new LzmaWindow(dictSize, this.maxWindow);
    this.lzma = new LzmaDecoder(this.window, (d) => this.fail(d));
    this.needDictReset = true;
    this.needProps = true;
    this.phase = 'chunk-control';
  }

  /** Header bytes again, for their CRC (headers are at most 1 KiB; the index is bounded by the file). */
  private reread(at: number, n: number): Uint8Array {
    return this.src.read(at, n);
  }

  private u16be(): number {
    return (this.in.byte() << 8) | this.in.byte();
  }

  private chunkControl(): void {
    const at = this.in.pos;
    const control = this.in.byte();
    const lzma = this.lzma!;
    const window = this.window!;
    if (control === 0) {
      this.phase = 'block-end';
      return;
    }
    if (control >= 0xe0 || control === 1) {
      this.needProps = true;
      this.needDictReset = false;
      window.reset();
    } else if (this.needDictReset) {
      this.fail('first LZMA2 chunk does not reset the dictionary', at);
    }
    if (control >= 0x80) {
      this.chunkLeft = (control & 0x1f) * 65536 + this.u16be() + 1;
      const packed = this.u16be() + 1;
      if (control >= 0xc0) {
        this.needProps = false;
        const props = parseLzmaProps(this.in.byte());
        if (props === null || props.lc + props.lp > 4) this.fail('bad LZMA2 chunk properties', at + 5);
        lzma.setProps(props.lc, props.lp, props.pb);
      } else if (this.needProps) {
        this.fail('LZMA2 chunk without properties after a dictionary reset', at);
      }
      if (control >= 0xa0) lzma.reset();
      this.chunkEnd = this.in.pos + packed;
      this.rc.init();
      this.chunkLzma = true;
    } else if (control <= 2) {
      this.chunkLeft = this.u16be() + 1;
      this.chunkLzma = false;
    } else {
      this.fail(`invalid LZMA2 control byte 0x${control.toString(16)}`, at);
    }
    this.phase = 'chunk';
  }

  private chunk(): Uint8Array {
    const w = this.window!;
    const block = this.block!;
    w.ensureSpace();
    const limit = Math.min(w.buf.length, w.pos + this.chunkLeft, w.pos + PULL_BYTES);
    const before = w.pos;
    if (this.chunkLzma) {
      if (this.lzma!.decode(this.rc, limit)) this.fail('unexpected end marker inside an LZMA2 chunk');
      if (this.in.pos > this.chunkEnd) this.fail('LZMA2 chunk reads past its packed size');
    } else {
      const bytes = this.in.bytes(limit - w.pos);
      for (let k = 0; k < bytes.length; k++) w.put(bytes[k]!);
    }
    this.chunkLeft -= w.pos - before;
    if (this.chunkLeft === 0) {
      if (this.chunkLzma) {
        if (this.in.pos !== this.chunkEnd || !this.rc.finished) this.fail('LZMA2 chunk does not end at its packed size');
        if (this.lzma!.pendingLen !== 0) this.fail('match runs past the end of an LZMA2 chunk');
      }
      this.phase = 'chunk-control';
    }
    const out = w.flush();
    for (const d of block.deltas) d.apply(out);
    block.uncompressed += out.length;
    if (this.checkType === CHECK_CRC32) block.crc32 = crc32(out, block.crc32);
    else block.crc64?.update(out);
    return out;
  }

  private blockEnd(): void {
    const b = this.block!;
    const compressed = this.in.pos - b.dataStart;
    if (b.declaredCompressed !== null && b.declaredCompressed !== compressed) this.fail(`block compressed size ${compressed} differs from its header (${b.declaredCompressed})`);
    if (b.declaredUncompressed !== null && b.declaredUncompressed !== b.uncompressed) this.fail(`block uncompressed size ${b.uncompressed} differs from its header (${b.declaredUncompressed})`);
    while ((this.in.pos - b.start) % 4 !== 0) if (this.in.byte() !== 0) this.fail('non-zero block padding');
    const checkAt = this.in.pos;
    const check = this.in.bytes(CHECK_SIZES[this.checkType]!);
    if (this.checkType === CHECK_CRC32) {
      if (view(check).getUint32(0, true) !== b.crc32) this.fail('CRC32 check of the block data failed', checkAt);
    } else if (this.checkType === CHECK_CRC64) {
      const want = b.crc64!.bytes();
      if (want.some((v, k) => v !== check[k])) this.fail('CRC64 check of the block data failed', checkAt);
    } else if (this.checkType !== CHECK_NONE) {
      // SHA-256 and reserved check types: the bytes are skipped, not verified.
    }
    this.blocks.push([b.headerSize + compressed + check.length, b.uncompressed]);
    this.block = null;
    this.window = null;
    this.lzma = null;
    this.phase = 'block-header';
  }

  private index(start: number): void {
    const count = this.vli(this.in.end);
    if (count !== this.blocks.length) this.fail(`index lists ${count} blocks, the stream has ${this.blocks.length}`, start);
    for (const [unpadded, uncompressed] of this.blocks) {
      if (this.vli(this.in.end) !== unpadded || this.vli(this.in.end) !== uncompressed) this.fail('index record does not match its block', start);
    }
    while ((this.in.pos - start) % 4 !== 0) if (this.in.byte() !== 0) this.fail('non-zero index padding');
    const indexSize = this.in.pos - start;
    const stored = view(this.in.bytes(4)).getUint32(0, true);
    if (crc32(this.reread(start, indexSize)) !== stored) this.fail('index CRC32 mismatch', start);
    const footerAt = this.in.pos;
    const f = this.in.bytes(12);
    const dv = view(f);
    if (f[10] !== 0x59 || f[11] !== 0x5a) this.fail('bad stream footer magic', footerAt);
    if (crc32(f.subarray(4, 10)) !== dv.getUint32(0, true)) this.fail('stream footer CRC32 mismatch', footerAt);
    if ((dv.getUint32(4, true) + 1) * 4 !== indexSize + 4) this.fail('stream footer backward size does not match the index', footerAt);
    if (f[8] !== this.streamFlags[0] || f[9] !== this.streamFlags[1]) this.fail('stream footer flags differ from the header', footerAt);
    this.streams++;
    this.phase = 'stream-header';
  }
}

/** Legacy `.lzma`: 13-byte header, then LZMA data ending at the declared size or an end marker. */
export class LzmaAloneStream implements ByteStream {
  private readonly in: InputCursor;
  private readonly rc: RangeDecoder;
  private readonly window: LzmaWindow;
  private readonly lzma: LzmaDecoder;
  /** Bytes still expected, or -1 when the size is unknown (end marker required). */
  private left: number;
  private done = false;

  constructor(
    src: ByteSource,
    readonly name: string,
    maxWindow: number,
  ) {
    this.in = new InputCursor(src, 'lzma');
    const h = this.in.bytes(13);
    const dv = view(h);
    const props = parseLzmaProps(h[0]!);
    if (props === null) this.fail('bad LZMA properties byte', 0);
    const dictSize = dv.getUint32(1, true);
    const lo = dv.getUint32(5, true);
    const hi = dv.getUint32(9, true);
    this.left = lo === 0xffffffff && hi === 0xffffffff ? -1 : hi * 2 ** 32 + lo;
    if (this.left > Number.MAX_SAFE_INTEGER) this.fail('declared size too large', 5);
    this.window = new LzmaWindow(dictSize, maxWindow);
    this.lzma = new LzmaDecoder(this.window, (d) => this.fail(d));
    this.lzma.setProps(props.lc, props.lp, props.pb);
    this.lzma.reset();
    this.rc = new RangeDecoder(this.in);
    this.rc.init();
  }

  get consumed(): number {
    return this.in.pos;
  }

  private fail(detail: string, at: number = this.in.pos): never {
    throw new DecompressError('lzma', this.name, at, detail);
  }

  pull(): Uint8Array | null {
    if (this.done) return null;
    const w = this.window;
    w.ensureSpace();
    let limit = Math.min(w.buf.length, w.pos + PULL_BYTES);
    if (this.left >= 0) limit = Math.min(limit, w.pos + this.left);
    const before = w.pos;
    const ended = this.lzma.decode(this.rc, limit);
    if (this.left >= 0) this.left -= w.pos - before;
    if (ended) {
      if (this.left > 0) this.fail(`end marker ${this.left} bytes before the declared size`);
      if (!this.rc.finished) this.fail('data after the end marker is not a clean range coder end');
      this.done = true;
    } else if (this.left === 0) {
      if (this.lzma.pendingLen !== 0) this.fail('match runs past the declared size');
      this.done = true;
    }
    const out = w.flush();
    return out.length > 0 ? out : this.done ? null : this.pull();
  }
}
