/**
 * Which toolchain and C library built a file, from the cheap marks they leave:
 *  - Go: the `.go.buildinfo` section (its header holds the Go version since go1.18), the
 *    `.note.go.buildid` note (owner "Go", type 4, also reachable through PT_NOTE), `.gopclntab`.
 *  - Rust: `.rustc` (dylibs), "rustc version" in `.comment`, `.debug_gdb_scripts` naming Rust's
 *    pretty-printers (kept by strip), and symbols only rustc emits:
 *    `rust_begin_unwind`, `__rust_probestack`, `rust_eh_personality`, legacy-mangled
 *    `_ZN...17h<16 hex digits>E` and v0-mangled `_R...` names.
 *  - the C library: interpreter `ld-musl-*` or NEEDED `libc.musl-*` / `libc.so` for musl,
 *    `libc.so.6` / `ld-linux*` for glibc, `libc.so` + `/system/bin/linker` for bionic; static
 *    binaries by symbols (`__libc_setup_tls` is glibc's, `__init_libc` musl's) or glibc's
 *    NT_GNU_ABI_TAG note, which its crt1.o carries and musl's does not.
 *  - compilers and linkers named in `.comment` ("GCC: (Debian 12.2.0-14) 12.2.0",
 *    "clang version 14.0.6", "rustc version 1.70.0", "Linker: LLD 14.0.6").
 */
import { type ElfFile, NT_GNU, NT_GO_BUILDID } from '../../elf/index.js';
import { sectionContents } from '../../elf/compressed.js';
import { decodeBytes } from '../../elf/strings.js';
import { type SymbolFacts } from './symbols.js';
import { errorMessage } from '../verdict.js';

export type Libc = 'glibc' | 'musl' | 'bionic' | 'uclibc' | 'none' | 'unknown';

export interface CompilerMark {
  /** gcc, clang, rustc, lld, gold, ... */
  readonly name: string;
  readonly version: string;
  /** The `.comment` string as found. */
  readonly text: string;
}

export interface ToolchainFacts {
  readonly go: { readonly version: string | undefined; readonly evidence: string } | undefined;
  readonly rust: { readonly version: string | undefined; readonly evidence: string } | undefined;
  readonly libc: Libc;
  readonly libcEvidence: string;
  /** Distinct compiler/linker marks from `.comment`, in file order. */
  readonly comment: readonly CompilerMark[];
  readonly errors: readonly string[];
}

/** `.comment` holds a few short strings; anything bigger is not worth reading. */
const MAX_COMMENT_BYTES = 1024 * 1024;

/** Fragments of mangled names of Rust's standard crates: legacy `_ZN4core9panicking`, v0 `_RNv...4core9panicking`. */
const CORE_LEGACY = '\0_ZN4core9panicking';
const STD_RT = '\0_ZN3std2rt';
const CORE_ANY = '4core9panicking';
/** Where in those the searches start (`SymbolFacts.mentions`): at a digit, rarer in C++ names than their first bytes. */
const STD_RT_ANCHOR = STD_RT.indexOf('3std');
const CORE_ANY_ANCHOR = CORE_ANY.indexOf('9pan');
/** Names only rustc's runtime defines; the reserved ("__") ones first: they are the cheapest to test. */
const RUST_SYMBOLS = ['__rust_probestack', '__rust_alloc', '__rust_dealloc', '__rg_alloc', 'rust_begin_unwind', 'rust_eh_personality'];

/**
 * Each part is computed when first asked for: whether a file is Go costs a look at its section
 * names, whether it is Rust may cost a search of its symbol names, and most checks ask only the
 * first question.
 */
export class Toolchain implements ToolchainFacts {
  private goFacts?: { value: ToolchainFacts['go'] };
  private rustFacts?: { value: ToolchainFacts['rust'] };
  private libcFacts?: [Libc, string];
  private commentMarks?: CompilerMark[];
  private readonly problems: string[] = [];

  constructor(
    private readonly elf: ElfFile,
    private readonly symbols: () => SymbolFacts,
    private readonly interpreter: string | undefined,
    private readonly needed: () => readonly string[],
  ) {}

  private attempt<T>(what: string, f: () => T, fallback: T): T {
    try {
      return f();
    } catch (e) {
      this.problems.push(`${what}: ${errorMessage(e)}`);
      return fallback;
    }
  }

  get errors(): readonly string[] {
    return this.problems;
  }

  get comment(): readonly CompilerMark[] {
    if (this.commentMarks === undefined) this.commentMarks = this.attempt('.comment', () => readComment(this.elf), []);
    return this.commentMarks;
  }

  get go(): ToolchainFacts['go'] {
    if (this.goFacts === undefined) this.goFacts = { value: this.attempt('Go marks', () => detectGo(this.elf), undefined) };
    return this.goFacts.value;
  }

  get rust(): ToolchainFacts['rust'] {
    if (this.rustFacts === undefined) {
      this.rustFacts = { value: this.go !== undefined ? undefined : this.attempt('Rust marks', () => detectRust(this.elf, this.comment, this.symbols), undefined) };
    }
    return this.rustFacts.value;
  }

  private get libcPair(): [Libc, string] {
    if (this.libcFacts === undefined) {
      this.libcFacts = this.attempt('C library', () => detectLibc(this.elf, this.symbols, this.interpreter, this.needed(), this.go !== undefined), ['unknown', 'could not be determined'] as [Libc, string]);
    }
    return this.libcFacts;
  }

  get libc(): Libc {
    return this.libcPair[0];
  }

  get libcEvidence(): string {
    return this.libcPair[1];
  }
}

function readComment(elf: ElfFile): CompilerMark[] {
  const sec = elf.section('.comment');
  if (sec === undefined) return [];
  const bytes = sectionContents(elf, sec, MAX_COMMENT_BYTES);
  const out: CompilerMark[] = [];
  const seen = new Set<string>();
  let start = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(0, start);
    if (end < 0) end = bytes.length;
    const text = decodeBytes(bytes, start, end).trim();
    start = end + 1;
    if (text === '' || seen.has(text)) continue;
    seen.add(text);
    out.push(parseCommentMark(text));
  }
  return out;
}

/** One `.comment` string, named: the compiler (or linker) and its version. */
export function parseCommentMark(text: string): CompilerMark {
  let m = /^GCC: \(([^)]*)\) (\S+)/.exec(text);
  if (m !== null) return { name: 'gcc', version: m[2] ?? '', text };
  m = /^GCC: (\S+)/.exec(text);
  if (m !== null) return { name: 'gcc', version: m[1] ?? '', text };
  m = /clang version (\S+)/.exec(text);
  if (m !== null) return { name: 'clang', version: m[1] ?? '', text };
  m = /^rustc version (\S+)/.exec(text);
  if (m !== null) return { name: 'rustc', version: m[1] ?? '', text };
  m = /^Linker: LLD (\S+)/.exec(text);
  if (m !== null) return { name: 'lld', version: m[1] ?? '', text };
  m = /^Linker: (\S+) (\S+)/.exec(text);
  if (m !== null) return { name: (m[1] ?? 'linker').toLowerCase(), version: m[2] ?? '', text };
  m = /^(?:Intel\(R\)|icx|ICC)/.exec(text);
  if (m !== null) return { name: 'intel', version: /(\d+\.\d+(?:\.\d+)*)/.exec(text)?.[1] ?? '', text };
  return { name: 'other', version: '', text };
}

function detectGo(elf: ElfFile): ToolchainFacts['go'] {
  const marks: string[] = [];
  const info = elf.section('.go.buildinfo');
  if (info !== undefined) marks.push('.go.buildinfo');
  if (elf.section('.note.go.buildid') !== undefined) marks.push('.note.go.buildid');
  else if (elf.findNotes('Go', NT_GO_BUILDID).length > 0) marks.push('Go build ID note');
  if (elf.section('.gopclntab') !== undefined) marks.push('.gopclntab');
  if (marks.length === 0) return undefined;
  let version: string | undefined;
  if (info !== undefined) {
    try {
      version = goVersion(elf.sectionData(info).subarray(0, 4096));
    } catch {
      version = undefined;
    }
  }
  return { version, evidence: marks.join(', ') };
}

/**
 * The version string in a `.go.buildinfo` header: the 14-byte magic "\xff Go buildinf:", the
 * pointer size, a flags byte whose bit 1 says the strings are inline (go1.18+), then at offset
 * 32 a varint length and the version. Older layouts point at the strings instead; those give
 * no version here.
 */
export function goVersion(b: Uint8Array): string | undefined {
  const magic = '\xff Go buildinf:';
  if (b.length < 33) return undefined;
  for (let i = 0; i < magic.length; i++) if (b[i] !== magic.charCodeAt(i)) return undefined;
  if (((b[15] ?? 0) & 2) === 0) return undefined;
  let len = 0;
  let shift = 1;
  let p = 32;
  for (let i = 0; i < 5; i++, p++) {
    const c = b[p] ?? 0;
    len += (c & 0x7f) * shift;
    shift *= 128;
    if ((c & 0x80) === 0) break;
  }
  p++;
  if (len === 0 || len > 64 || p + len > b.length) return undefined;
  const v = decodeBytes(b, p, p + len);
  return /^go[0-9]/.test(v) || v.startsWith('devel') ? v : undefined;
}

function detectRust(elf: ElfFile, comment: readonly CompilerMark[], symbols: () => SymbolFacts): ToolchainFacts['rust'] {
  const rustc = comment.find((c) => c.name === 'rustc');
  if (rustc !== undefined) return { version: rustc.version, evidence: `.comment "${rustc.text}"` };
  if (elf.section('.rustc') !== undefined) return { version: undefined, evidence: '.rustc section' };
  // rustc asks gdb to load its pretty-printers through .debug_gdb_scripts, an allocated section
  // that survives stripping (Debian's stripped Rust binaries keep it when symbols are gone).
  const gdbScripts = elf.section('.debug_gdb_scripts');
  if (gdbScripts !== undefined && gdbScripts.size <= 4096) {
    const text = decodeBytes(elf.sectionData(gdbScripts), 0, gdbScripts.size);
    if (text.includes('gdb_load_rust_pretty_printers')) return { version: undefined, evidence: '.debug_gdb_scripts loads gdb_load_rust_pretty_printers.py' };
  }
  const syms = symbols();
  // The runtime's names are noted as the symbol tables are read (no search). Each search below
  // reads whole string tables (tens of MB in a C++ library), and most files are not Rust, so a
  // search that cannot succeed is skipped: CORE_ANY is part of CORE_LEGACY.
  for (let i = 0; i < RUST_SYMBOLS.length; i++) {
    const n = RUST_SYMBOLS[i] ?? '';
    if (syms.has(n)) return { version: undefined, evidence: `symbol ${n}` };
  }
  // Names of Rust's core and std crates, in either mangling, are found by a byte search of the
  // string tables: no C or C++ code has them.
  const core = syms.mentions(CORE_ANY, CORE_ANY_ANCHOR);
  if (core && syms.mentions(CORE_LEGACY)) return { version: undefined, evidence: 'symbols of core::panicking (Rust)' };
  if (syms.mentions(STD_RT, STD_RT_ANCHOR)) return { version: undefined, evidence: 'symbols of std::rt (Rust)' };
  if (core) return { version: undefined, evidence: 'symbols of core::panicking (Rust, v0 mangling)' };
  return undefined;
}

/** Names only each C library's static start-up code defines. */
const GLIBC_MARKS = ['__libc_setup_tls', '_dl_relocate_static_pie', '__libc_start_call_main', '_dl_non_dynamic_init'];
const MUSL_MARKS = ['__init_libc', '__libc_start_init', '__dls2', '__init_tp'];
const STATIC_LIBC_MARKS = [...GLIBC_MARKS, ...MUSL_MARKS];

function detectLibc(elf: ElfFile, symbols: () => SymbolFacts, interpreter: string | undefined, needed: readonly string[], isGo: boolean): [Libc, string] {
  const base = (p: string): string => p.slice(p.lastIndexOf('/') + 1);
  if (interpreter !== undefined) {
    const i = base(interpreter);
    if (i.startsWith('ld-musl-')) return ['musl', `interpreter ${interpreter}`];
    if (i.startsWith('ld-linux') || i.startsWith('ld64.so') || i.startsWith('ld.so.1')) return ['glibc', `interpreter ${interpreter}`];
    if (i.startsWith('ld-uClibc')) return ['uclibc', `interpreter ${interpreter}`];
    if (interpreter.endsWith('/linker') || interpreter.endsWith('/linker64')) return ['bionic', `interpreter ${interpreter}`];
  }
  for (const n of needed) {
    if (n.startsWith('libc.musl-') || n.startsWith('ld-musl-')) return ['musl', `NEEDED ${n}`];
    if (/^libc\.so\.6$|^libc\.so\.6\.1$|^libc\.so\.7$/.test(n)) return ['glibc', `NEEDED ${n}`];
    if (n.startsWith('libc.so.0') || n.startsWith('ld-uClibc')) return ['uclibc', `NEEDED ${n}`];
  }
  if (needed.includes('libc.so')) return ['musl', 'NEEDED libc.so (musl\'s soname)'];
  if (needed.length > 0 || interpreter !== undefined) return ['unknown', 'no known C library among NEEDED entries'];
  // Static: marks of the C library linked in.
  if (isGo) return ['none', 'Go runtime: no C library linked'];
  const syms = symbols();
  const defined = syms.definedAmong(STATIC_LIBC_MARKS);
  for (const n of GLIBC_MARKS) if (defined.has(n)) return ['glibc', `static, defines ${n}`];
  for (const n of MUSL_MARKS) if (defined.has(n)) return ['musl', `static, defines ${n}`];
  if (elf.findNotes('GNU', NT_GNU.ABI_TAG).length > 0) return ['glibc', 'static, NT_GNU_ABI_TAG note (glibc\'s crt1.o)'];
  if (syms.hasSymtab) return ['unknown', 'static, no C library marks in .symtab'];
  return ['unknown', 'static and stripped, no NT_GNU_ABI_TAG note'];
}
