/**
 * The facts Debian's hardening-check reads from readelf/objdump text, computed from the ELF
 * model instead. Each fact reproduces the reference's reading, quirks included, so that the
 * drop-in prints what the reference prints:
 *
 * - file type: the first word readelf prints after "Elf file type is", which it prints only
 *   when the file has program headers (so an ET_REL, or any file without them, has type "");
 * - PHDR / GNU_RELRO: presence of those program headers;
 * - immediate binding: DT_BIND_NOW, DF_BIND_NOW in DT_FLAGS, DF_1_NOW in DT_FLAGS_1;
 * - imported functions: undefined FUNC, IFUNC and NOTYPE symbols of .dynsym and .symtab
 *   (readelf -s reads both through the section table), versions cut off; the null symbol
 *   counts, with an empty name;
 * - control-flow / branch protection: a GNU property note whose *first* property is
 *   X86_FEATURE_1_AND (x86 files) / AARCH64_FEATURE_1_AND (aarch64 files) with both bits set,
 *   because the reference matches only the "Properties:" line readelf starts each note with;
 * - stack clash: the x86-64 probe loop in the bytes of the executable sections.
 *
 * Static archives are read member by member, as readelf and objdump do.
 */
import { arMemberSource, isArArchive, readArMembers } from '../io/ar.js';
import { type ByteSource, readWindow } from '../io/byte-source.js';
import { hasDebianProbeLoop } from '../code/index.js';
import { DEFAULT_LIMITS, type Limits } from '../limits.js';
import {
  AARCH64_FEATURE_1,
  EM,
  ElfFile,
  ET,
  GNU_PROPERTY,
  hasElfMagic,
  NT_GNU,
  parseGnuProperties,
  PT,
  SHN,
  STT,
  X86_FEATURE_1,
  isX86,
} from '../elf/index.js';

/** What the reference would have read from one input. */
export interface ReferenceFacts {
  /** The word after "Elf file type is" ("DYN", "EXEC", "CORE"...), "" when none is printed. */
  readonly elfType: string;
  readonly hasPhdr: boolean;
  readonly hasRelro: boolean;
  readonly bindNow: boolean;
  /** True when the input starts with `!<arch>\n`. */
  readonly isArchive: boolean;
  /** Imported function names (with "" for the null symbol), sorted. */
  readonly functions: readonly string[];
  /** Undefined when not computed (the caller said it will not print it). */
  readonly stackClash: boolean | undefined;
  readonly cfProtection: boolean;
  readonly branchProtection: boolean;
  /** Problems met on the way (unreadable tables...), shown by --debug. */
  readonly notes: readonly string[];
}

/** The input cannot be read the way the reference reads it: it prints nothing for it. */
export class UnreadableInput extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreadableInput';
  }
}

export interface FactOptions {
  /** Scan code for the stack-clash loop (skipped when the verdict will not be shown). */
  readonly stackClash: boolean;
  readonly limits?: Limits;
}

/** Code is scanned in windows of this size, overlapping by more than one probe sequence. */
const CODE_WINDOW = 4 * 1024 * 1024;
const CODE_OVERLAP = 256;

/** readelf's first word of the file type. */
export function readelfTypeWord(type: number): string {
  switch (type) {
    case ET.NONE:
      return 'NONE';
    case ET.REL:
      return 'REL';
    case ET.EXEC:
      return 'EXEC';
    case ET.DYN:
      return 'DYN';
    case ET.CORE:
      return 'CORE';
    default:
      if (type >= 0xfe00 && type <= 0xfeff) return 'OS';
      if (type >= 0xff00) return 'Processor';
      return '<unknown>:';
  }
}

interface Accumulator {
  elfType: string | undefined;
  hasPhdr: boolean;
  hasRelro: boolean;
  bindNow: boolean;
  functions: Set<string>;
  stackClash: boolean;
  cfProtection: boolean;
  branchProtection: boolean;
  notes: string[];
}

/** Computes the reference's facts for one input, or throws `UnreadableInput`. */
export function referenceFacts(src: ByteSource, opts: FactOptions): ReferenceFacts {
  const limits = opts.limits ?? DEFAULT_LIMITS;
  const acc: Accumulator = {
    elfType: undefined,
    hasPhdr: false,
    hasRelro: false,
    bindNow: false,
    functions: new Set(),
    stackClash: false,
    cfProtection: false,
    branchProtection: false,
    notes: [],
  };
  const archive = isArArchive(src);
  if (archive) {
    let members = 0;
    try {
      for (const m of readArMembers(src, limits)) {
        if (m.external) continue;
        members++;
        const member = arMemberSource(src, m);
        // readelf fails the whole archive when one member is not an ELF file.
        if (!hasElfMagic(member)) throw new UnreadableInput(`${member.name}: not an ELF file`);
        readElf(ElfFile.open(member, limits), acc, opts);
      }
    } catch (e) {
      if (e instanceof UnreadableInput) throw e;
      throw new UnreadableInput((e as Error).message);
    }
    if (members === 0) throw new UnreadableInput(`${src.name}: archive has no members`);
  } else {
    if (!hasElfMagic(src)) throw new UnreadableInput(`${src.name}: not an ELF file`);
    let elf: ElfFile;
    try {
      elf = ElfFile.open(src, limits);
    } catch (e) {
      throw new UnreadableInput((e as Error).message);
    }
    readElf(elf, acc, opts);
  }
  return {
    elfType: acc.elfType ?? '',
    hasPhdr: acc.hasPhdr,
    hasRelro: acc.hasRelro,
    bindNow: acc.bindNow,
    isArchive: archive,
    functions: [...acc.functions].sort(),
    stackClash: opts.stackClash ? acc.stackClash : undefined,
    cfProtection: acc.cfProtection,
    branchProtection: acc.branchProtection,
    notes: acc.notes,
  };
}

/** Runs `f`, turning a failure into a note: each fact degrades alone, as each readelf run does. */
function attempt(acc: Accumulator, what: string, f: () => void): void {
  try {
    f();
  } catch (e) {
    acc.notes.push(`${what}: ${(e as Error).message}`);
  }
}

function readElf(elf: ElfFile, acc: Accumulator, opts: FactOptions): void {
  let phdrs: readonly { type: number }[] = [];
  try {
    phdrs = elf.programHeaders;
  } catch (e) {
    // readelf -l gives up on the file: the reference then skips it.
    throw new UnreadableInput((e as Error).message);
  }
  if (phdrs.length > 0 && acc.elfType === undefined) acc.elfType = readelfTypeWord(elf.header.type);
  if (phdrs.some((p) => p.type === PT.PHDR)) acc.hasPhdr = true;
  if (phdrs.some((p) => p.type === PT.GNU_RELRO)) acc.hasRelro = true;
  attempt(acc, 'dynamic section', () => {
    if (elf.bindNow) acc.bindNow = true;
  });
  attempt(acc, 'symbols', () => collectImports(elf, acc.functions));
  attempt(acc, 'notes', () => readProperties(elf, acc));
  // The reference's objdump decodes x86 code only (other machines: "can't disassemble"), in
  // 64-bit mode for EM_X86_64 (x32 included) and 32-bit mode for EM_386.
  const bits = elf.header.machine === EM.X86_64 ? 64 : elf.header.machine === EM['386'] ? 32 : 0;
  if (opts.stackClash && !acc.stackClash && bits !== 0) {
    attempt(acc, 'code', () => (acc.stackClash = scanCode(elf, bits)));
  }
}

function collectImports(elf: ElfFile, into: Set<string>): void {
  const imported = (type: number, _bind: number, shndx: number): boolean =>
    shndx === SHN.UNDEF && (type === STT.FUNC || type === STT.GNU_IFUNC || type === STT.NOTYPE);
  for (const kind of ['dynsym', 'symtab'] as const) {
    for (const name of elf.symbolNamesWhere(kind, imported)) into.add(referenceName(name));
  }
}

/** The name as the reference extracts it from a readelf line: the last word, up to any '@'. */
function referenceName(name: string): string {
  const word = name.slice(name.lastIndexOf(' ') + 1);
  const at = word.indexOf('@');
  return at >= 0 ? word.slice(0, at) : word;
}

function readProperties(elf: ElfFile, acc: Accumulator): void {
  const m = elf.header.machine;
  const x86 = isX86(m);
  const arm64 = m === EM.AARCH64;
  if (!x86 && !arm64) return;
  for (const n of elf.findNotes('GNU', NT_GNU.PROPERTY_TYPE_0)) {
    const first = parseGnuProperties(elf.decoder, n.desc).properties[0];
    // readelf decodes a feature word only when its size is exactly 4.
    if (first === undefined || first.data.length !== 4) continue;
    const bits = elf.decoder.u32(first.data, 0);
    if (x86 && first.type === GNU_PROPERTY.X86_FEATURE_1_AND) {
      const both = X86_FEATURE_1.IBT | X86_FEATURE_1.SHSTK;
      if ((bits & both) === both) acc.cfProtection = true;
    }
    if (arm64 && first.type === GNU_PROPERTY.AARCH64_FEATURE_1_AND) {
      const both = AARCH64_FEATURE_1.BTI | AARCH64_FEATURE_1.PAC;
      if ((bits & both) === both) acc.branchProtection = true;
    }
  }
}

/** Looks for the probe loop in every executable section, reading large ones in windows. */
function scanCode(elf: ElfFile, bits: 32 | 64): boolean {
  for (const s of elf.codeSections) {
    for (let start = 0; start < s.size; start += CODE_WINDOW) {
      const len = Math.min(CODE_WINDOW + CODE_OVERLAP, s.size - start);
      const bytes = readWindow(elf.source, s.offset + start, Math.min(len, Math.max(0, elf.source.size - s.offset - start)));
      if (hasDebianProbeLoop(bytes, s.addr + start, bits)) return true;
    }
  }
  return false;
}
