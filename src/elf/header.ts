import { type ByteSource } from '../io/byte-source.js';
import { ElfDecoder, f, type Layout } from './decoder.js';
import { ElfFormatError, NotElfError } from './errors.js';
import { machineName } from './machine.js';
import { nameOf } from './names.js';

export const ELFMAG = Uint8Array.of(0x7f, 0x45, 0x4c, 0x46);
export const ELFCLASS32 = 1;
export const ELFCLASS64 = 2;
export const ELFDATA2LSB = 1;
export const ELFDATA2MSB = 2;

/** e_type values. */
export const ET = Object.freeze({ NONE: 0, REL: 1, EXEC: 2, DYN: 3, CORE: 4 });

/** EI_OSABI values that show up in practice. */
export const ELFOSABI = Object.freeze({ NONE: 0, HPUX: 1, NETBSD: 2, GNU: 3, SOLARIS: 6, AIX: 7, IRIX: 8, FREEBSD: 9, TRU64: 10, OPENBSD: 12, ARM_AEABI: 64, ARM: 97, STANDALONE: 255 });

/** Extended numbering: e_phnum == PN_XNUM means the real count is in section 0's sh_info. */
export const PN_XNUM = 0xffff;

/** The ELF file header, fields named as in the gABI. */
export interface FileHeader {
  readonly is64: boolean;
  readonly littleEndian: boolean;
  readonly osabi: number;
  readonly abiVersion: number;
  readonly type: number;
  readonly machine: number;
  readonly version: number;
  readonly entry: number;
  readonly phoff: number;
  readonly shoff: number;
  readonly flags: number;
  readonly ehsize: number;
  readonly phentsize: number;
  /** e_phnum as stored (PN_XNUM when extended). */
  readonly phnum: number;
  readonly shentsize: number;
  /** e_shnum as stored (0 with a non-zero e_shoff when extended). */
  readonly shnum: number;
  /** e_shstrndx as stored (SHN_XINDEX when extended). */
  readonly shstrndx: number;
}

const EHDR: Layout<
  'type' | 'machine' | 'version' | 'entry' | 'phoff' | 'shoff' | 'flags' | 'ehsize' | 'phentsize' | 'phnum' | 'shentsize' | 'shnum' | 'shstrndx'
> = {
  size32: 52,
  size64: 64,
  fields: {
    type: f(16, 2, 16, 2),
    machine: f(18, 2, 18, 2),
    version: f(20, 4, 20, 4),
    entry: f(24, 4, 24, 8),
    phoff: f(28, 4, 32, 8),
    shoff: f(32, 4, 40, 8),
    flags: f(36, 4, 48, 4),
    ehsize: f(40, 2, 52, 2),
    phentsize: f(42, 2, 54, 2),
    phnum: f(44, 2, 56, 2),
    shentsize: f(46, 2, 58, 2),
    shnum: f(48, 2, 60, 2),
    shstrndx: f(50, 2, 62, 2),
  },
};

/** True when the source starts with the ELF magic. */
export function hasElfMagic(src: ByteSource): boolean {
  if (src.size < 4) return false;
  const m = src.read(0, 4);
  return m[0] === 0x7f && m[1] === 0x45 && m[2] === 0x4c && m[3] === 0x46;
}

/** Reads and validates the file header; the decoder for the rest of the file comes with it. */
export function readFileHeader(src: ByteSource): { header: FileHeader; decoder: ElfDecoder } {
  if (!hasElfMagic(src)) throw new NotElfError(src.name);
  if (src.size < 16) throw new ElfFormatError(0, 'e_ident', src.size, 'file too short for the ELF identification');
  const ident = src.read(0, 16);
  const cls = ident[4] ?? 0;
  const data = ident[5] ?? 0;
  if (cls !== ELFCLASS32 && cls !== ELFCLASS64) throw new ElfFormatError(4, 'EI_CLASS', cls, 'neither ELFCLASS32 nor ELFCLASS64');
  if (data !== ELFDATA2LSB && data !== ELFDATA2MSB) throw new ElfFormatError(5, 'EI_DATA', data, 'neither ELFDATA2LSB nor ELFDATA2MSB');
  const decoder = new ElfDecoder(cls === ELFCLASS64, data === ELFDATA2LSB);
  const size = decoder.sizeOf(EHDR);
  if (src.size < size) throw new ElfFormatError(0, 'ELF header', src.size, `file has ${src.size} bytes, the header needs ${size}`);
  const b = src.read(0, size);
  const r = (k: keyof typeof EHDR.fields): number => decoder.field(b, 0, EHDR, k);
  const header: FileHeader = {
    is64: decoder.is64,
    littleEndian: decoder.littleEndian,
    osabi: ident[7] ?? 0,
    abiVersion: ident[8] ?? 0,
    type: r('type'),
    machine: r('machine'),
    version: r('version'),
    entry: r('entry'),
    phoff: r('phoff'),
    shoff: r('shoff'),
    flags: r('flags'),
    ehsize: r('ehsize'),
    phentsize: r('phentsize'),
    phnum: r('phnum'),
    shentsize: r('shentsize'),
    shnum: r('shnum'),
    shstrndx: r('shstrndx'),
  };
  return { header, decoder };
}

/** `ET_DYN`-style name of an e_type value. */
export function typeName(t: number): string {
  if (t >= 0xfe00 && t <= 0xfeff) return `ET_LOOS+0x${(t - 0xfe00).toString(16)}`;
  if (t >= 0xff00) return `ET_LOPROC+0x${(t - 0xff00).toString(16)}`;
  return nameOf(ET, t, 'ET_');
}

/** Architecture name of a header (see `machineName`). */
export function headerMachineName(h: FileHeader): string {
  return machineName(h.machine, h.is64, h.littleEndian);
}
