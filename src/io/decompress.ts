/**
 * Decompression with bounded memory, for package payloads, compressed members and ELF
 * compressed sections. gzip/zlib/deflate use fflate, zstd uses fzstd (both pure JS, browser
 * safe); xz, legacy lzma (`xz.ts`) and bzip2 (`bzip2.ts`) use our own decoders, since no
 * maintained pure-JS decoder for them streams synchronously with bounded memory.
 *
 *   detectCompression(head)                      → Compression | null   (by magic bytes)
 *   decompressStream(src, format, limits, name?) → ByteStream           (pull chunks)
 *   decompressToBuffer(src, format, limits, name?, cap?) → Uint8Array   (whole output, ≤ cap)
 *   inflateZlib(data, size, limits?)             → Uint8Array   ELFCOMPRESS_ZLIB sections
 *   decompressZstd(data, size, limits?)          → Uint8Array   ELFCOMPRESS_ZSTD sections
 *   setZlibInflater(f)                           the host's faster inflater for zlib sections
 *                                                (native-zlib.ts installs Node's in the commands)
 *
 * Limits are enforced while streaming, never after the fact: output past
 * `maxDecompressedBytes`, or a running ratio output/input above `maxCompressionRatio` once
 * more than RATIO_GRACE_BYTES came out, throws `LimitError` from `pull()`; a declared window
 * above `maxWindowBytes` (xz dictionary, zstd frame window) throws before it is allocated.
 * Corrupt data throws `DecompressError`. Input is read from the ByteSource in small pieces, so
 * a bomb costs at most about ratio × piece before it is stopped.
 */
import { Gunzip, Inflate, Unzlib } from 'fflate';
import { Decompress as ZstdDecompress } from 'fzstd';
import { BufferSource, type ByteSource } from './byte-source.js';
import type { ByteStream } from './byte-stream.js';
import { concat, copy, view } from './bytes.js';
import { crc32 } from './crc.js';
import { DecompressError } from './decompress-error.js';
import { Bzip2Stream } from './bzip2.js';
import { LzmaAloneStream, XzStream } from './xz.js';
import { slideWindows } from './zstd-window.js';
import { DEFAULT_LIMITS, type Limits, LimitError } from '../limits.js';

export { DecompressError } from './decompress-error.js';

export type Compression = 'gzip' | 'zlib' | 'deflate' | 'xz' | 'lzma' | 'zstd' | 'bzip2';

/** Below this much output any ratio is accepted: tiny highly-compressible streams are normal. */
export const RATIO_GRACE_BYTES = 1024 * 1024;
/** Compressed bytes handed to a push decoder at a time; bounds what one push can produce. */
const PUSH_BYTES = 16 * 1024;

/**
 * The format of a compressed stream from its first bytes (6 are enough), or null.
 * zlib and raw deflate have no reliable magic and are never guessed; `.lzma` is recognised
 * only with the properties byte every encoder writes by default (0x5d) and a sane header.
 */
export function detectCompression(head: Uint8Array): Compression | null {
  const b = (i: number): number => head[i] ?? -1;
  if (b(0) === 0x1f && b(1) === 0x8b) return 'gzip';
  if (b(0) === 0xfd && b(1) === 0x37 && b(2) === 0x7a && b(3) === 0x58 && b(4) === 0x5a && b(5) === 0x00) return 'xz';
  if (b(0) === 0x28 && b(1) === 0xb5 && b(2) === 0x2f && b(3) === 0xfd) return 'zstd';
  if (b(0) === 0x42 && b(1) === 0x5a && b(2) === 0x68 && b(3) >= 0x31 && b(3) <= 0x39) return 'bzip2';
  if (b(0) === 0x5d && head.length >= 13) {
    const dict = new DataView(head.buffer, head.byteOffset, 13).getUint32(1, true);
    const sizeHi = new DataView(head.buffer, head.byteOffset, 13).getUint32(9, true);
    // Dictionary sizes are 2^n or 2^n + 2^(n-1) in practice; the size's high word is small or -1.
    const pow = (dict & (dict - 1)) === 0 || ((dict / 3) & (dict / 3 - 1)) === 0;
    if (dict >= 4096 && pow && (sizeHi === 0xffffffff || sizeHi < 0x100)) return 'lzma';
  }
  return null;
}

/** Counts output and enforces the size and ratio limits as each piece arrives. */
class Meter {
  total = 0;
  constructor(
    private readonly limits: Limits,
    private readonly name: string,
    private readonly max: number = limits.maxDecompressedBytes,
    private readonly maxLimit: keyof Limits = 'maxDecompressedBytes',
  ) {}

  add(n: number, consumed: number): void {
    this.total += n;
    if (this.total > this.max) {
      throw new LimitError(this.maxLimit, this.total, this.max, `${this.name}: decompressed size`);
    }
    if (this.total > RATIO_GRACE_BYTES) {
      const ratio = this.total / Math.max(1, consumed);
      if (ratio > this.limits.maxCompressionRatio) {
        throw new LimitError(
          'maxCompressionRatio',
          Math.round(ratio),
          this.limits.maxCompressionRatio,
          `${this.name}: compression ratio (${this.total} bytes out of ${consumed}; a decompression bomb?)`,
        );
      }
    }
  }
}

interface PushDecoder {
  push(chunk: Uint8Array, final: boolean): void;
}

/** Adapts a push decoder (fflate, fzstd) to a pull ByteStream, feeding it PUSH_BYTES at a time. */
class PushStream implements ByteStream {
  private queue: Uint8Array[] = [];
  private pos = 0;
  private ended = false;
  private readonly decoder: PushDecoder;

  constructor(
    private readonly src: ByteSource,
    readonly name: string,
    private readonly format: Compression,
    private readonly meter: Meter,
    make: (emit: (out: Uint8Array) => void) => PushDecoder,
  ) {
    this.decoder = make((out) => {
      if (out.length === 0) return;
      this.meter.add(out.length, this.pos);
      this.queue.push(out);
    });
  }

  get consumed(): number {
    return this.pos;
  }

  pull(): Uint8Array | null {
    while (this.queue.length === 0) {
      if (this.ended) return null;
      const n = Math.min(PUSH_BYTES, this.src.size - this.pos);
      const chunk = n > 0 ? this.src.read(this.pos, n) : new Uint8Array(0);
      this.pos += n;
      const final = this.pos >= this.src.size;
      try {
        this.decoder.push(chunk, final);
      } catch (e) {
        this.ended = true;
        this.queue = [];
        if (e instanceof LimitError || e instanceof DecompressError) throw e;
        throw new DecompressError(this.format, this.name, undefined, e instanceof Error ? e.message : String(e));
      }
      if (final) this.ended = true;
    }
    return this.queue.shift()!;
  }
}

/** Wraps a pull decoder (xz, lzma) with the meter. */
class MeteredStream implements ByteStream {
  constructor(
    private readonly inner: ByteStream,
    private readonly meter: Meter,
  ) {}
  get name(): string {
    return this.inner.name;
  }
  get consumed(): number {
    return this.inner.consumed;
  }
  pull(): Uint8Array | null {
    const out = this.inner.pull();
    if (out !== null) this.meter.add(out.length, this.inner.consumed);
    return out;
  }
}

/** Once a stream has failed, every later pull fails the same way (no silent short reads). */
class StickyStream implements ByteStream {
  private failure: unknown = null;
  private failed = false;
  constructor(private readonly inner: ByteStream) {}
  get name(): string {
    return this.inner.name;
  }
  get consumed(): number {
    return this.inner.consumed;
  }
  pull(): Uint8Array | null {
    if (this.failed) throw this.failure;
    try {
      return this.inner.pull();
    } catch (e) {
      this.failed = true;
      this.failure = e;
      throw e;
    }
  }
}

/**
 * Checks zstd frame headers before fzstd sees them, because fzstd allocates each frame's
 * declared window at once. Walks frames and block headers over the pushed bytes; only headers
 * are buffered.
 *
 * A window can be declared far bigger than the stream could ever fill: no more than
 * `budget` bytes can come out of it before the ratio and size limits stop it (see Meter), and
 * no match can reach back further than what came out. So a larger window descriptor is
 * lowered to the smallest one that covers the budget before fzstd sees it (fzstd would
 * allocate it, and shift all of it after every block: 240 MiB and seconds for a 7 KiB file,
 * a fuzzing finding), and a single-segment frame that declares more content than the budget
 * is a decompression bomb at once.
 */
class ZstdFrameGuard {
  private need = 4;
  private state: 'magic' | 'fhd' | 'header' | 'block' | 'skip' | 'skip-size' = 'magic';
  private buf: number[] = [];
  private skip = 0;
  private afterSkip: 'magic' | 'block' = 'magic';
  private checksum = false;
  private pos = 0;
  /** The next header byte is a window descriptor. */
  private descriptorNext = false;

  constructor(
    private readonly limits: Limits,
    private readonly name: string,
    /** Size of the whole compressed stream. */
    private readonly srcSize: number,
  ) {
    this.budget = Math.min(limits.maxDecompressedBytes, Math.max(RATIO_GRACE_BYTES, limits.maxCompressionRatio * srcSize)) + ZSTD_MAX_BLOCK;
  }

  /** Most bytes the stream can yield before the limits stop it (see Meter), plus a block. */
  private readonly budget: number;

  private fail(detail: string): never {
    throw new DecompressError('zstd', this.name, this.pos, detail);
  }

  /** Checks the headers in `chunk`; returns the bytes to hand to fzstd (a copy when a window was lowered). */
  feed(chunk: Uint8Array): Uint8Array {
    let out = chunk;
    let i = 0;
    while (i < chunk.length) {
      if (this.state === 'header' && this.descriptorNext) {
        this.descriptorNext = false;
        const lowered = lowerDescriptor(chunk[i]!, this.budget);
        if (lowered !== chunk[i]) {
          if (out === chunk) out = chunk.slice();
          out[i] = lowered;
        }
      }
      if (this.state === 'skip') {
        const n = Math.min(this.skip, chunk.length - i);
        this.skip -= n;
        i += n;
        this.pos += n;
        if (this.skip === 0) this.enter(this.afterSkip);
        continue;
      }
      this.buf.push(chunk[i++]!);
      this.pos++;
      if (this.buf.length < this.need) continue;
      const h = this.buf;
      this.buf = [];
      switch (this.state) {
        case 'magic': {
          const magic = (h[0]! | (h[1]! << 8) | (h[2]! << 16) | (h[3]! << 24)) >>> 0;
          if (magic === 0xfd2fb528) this.enter('fhd');
          else if (magic >>> 4 === 0x184d2a5) this.enter('skip-size');
          else this.fail('not a zstd frame (bad magic)');
          break;
        }
        case 'fhd': {
          const fhd = h[0]!;
          if (fhd & 0x08) this.fail('reserved frame header bit set');
          const single = (fhd >> 5) & 1;
          const fcsBytes = [single, 2, 4, 8][fhd >> 6]!;
          const dictBytes = [0, 1, 2, 4][fhd & 3]!;
          this.checksum = ((fhd >> 2) & 1) === 1;
          this.need = (single ? 0 : 1) + dictBytes + fcsBytes;
          this.descriptorNext = single === 0;
          // The rest of the header is at least one byte (window descriptor or content size).
          this.state = 'header';
          this.buf = [fhd];
          this.need += 1;
          break;
        }
        case 'header':
          this.headerDone(h);
          break;
        case 'skip-size':
          this.skip = (h[0]! | (h[1]! << 8) | (h[2]! << 16) | (h[3]! << 24)) >>> 0;
          this.afterSkip = 'magic';
          if (this.skip === 0) this.enter('magic');
          else this.state = 'skip';
          break;
        case 'block': {
          const v = h[0]! | (h[1]! << 8) | (h[2]! << 16);
          const last = v & 1;
          const type = (v >> 1) & 3;
          const size = v >>> 3;
          if (type === 3) this.fail('reserved block type');
          this.skip = (type === 1 ? 1 : size) + (last && this.checksum ? 4 : 0);
          this.afterSkip = last ? 'magic' : 'block';
          if (this.skip === 0) this.enter(this.afterSkip);
          else this.state = 'skip';
          break;
        }
        default:
          break;
      }
    }
    return out;
  }

  private headerDone(h: number[]): void {
    const fhd = h[0]!;
    const single = (fhd >> 5) & 1;
    const dictBytes = [0, 1, 2, 4][fhd & 3]!;
    let window: number;
    if (!single) {
      const wd = h[1]!;
      const base = 2 ** (10 + (wd >> 3));
      window = base + (base / 8) * (wd & 7);
    } else {
      const at = 1 + dictBytes;
      const fcsBytes = h.length - at;
      let fcs = 0;
      for (let k = fcsBytes - 1; k >= 0; k--) fcs = fcs * 256 + h[at + k]!;
      if (fcsBytes === 2) fcs += 256;
      window = fcs;
      if (fcs > this.budget && fcs <= this.limits.maxWindowBytes) {
        throw new LimitError('maxCompressionRatio', Math.round(fcs / Math.max(1, this.srcSize)), this.limits.maxCompressionRatio, `${this.name}: zstd frame declares ${fcs} bytes of content, more than the limits let the stream yield (a decompression bomb?)`);
      }
    }
    if (window > this.limits.maxWindowBytes) {
      throw new LimitError('maxWindowBytes', window, this.limits.maxWindowBytes, `${this.name}: zstd frame window`);
    }
    this.enter('block');
  }

  private enter(state: 'magic' | 'fhd' | 'block' | 'skip-size'): void {
    this.state = state;
    this.need = state === 'fhd' ? 1 : state === 'block' ? 3 : 4;
  }

  /** True when the input ended between frames. */
  get atFrameBoundary(): boolean {
    return this.state === 'magic' && this.buf.length === 0 && this.pos > 0;
  }
}

function pushDecoder(format: 'zlib' | 'deflate', emit: (out: Uint8Array) => void): PushDecoder {
  const d = format === 'zlib' ? new Unzlib() : new Inflate();
  d.ondata = (data: Uint8Array) => emit(data);
  return { push: (chunk, final) => d.push(chunk, final) };
}

/**
 * gzip through fflate, plus the trailer check fflate's stream decoder leaves out: each
 * member ends with the CRC-32 and size (mod 2^32) of its data, so a cut or corrupt stream is
 * an error rather than a short success. fflate reports where each next member starts, after
 * emitting all of the previous member's data.
 */
function gzipDecoder(src: ByteSource, name: string, emit: (out: Uint8Array) => void): PushDecoder {
  const d = new Gunzip();
  let crc = 0;
  let size = 0;
  const verify = (trailerAt: number): void => {
    if (trailerAt < 10) throw new DecompressError('gzip', name, trailerAt, 'no room for the member trailer (truncated?)');
    const t = view(src.read(trailerAt, 8));
    if (t.getUint32(0, true) !== crc) throw new DecompressError('gzip', name, trailerAt, 'CRC32 of the data does not match the member trailer (corrupt or truncated)');
    if (t.getUint32(4, true) !== size % 2 ** 32) throw new DecompressError('gzip', name, trailerAt + 4, 'data size does not match the member trailer');
    crc = 0;
    size = 0;
  };
  d.ondata = (data: Uint8Array) => {
    crc = crc32(data, crc);
    size += data.length;
    emit(data);
  };
  d.onmember = (offset: number) => {
    if (offset > 0) verify(offset - 8);
  };
  return {
    push(chunk, final) {
      d.push(chunk, final);
      if (final) verify(src.size - 8);
    },
  };
}

/** zstd's largest block: a match or literal run can overshoot the budget by this much. */
const ZSTD_MAX_BLOCK = 128 * 1024;

/**
 * A window descriptor byte lowered, when it declares more than `budget`, to the smallest one
 * whose window (2^(10+exponent) plus mantissa eighths) still covers `budget`.
 */
function lowerDescriptor(wd: number, budget: number): number {
  const windowOf = (d: number): number => {
    const base = 2 ** (10 + (d >> 3));
    return base + (base / 8) * (d & 7);
  };
  if (windowOf(wd) <= budget) return wd;
  for (let d = 0; d < wd; d++) if (windowOf(d) >= budget) return d;
  return wd;
}

function zstdDecoder(limits: Limits, name: string, srcSize: number, emit: (out: Uint8Array) => void): PushDecoder {
  const guard = new ZstdFrameGuard(limits, name, srcSize);
  let slide: (block: Uint8Array) => void = () => undefined;
  // fzstd may hand out views of its own window, which it then reuses: copy each block.
  const d = new ZstdDecompress((data: Uint8Array) => {
    slide(data);
    emit(copy(data));
  });
  slide = slideWindows(d);
  return {
    push(chunk, final) {
      const checked = guard.feed(chunk);
      if (final && !guard.atFrameBoundary) throw new DecompressError('zstd', name, undefined, 'unexpected end of data (truncated?)');
      d.push(checked, final);
    },
  };
}

/** A stream of the decompressed bytes of `src`, limits enforced while it is pulled. */
export function decompressStream(src: ByteSource, format: Compression, limits: Limits = DEFAULT_LIMITS, name: string = src.name): ByteStream {
  return new StickyStream(decompressMetered(src, format, limits, name, new Meter(limits, name)));
}

/** Smallest complete stream of each push format: gzip header + trailer, zlib header + Adler-32. */
const MIN_SIZE: Partial<Record<Compression, number>> = { gzip: 18, zlib: 6, deflate: 1 };

function decompressMetered(src: ByteSource, format: Compression, limits: Limits, name: string, meter: Meter): ByteStream {
  // fflate returns nothing, without an error, for a stream cut inside its header.
  const min = MIN_SIZE[format] ?? 0;
  if (src.size < min) throw new DecompressError(format, name, 0, `${src.size} bytes is too short for a ${format} stream (truncated?)`);
  const maxWindow = Math.min(limits.maxWindowBytes, limits.maxDecompressedBytes);
  switch (format) {
    case 'gzip':
      return new PushStream(src, name, format, meter, (emit) => gzipDecoder(src, name, emit));
    case 'zlib':
    case 'deflate':
      return new PushStream(src, name, format, meter, (emit) => pushDecoder(format, emit));
    case 'zstd':
      return new PushStream(src, name, format, meter, (emit) => zstdDecoder(limits, name, src.size, emit));
    case 'xz':
      return new MeteredStream(new XzStream(src, name, maxWindow), meter);
    case 'lzma':
      return new MeteredStream(new LzmaAloneStream(src, name, maxWindow), meter);
    case 'bzip2':
      return new MeteredStream(new Bzip2Stream(src, name), meter);
  }
}

/** The whole decompressed output in one buffer, refusing more than `cap` bytes. */
export function decompressToBuffer(
  src: ByteSource,
  format: Compression,
  limits: Limits = DEFAULT_LIMITS,
  name: string = src.name,
  cap: number = limits.maxDecompressedBytes,
): Uint8Array {
  const capLimit: keyof Limits = cap < limits.maxDecompressedBytes ? 'maxMemberBytes' : 'maxDecompressedBytes';
  const stream = decompressMetered(src, format, limits, name, new Meter(limits, name, Math.min(cap, limits.maxDecompressedBytes), capLimit));
  const parts: Uint8Array[] = [];
  for (let c = stream.pull(); c !== null; c = stream.pull()) parts.push(c);
  return parts.length === 1 ? parts[0]! : concat(parts);
}

/**
 * Inflates a whole zlib stream that must give exactly `size` bytes, or throws a message saying
 * why not. The host may provide one (Node's native zlib is several times faster than fflate on
 * the megabytes of compressed debug info a system's debug files hold); the page keeps fflate.
 */
export type ZlibInflater = (data: Uint8Array, size: number) => Uint8Array;
let zlibInflater: ZlibInflater | undefined;

/** Installs (or, with undefined, removes) the host's zlib inflater for compressed sections. */
export function setZlibInflater(f: ZlibInflater | undefined): void {
  zlibInflater = f;
}

/**
 * One compressed ELF section (Elf_Chdr already parsed): exactly `size` bytes must come out.
 * The size and ratio are checked against the limits before anything is allocated.
 */
function decompressSection(data: Uint8Array, size: number, format: 'zlib' | 'zstd', limits: Limits, name: string): Uint8Array {
  if (!Number.isSafeInteger(size) || size < 0) throw new DecompressError(format, name, undefined, `bad uncompressed size ${size}`);
  if (size > limits.maxDecompressedBytes) throw new LimitError('maxDecompressedBytes', size, limits.maxDecompressedBytes, `${name}: decompressed size`);
  if (size > RATIO_GRACE_BYTES && size / Math.max(1, data.length) > limits.maxCompressionRatio) {
    throw new LimitError('maxCompressionRatio', Math.round(size / Math.max(1, data.length)), limits.maxCompressionRatio, `${name}: compression ratio`);
  }
  if (format === 'zlib' && zlibInflater !== undefined) {
    let out: Uint8Array;
    try {
      out = zlibInflater(data, size);
    } catch (e) {
      throw new DecompressError(format, name, undefined, e instanceof Error ? e.message : String(e));
    }
    if (out.length !== size) throw new DecompressError(format, name, undefined, `decompresses to ${out.length} bytes, its header declares ${size}`);
    return out;
  }
  const out = new Uint8Array(size);
  let at = 0;
  const stream = decompressMetered(new BufferSource(data, name), format, limits, name, new Meter(limits, name));
  for (let c = stream.pull(); c !== null; c = stream.pull()) {
    if (at + c.length > size) throw new DecompressError(format, name, undefined, `decompresses to more than the ${size} bytes its header declares`);
    out.set(c, at);
    at += c.length;
  }
  if (at !== size) throw new DecompressError(format, name, undefined, `decompresses to ${at} bytes, its header declares ${size}`);
  return out;
}

/** ELFCOMPRESS_ZLIB (1) section data. */
export function inflateZlib(data: Uint8Array, size: number, limits: Limits = DEFAULT_LIMITS, name = '<section>'): Uint8Array {
  return decompressSection(data, size, 'zlib', limits, name);
}

/** ELFCOMPRESS_ZSTD (2) section data. */
export function decompressZstd(data: Uint8Array, size: number, limits: Limits = DEFAULT_LIMITS, name = '<section>'): Uint8Array {
  return decompressSection(data, size, 'zstd', limits, name);
}
