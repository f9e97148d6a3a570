/**
 * Section contents as the program sees them: SHF_COMPRESSED sections (an Elf_Chdr then a zlib
 * or zstd stream, gABI) and the legacy GNU `.zdebug_*` form ("ZLIB", an 8-byte big-endian size,
 * then a zlib stream) are decompressed; anything else is read in place.
 *
 * Readers of big sections (.debug_info can be a gigabyte) get a `SectionView` instead of the
 * bytes: an uncompressed section is read window by window from the file, so looking at each
 * compilation unit's header costs a few positional reads, not the whole section. A compressed
 * section has to be inflated once, bounded by `maxBytes` and the decompression limits.
 */
import { ShortReadError } from '../io/byte-source.js';
import { decompressZstd, inflateZlib } from '../io/decompress.js';
import { LimitError } from '../limits.js';
import { ElfFormatError } from './errors.js';
import { type ElfFile } from './file.js';
import { type SectionHeader, SHF, SHT } from './section.js';
import { checkRange } from './table.js';

/** ch_type values of Elf_Chdr. */
export const ELFCOMPRESS = Object.freeze({ ZLIB: 1, ZSTD: 2 });

/** How a section is stored. */
export type SectionCompression = 'none' | 'zlib' | 'zstd' | 'zdebug-zlib';

/** Positional, bounds-checked reads of one section's (uncompressed) contents. */
export interface SectionView {
  readonly name: string;
  /** Size of the contents (uncompressed). */
  readonly size: number;
  readonly compression: SectionCompression;
  /**
   * Up to `length` bytes at `offset`: fewer when the section ends first (never an error for
   * that); an offset past the end gives an empty array.
   */
  read(offset: number, length: number): Uint8Array;
}

/** The compression of a section, from its flags and name, without reading its contents. */
export function sectionCompression(elf: ElfFile, s: SectionHeader): SectionCompression {
  if ((s.flags & SHF.COMPRESSED) !== 0) {
    const head = readHead(elf, s, 4);
    const type = head.length >= 4 ? elf.decoder.u32(head, 0) : 0;
    if (type === ELFCOMPRESS.ZLIB) return 'zlib';
    if (type === ELFCOMPRESS.ZSTD) return 'zstd';
    throw new ElfFormatError(s.offset, `ch_type of section ${s.name}`, type, 'unknown compression type');
  }
  if (s.name.startsWith('.zdebug')) return 'zdebug-zlib';
  return 'none';
}

function readHead(elf: ElfFile, s: SectionHeader, n: number): Uint8Array {
  if (s.type === SHT.NOBITS) return new Uint8Array(0);
  const len = Math.min(n, s.size);
  checkRange(elf.source, `section ${s.name}`, s.offset, len);
  return elf.source.read(s.offset, len);
}

/**
 * A view of section `s`. Compressed sections are inflated here, refusing a declared size above
 * `maxBytes` before anything is allocated.
 */
export function openSection(elf: ElfFile, s: SectionHeader, maxBytes: number): SectionView {
  const compression = sectionCompression(elf, s);
  if (compression === 'none') return fileView(elf, s);
  const data = inflateSection(elf, s, compression, maxBytes);
  return bufferView(s.name, data, compression);
}

/**
 * `openSection`, deferred until the view is first used: for sections a reader may not need at
 * all (a string section no unit refers to is then neither read nor inflated). A problem with
 * the section surfaces at that first use.
 */
export function lazySection(elf: ElfFile, s: SectionHeader, maxBytes: number): SectionView {
  let view: SectionView | undefined;
  const open = (): SectionView => (view ??= openSection(elf, s, maxBytes));
  return {
    name: s.name,
    get size() {
      return open().size;
    },
    get compression() {
      return open().compression;
    },
    read: (offset, length) => open().read(offset, length),
  };
}

/** The whole (uncompressed) contents of a section, at most `maxBytes`. */
export function sectionContents(elf: ElfFile, s: SectionHeader, maxBytes: number): Uint8Array {
  const compression = sectionCompression(elf, s);
  if (compression !== 'none') return inflateSection(elf, s, compression, maxBytes);
  if (s.type === SHT.NOBITS) return new Uint8Array(0);
  if (s.size > maxBytes) throw new LimitError('maxTableBytes', s.size, maxBytes, `${elf.name}: section ${s.name}`);
  checkRange(elf.source, `section ${s.name}`, s.offset, s.size);
  return elf.source.read(s.offset, s.size);
}

function fileView(elf: ElfFile, s: SectionHeader): SectionView {
  const size = s.type === SHT.NOBITS ? 0 : s.size;
  checkRange(elf.source, `section ${s.name}`, s.offset, size);
  return {
    name: s.name,
    size,
    compression: 'none',
    read(offset, length) {
      if (!Number.isSafeInteger(offset) || offset < 0 || offset >= size || length <= 0) return new Uint8Array(0);
      return elf.source.read(s.offset + offset, Math.min(length, size - offset));
    },
  };
}

function bufferView(name: string, data: Uint8Array, compression: SectionCompression): SectionView {
  return {
    name,
    size: data.length,
    compression,
    read(offset, length) {
      if (!Number.isSafeInteger(offset) || offset < 0 || offset >= data.length || length <= 0) return new Uint8Array(0);
      return data.subarray(offset, Math.min(data.length, offset + length));
    },
  };
}

function inflateSection(elf: ElfFile, s: SectionHeader, compression: Exclude<SectionCompression, 'none'>, maxBytes: number): Uint8Array {
  const d = elf.decoder;
  const what = `${elf.name}: section ${s.name}`;
  if (s.type === SHT.NOBITS) return new Uint8Array(0);
  checkRange(elf.source, `section ${s.name}`, s.offset, s.size);
  const raw = elf.source.read(s.offset, s.size);
  let size: number;
  let start: number;
  if (compression === 'zdebug-zlib') {
    // "ZLIB" then the uncompressed size as a 64-bit big-endian number.
    if (raw.length < 12 || raw[0] !== 0x5a || raw[1] !== 0x4c || raw[2] !== 0x49 || raw[3] !== 0x42) {
      throw new ElfFormatError(s.offset, `section ${s.name}`, undefined, 'a .zdebug section without the "ZLIB" header');
    }
    let n = 0;
    for (let i = 4; i < 12; i++) n = n * 256 + (raw[i] ?? 0);
    size = n;
    start = 12;
  } else {
    const chdrSize = d.is64 ? 24 : 12;
    if (raw.length < chdrSize) throw new ElfFormatError(s.offset, `Elf_Chdr of section ${s.name}`, raw.length, 'section shorter than its compression header');
    size = d.is64 ? d.u64(raw, 8) : d.u32(raw, 4);
    start = chdrSize;
  }
  if (!Number.isSafeInteger(size) || size < 0) throw new ElfFormatError(s.offset, `ch_size of section ${s.name}`, size, 'not a usable size');
  if (size > maxBytes) throw new LimitError('maxDecompressedBytes', size, maxBytes, what);
  const body = raw.subarray(start);
  return compression === 'zstd' ? decompressZstd(body, size, elf.limits, what) : inflateZlib(body, size, elf.limits, what);
}

/** True for errors that mean "this file is damaged", as opposed to bugs. */
export function isInputError(e: unknown): boolean {
  return e instanceof ElfFormatError || e instanceof LimitError || e instanceof ShortReadError || (e instanceof Error && e.name === 'DecompressError');
}
