/**
 * What kind of ELF file this is, as far as hardening goes, with the structures that decided it.
 * The rules (spec/checks.md): ET_EXEC is a fixed-address executable; ET_DYN is a PIE when it
 * has PT_INTERP or DF_1_PIE, a static-pie when it has DF_1_PIE and no PT_INTERP (glibc's
 * -static-pie, ldconfig), a runnable library when it has PT_INTERP and a SONAME (libc.so.6),
 * and a shared library otherwise.
 */
import { DF_1, ET, type ElfFile, PT, typeName } from '../../elf/index.js';
import { type FileKind } from '../../scan/result.js';
import { errorMessage } from '../verdict.js';

export interface KindFacts {
  readonly kind: FileKind;
  /** Why: "ET_DYN, PT_INTERP /lib64/ld-linux-x86-64.so.2, DF_1_PIE: PIE executable". */
  readonly evidence: string;
  readonly interpreter: string | undefined;
  readonly hasDynamic: boolean;
  readonly soname: string | undefined;
  readonly df1Pie: boolean;
  /** Set when a structure needed to decide could not be read; the kind then rests on e_type. */
  readonly error?: string;
}

const KIND_WORDS: Readonly<Record<FileKind, string>> = {
  executable: 'executable at a fixed address (not PIE)',
  'pie-executable': 'PIE executable',
  'static-executable': 'static executable at a fixed address (not PIE)',
  'static-pie': 'static-pie executable',
  'shared-library': 'shared library',
  'runnable-shared-library': 'shared library that is also runnable (a PIE)',
  object: 'relocatable object',
  core: 'core dump',
  'other-elf': 'ELF file of an unusual type',
  archive: 'static archive',
  package: 'package',
  'not-elf': 'not an ELF file',
  symlink: 'symbolic link',
  special: 'special file',
  unreadable: 'unreadable file',
};

export function kindWords(kind: FileKind): string {
  return KIND_WORDS[kind];
}

export function classifyElf(elf: ElfFile): KindFacts {
  const k = classify(elf);
  // A cut file can still yield what its first bytes hold (the dynamic section is read as far as
  // it goes, checks find what they look for or not), and would be judged as a whole one: say
  // it is cut.
  // (When a structure was already unreadable, that error says it.)
  if (k.error !== undefined) return k;
  const cut = truncation(elf);
  return cut === undefined ? k : { ...k, error: cut };
}

function classify(elf: ElfFile): KindFacts {
  const type = elf.header.type;
  const tname = typeName(type);
  if (type === ET.REL) return simple('object', `${tname}: ${KIND_WORDS.object}`);
  if (type === ET.CORE) return simple('core', `${tname}: ${KIND_WORDS.core}`);
  if (type !== ET.EXEC && type !== ET.DYN) return simple('other-elf', `e_type ${tname}: neither an executable nor a library`);

  let interpreter: string | undefined;
  let hasDynamic = false;
  let soname: string | undefined;
  let df1Pie = false;
  try {
    hasDynamic = elf.programHeaders.some((p) => p.type === PT.DYNAMIC);
    interpreter = elf.interpreter;
  } catch (e) {
    // Without program headers nothing but e_type is left to go on.
    const kind: FileKind = type === ET.EXEC ? 'executable' : 'shared-library';
    return { kind, evidence: `${tname}, program headers unreadable: assumed ${KIND_WORDS[kind]}`, interpreter, hasDynamic, soname, df1Pie, error: errorMessage(e) };
  }
  let dynError: string | undefined;
  try {
    const d = elf.dynamic;
    soname = d?.soname;
    df1Pie = d !== undefined && (d.flags1 & DF_1.PIE) !== 0;
  } catch (e) {
    dynError = errorMessage(e);
  }
  const parts = [tname];
  if (interpreter !== undefined) parts.push(`PT_INTERP ${interpreter || '(empty)'}`);
  else parts.push('no PT_INTERP');
  if (df1Pie) parts.push('DF_1_PIE');
  if (soname !== undefined) parts.push(`DT_SONAME ${soname}`);

  let kind: FileKind;
  if (type === ET.EXEC) {
    if (interpreter === undefined && !hasDynamic) parts.splice(1, 1, 'no PT_INTERP or PT_DYNAMIC');
    kind = interpreter !== undefined ? 'executable' : 'static-executable';
  } else if (interpreter !== undefined) {
    kind = soname !== undefined && !df1Pie ? 'runnable-shared-library' : 'pie-executable';
  } else {
    kind = df1Pie ? 'static-pie' : 'shared-library';
  }
  const evidence = `${parts.join(', ')}: ${KIND_WORDS[kind]}`;
  const base = { kind, evidence, interpreter, hasDynamic, soname, df1Pie };
  return dynError === undefined ? base : { ...base, error: `dynamic section unreadable: ${dynError}` };
}

/** Why the file is cut short, when a loadable or dynamic segment runs past its end. */
function truncation(elf: ElfFile): string | undefined {
  const size = elf.source.size;
  let phdrs: ReturnType<() => ElfFile['programHeaders']>;
  try {
    phdrs = elf.programHeaders;
  } catch {
    // Already said: the kind rests on e_type, with the error.
    phdrs = [];
  }
  const cut = phdrs.find((p) => (p.type === PT.LOAD || p.type === PT.DYNAMIC) && p.filesz > 0 && p.offset + p.filesz > size);
  if (cut === undefined) {
    // The section header table is written last: a file cut after its segments loses it.
    const h = elf.header;
    const end = h.shoff + h.shnum * h.shentsize;
    if (h.shoff > 0 && h.shnum > 0 && end > size) return `truncated: the section header table at 0x${h.shoff.toString(16)} (${h.shnum} x ${h.shentsize} bytes) runs past the end of the file (${size} bytes)`;
    return undefined;
  }
  const name = cut.type === PT.LOAD ? 'PT_LOAD' : 'PT_DYNAMIC';
  return `truncated: ${name} [${cut.index}] at 0x${cut.offset.toString(16)} (${cut.filesz} bytes) runs past the end of the file (${size} bytes)`;
}

function simple(kind: FileKind, evidence: string): KindFacts {
  return { kind, evidence, interpreter: undefined, hasDynamic: false, soname: undefined, df1Pie: false };
}

/** Executables of any sort (the kinds a PIE / exec-stack question is about). */
export function isExecutableKind(k: FileKind): boolean {
  return k === 'executable' || k === 'pie-executable' || k === 'static-executable' || k === 'static-pie' || k === 'runnable-shared-library';
}

/** Files the loader maps: executables and shared libraries. */
export function isLoadableKind(k: FileKind): boolean {
  return isExecutableKind(k) || k === 'shared-library';
}

/** Linked without a dynamic loader: nothing is bound at run time. */
export function isStaticKind(k: FileKind): boolean {
  return k === 'static-executable' || k === 'static-pie';
}
