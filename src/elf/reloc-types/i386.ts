/**
 * i386 relocation types, from the System V i386 psABI (Intel386 supplement, "Relocation
 * Types"), the TLS document (Drepper, "ELF Handling For Thread-Local Storage", including the
 * Sun-defined *_32 forms) and the TLSDESC proposal.
 *
 * Confirmed with GNU ld 2.40 (`i686-linux-gnu-gcc -shared`, test/pic): i386 ld refuses almost
 * nothing; non-PIC code links with "warning: creating DT_TEXTREL in a shared object", because it
 * turns each position-dependent word in code into a dynamic relocation there: R_386_32 (global
 * and string addresses, switch tables), R_386_PC32 against a preemptible symbol (a direct
 * `call` to a global function from -fno-pic or -fPIE code), R_386_TLS_LE (local-exec, a dynamic
 * R_386_TLS_TPOFF) and R_386_TLS_IE (the absolute address of a GOT slot, non-PIC initial-exec).
 * The audit reports them as failures: the library would have text relocations.
 */
import { type RelocEntry, type RelocRules } from './kinds.js';

export const I386_RULES: RelocRules = { pcRelativeInWritableData: true };

export const I386_RELOCATIONS: readonly RelocEntry[] = [
  [0, 'R_386_NONE', 'none'],
  [1, 'R_386_32', 'absolute'],
  [2, 'R_386_PC32', 'pc-relative'],
  [3, 'R_386_GOT32', 'got'],
  [4, 'R_386_PLT32', 'branch'],
  [5, 'R_386_COPY', 'dynamic'],
  [6, 'R_386_GLOB_DAT', 'dynamic'],
  [7, 'R_386_JUMP_SLOT', 'dynamic'],
  [8, 'R_386_RELATIVE', 'dynamic'],
  [9, 'R_386_GOTOFF', 'got'],
  [10, 'R_386_GOTPC', 'got'],
  // The absolute address of a PLT entry (Sun): obsolete.
  [11, 'R_386_32PLT', 'uncertain'],
  [14, 'R_386_TLS_TPOFF', 'dynamic'],
  // Non-PIC initial-exec: the absolute address of the GOT slot, written into code.
  [15, 'R_386_TLS_IE', 'absolute'],
  [16, 'R_386_TLS_GOTIE', 'tls-initial-exec'],
  [17, 'R_386_TLS_LE', 'tls-local-exec'],
  [18, 'R_386_TLS_GD', 'tls-dynamic'],
  [19, 'R_386_TLS_LDM', 'tls-dynamic'],
  [20, 'R_386_16', 'absolute-part'],
  [21, 'R_386_PC16', 'pc-relative'],
  [22, 'R_386_8', 'absolute-part'],
  [23, 'R_386_PC8', 'pc-relative'],
  [24, 'R_386_TLS_GD_32', 'tls-dynamic'],
  [25, 'R_386_TLS_GD_PUSH', 'tls-dynamic'],
  [26, 'R_386_TLS_GD_CALL', 'none'],
  [27, 'R_386_TLS_GD_POP', 'none'],
  [28, 'R_386_TLS_LDM_32', 'tls-dynamic'],
  [29, 'R_386_TLS_LDM_PUSH', 'tls-dynamic'],
  [30, 'R_386_TLS_LDM_CALL', 'none'],
  [31, 'R_386_TLS_LDM_POP', 'none'],
  [32, 'R_386_TLS_LDO_32', 'tls-dynamic'],
  [33, 'R_386_TLS_IE_32', 'tls-initial-exec'],
  [34, 'R_386_TLS_LE_32', 'tls-local-exec'],
  [35, 'R_386_TLS_DTPMOD32', 'dynamic'],
  [36, 'R_386_TLS_DTPOFF32', 'dynamic'],
  [37, 'R_386_TLS_TPOFF32', 'dynamic'],
  [38, 'R_386_SIZE32', 'uncertain'],
  [39, 'R_386_TLS_GOTDESC', 'tls-dynamic'],
  [40, 'R_386_TLS_DESC_CALL', 'none'],
  [41, 'R_386_TLS_DESC', 'dynamic'],
  [42, 'R_386_IRELATIVE', 'dynamic'],
  [43, 'R_386_GOT32X', 'got'],
];
