/**
 * x86-64 relocation types, from the System V AMD64 psABI (§4.4.1 "Relocation Types", the TLS
 * types of "ELF Handling For Thread-Local Storage" and the TLSDESC proposal).
 *
 * Confirmed with GNU ld 2.40 (`gcc -shared`, test/pic): R_X86_64_32/32S against anything
 * (sections included: switch tables, string literals) are refused; R_X86_64_PC32 against a
 * global default-visibility symbol is refused in read-only sections — even when it is the
 * operand of a call or jmp — and accepted in writable data (ld emits a dynamic R_X86_64_PC32);
 * protected and hidden symbols are fine; R_X86_64_64 in .text or .rodata (-mcmodel=large
 * -fno-pic) links with "creating DT_TEXTREL"; R_X86_64_TPOFF32 (local-exec) is refused, and so
 * is R_X86_64_TPOFF64 (ld 2.40 stops with an assertion). In x32 (ELFCLASS32) R_X86_64_32 is a
 * whole pointer.
 */
import { type RelocEntry, type RelocRules } from './kinds.js';

export const X86_64_RULES: RelocRules = { pcRelativeInWritableData: true };

export const X86_64_RELOCATIONS: readonly RelocEntry[] = [
  [0, 'R_X86_64_NONE', 'none'],
  [1, 'R_X86_64_64', 'absolute'],
  [2, 'R_X86_64_PC32', 'pc-relative'],
  [3, 'R_X86_64_GOT32', 'got'],
  [4, 'R_X86_64_PLT32', 'branch'],
  [5, 'R_X86_64_COPY', 'dynamic'],
  [6, 'R_X86_64_GLOB_DAT', 'dynamic'],
  [7, 'R_X86_64_JUMP_SLOT', 'dynamic'],
  [8, 'R_X86_64_RELATIVE', 'dynamic'],
  [9, 'R_X86_64_GOTPCREL', 'got'],
  [10, 'R_X86_64_32', ['absolute-part', 'absolute']],
  [11, 'R_X86_64_32S', 'absolute-part'],
  [12, 'R_X86_64_16', 'absolute-part'],
  [13, 'R_X86_64_PC16', 'pc-relative'],
  [14, 'R_X86_64_8', 'absolute-part'],
  [15, 'R_X86_64_PC8', 'pc-relative'],
  [16, 'R_X86_64_DTPMOD64', 'tls-dynamic'],
  [17, 'R_X86_64_DTPOFF64', 'tls-dynamic'],
  [18, 'R_X86_64_TPOFF64', 'tls-local-exec'],
  [19, 'R_X86_64_TLSGD', 'tls-dynamic'],
  [20, 'R_X86_64_TLSLD', 'tls-dynamic'],
  [21, 'R_X86_64_DTPOFF32', 'tls-dynamic'],
  [22, 'R_X86_64_GOTTPOFF', 'tls-initial-exec'],
  [23, 'R_X86_64_TPOFF32', 'tls-local-exec'],
  [24, 'R_X86_64_PC64', 'pc-relative'],
  [25, 'R_X86_64_GOTOFF64', 'got'],
  [26, 'R_X86_64_GOTPC32', 'got'],
  [27, 'R_X86_64_GOT64', 'got'],
  [28, 'R_X86_64_GOTPCREL64', 'got'],
  [29, 'R_X86_64_GOTPC64', 'got'],
  [30, 'R_X86_64_GOTPLT64', 'got'],
  [31, 'R_X86_64_PLTOFF64', 'got'],
  // The size of a symbol: link-time constant for local symbols; ld accepts SIZE64 in data and
  // makes SIZE32 in code a text relocation. Rare enough not to decide anything.
  [32, 'R_X86_64_SIZE32', 'uncertain'],
  [33, 'R_X86_64_SIZE64', 'uncertain'],
  [34, 'R_X86_64_GOTPC32_TLSDESC', 'tls-dynamic'],
  [35, 'R_X86_64_TLSDESC_CALL', 'none'],
  [36, 'R_X86_64_TLSDESC', 'dynamic'],
  [37, 'R_X86_64_IRELATIVE', 'dynamic'],
  [38, 'R_X86_64_RELATIVE64', 'dynamic'],
  // Intel MPX branches (withdrawn): calls through the PLT.
  [39, 'R_X86_64_PC32_BND', 'branch'],
  [40, 'R_X86_64_PLT32_BND', 'branch'],
  [41, 'R_X86_64_GOTPCRELX', 'got'],
  [42, 'R_X86_64_REX_GOTPCRELX', 'got'],
  // APX forms (psABI 2024): the same GOT, initial-exec and TLSDESC accesses with longer prefixes.
  [43, 'R_X86_64_CODE_4_GOTPCRELX', 'got'],
  [44, 'R_X86_64_CODE_4_GOTTPOFF', 'tls-initial-exec'],
  [45, 'R_X86_64_CODE_4_GOTPC32_TLSDESC', 'tls-dynamic'],
  [46, 'R_X86_64_CODE_5_GOTPCRELX', 'got'],
  [47, 'R_X86_64_CODE_5_GOTTPOFF', 'tls-initial-exec'],
  [48, 'R_X86_64_CODE_5_GOTPC32_TLSDESC', 'tls-dynamic'],
  [49, 'R_X86_64_CODE_6_GOTPCRELX', 'got'],
  [50, 'R_X86_64_CODE_6_GOTTPOFF', 'tls-initial-exec'],
  [51, 'R_X86_64_CODE_6_GOTPC32_TLSDESC', 'tls-dynamic'],
];
