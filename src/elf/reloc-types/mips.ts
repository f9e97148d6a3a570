/**
 * MIPS relocation types, from the "System V ABI MIPS RISC Processor Supplement" (o32), the
 * "64-bit ELF Object File Specification" (n64: each entry carries up to three types, of which
 * the reader gives the first), the MIPS TLS document, and the MIPS16e / microMIPS and R6
 * (PC-relative) additions of the MIPS ABI as GNU tools implement it.
 *
 * PIC on MIPS (SVR4 "abicalls") reaches everything through the GOT with the global pointer:
 * GOT16/CALL16/GOT_DISP/GOT_PAGE..., GPREL32 switch tables, and `lui/addiu` of the magic
 * symbol `_gp_disp` (HI16/LO16 against it compute the GOT pointer PC-relatively). Non-PIC code
 * builds absolute addresses with HI16/LO16 (o32) or HIGHEST/HIGHER/HI16/LO16 (n64), calls with
 * R_MIPS_26, and -mabicalls -fno-pic code loads its GOT pointer from `__gnu_local_gp` (HI16
 * against it, refused in a shared object like any other absolute address). LO16 is not judged
 * alone: after GOT16 against a local symbol it is the offset in a GOT page (PIC), after HI16
 * the low half of an absolute address, and the HI16 carries the verdict.
 *
 * e_flags does not tell -fno-pic from -fPIC (gas marks -mabicalls objects EF_MIPS_PIC |
 * EF_MIPS_CPIC either way), but an object with neither flag was compiled -mno-abicalls, which
 * the Linux shared-object ABI does not support: ld warns "linking abicalls files with
 * non-abicalls files". Confirmed with GNU ld 2.40 (`mips-linux-gnu-gcc -shared`,
 * `mips64el-linux-gnuabi64-gcc -shared`, test/pic).
 */
import { type RelocEntry, type RelocRules } from './kinds.js';

/** e_flags bits (MIPS ABI supplement). */
export const EF_MIPS = Object.freeze({ NOREORDER: 0x1, PIC: 0x2, CPIC: 0x4 });

/** True when the object follows the SVR4 PIC calling convention (-mabicalls). */
export function mipsAbicalls(eFlags: number): boolean {
  return (eFlags & (EF_MIPS.PIC | EF_MIPS.CPIC)) !== 0;
}

export const MIPS_RULES: RelocRules = { gotBaseSymbols: new Set(['_gp_disp']) };

export const MIPS_RELOCATIONS: readonly RelocEntry[] = [
  [0, 'R_MIPS_NONE', 'none'],
  [1, 'R_MIPS_16', 'absolute-part'],
  [2, 'R_MIPS_32', ['absolute-part', 'absolute']],
  [3, 'R_MIPS_REL32', 'dynamic'],
  [4, 'R_MIPS_26', 'absolute-part'],
  [5, 'R_MIPS_HI16', 'absolute-part'],
  [6, 'R_MIPS_LO16', 'page-offset'],
  [7, 'R_MIPS_GPREL16', 'got'],
  [8, 'R_MIPS_LITERAL', 'got'],
  [9, 'R_MIPS_GOT16', 'got'],
  [10, 'R_MIPS_PC16', 'branch'],
  [11, 'R_MIPS_CALL16', 'got'],
  [12, 'R_MIPS_GPREL32', 'got'],
  [16, 'R_MIPS_SHIFT5', 'uncertain'],
  [17, 'R_MIPS_SHIFT6', 'uncertain'],
  [18, 'R_MIPS_64', ['absolute', 'uncertain']],
  [19, 'R_MIPS_GOT_DISP', 'got'],
  [20, 'R_MIPS_GOT_PAGE', 'got'],
  [21, 'R_MIPS_GOT_OFST', 'got'],
  [22, 'R_MIPS_GOT_HI16', 'got'],
  [23, 'R_MIPS_GOT_LO16', 'got'],
  // n64 composes %neg(%gp_rel(...)) from GPREL16, SUB and HI16/LO16 in one entry.
  [24, 'R_MIPS_SUB', 'none'],
  [25, 'R_MIPS_INSERT_A', 'uncertain'],
  [26, 'R_MIPS_INSERT_B', 'uncertain'],
  [27, 'R_MIPS_DELETE', 'uncertain'],
  [28, 'R_MIPS_HIGHER', 'absolute-part'],
  [29, 'R_MIPS_HIGHEST', 'absolute-part'],
  [30, 'R_MIPS_CALL_HI16', 'got'],
  [31, 'R_MIPS_CALL_LO16', 'got'],
  [32, 'R_MIPS_SCN_DISP', 'uncertain'],
  [33, 'R_MIPS_REL16', 'uncertain'],
  [34, 'R_MIPS_ADD_IMMEDIATE', 'uncertain'],
  [35, 'R_MIPS_PJUMP', 'uncertain'],
  [36, 'R_MIPS_RELGOT', 'uncertain'],
  // A hint that a jalr calls this symbol (the linker may turn it into a bal).
  [37, 'R_MIPS_JALR', 'none'],
  [38, 'R_MIPS_TLS_DTPMOD32', 'dynamic'],
  [39, 'R_MIPS_TLS_DTPREL32', 'tls-dynamic'],
  [40, 'R_MIPS_TLS_DTPMOD64', 'dynamic'],
  [41, 'R_MIPS_TLS_DTPREL64', 'tls-dynamic'],
  [42, 'R_MIPS_TLS_GD', 'tls-dynamic'],
  [43, 'R_MIPS_TLS_LDM', 'tls-dynamic'],
  [44, 'R_MIPS_TLS_DTPREL_HI16', 'tls-dynamic'],
  [45, 'R_MIPS_TLS_DTPREL_LO16', 'tls-dynamic'],
  [46, 'R_MIPS_TLS_GOTTPREL', 'tls-initial-exec'],
  [47, 'R_MIPS_TLS_TPREL32', 'dynamic'],
  [48, 'R_MIPS_TLS_TPREL64', 'dynamic'],
  [49, 'R_MIPS_TLS_TPREL_HI16', 'tls-local-exec'],
  [50, 'R_MIPS_TLS_TPREL_LO16', 'tls-local-exec'],
  [51, 'R_MIPS_GLOB_DAT', 'dynamic'],
  // Release 6 PC-relative forms.
  [60, 'R_MIPS_PC21_S2', 'branch'],
  [61, 'R_MIPS_PC26_S2', 'branch'],
  [62, 'R_MIPS_PC18_S3', 'pc-relative'],
  [63, 'R_MIPS_PC19_S2', 'pc-relative'],
  [64, 'R_MIPS_PCHI16', 'pc-relative'],
  [65, 'R_MIPS_PCLO16', 'page-offset'],
  // MIPS16e.
  [100, 'R_MIPS16_26', 'absolute-part'],
  [101, 'R_MIPS16_GPREL', 'got'],
  [102, 'R_MIPS16_GOT16', 'got'],
  [103, 'R_MIPS16_CALL16', 'got'],
  [104, 'R_MIPS16_HI16', 'absolute-part'],
  [105, 'R_MIPS16_LO16', 'page-offset'],
  [106, 'R_MIPS16_TLS_GD', 'tls-dynamic'],
  [107, 'R_MIPS16_TLS_LDM', 'tls-dynamic'],
  [108, 'R_MIPS16_TLS_DTPREL_HI16', 'tls-dynamic'],
  [109, 'R_MIPS16_TLS_DTPREL_LO16', 'tls-dynamic'],
  [110, 'R_MIPS16_TLS_GOTTPREL', 'tls-initial-exec'],
  [111, 'R_MIPS16_TLS_TPREL_HI16', 'tls-local-exec'],
  [112, 'R_MIPS16_TLS_TPREL_LO16', 'tls-local-exec'],
  [113, 'R_MIPS16_PC16_S1', 'branch'],
  [126, 'R_MIPS_COPY', 'dynamic'],
  [127, 'R_MIPS_JUMP_SLOT', 'dynamic'],
  // microMIPS.
  [133, 'R_MICROMIPS_26_S1', 'absolute-part'],
  [134, 'R_MICROMIPS_HI16', 'absolute-part'],
  [135, 'R_MICROMIPS_LO16', 'page-offset'],
  [136, 'R_MICROMIPS_GPREL16', 'got'],
  [137, 'R_MICROMIPS_LITERAL', 'got'],
  [138, 'R_MICROMIPS_GOT16', 'got'],
  [139, 'R_MICROMIPS_PC7_S1', 'branch'],
  [140, 'R_MICROMIPS_PC10_S1', 'branch'],
  [141, 'R_MICROMIPS_PC16_S1', 'branch'],
  [142, 'R_MICROMIPS_CALL16', 'got'],
  [145, 'R_MICROMIPS_GOT_DISP', 'got'],
  [146, 'R_MICROMIPS_GOT_PAGE', 'got'],
  [147, 'R_MICROMIPS_GOT_OFST', 'got'],
  [148, 'R_MICROMIPS_GOT_HI16', 'got'],
  [149, 'R_MICROMIPS_GOT_LO16', 'got'],
  [150, 'R_MICROMIPS_SUB', 'none'],
  [151, 'R_MICROMIPS_HIGHER', 'absolute-part'],
  [152, 'R_MICROMIPS_HIGHEST', 'absolute-part'],
  [153, 'R_MICROMIPS_CALL_HI16', 'got'],
  [154, 'R_MICROMIPS_CALL_LO16', 'got'],
  [155, 'R_MICROMIPS_SCN_DISP', 'uncertain'],
  [156, 'R_MICROMIPS_JALR', 'none'],
  [157, 'R_MICROMIPS_HI0_LO16', 'absolute-part'],
  [162, 'R_MICROMIPS_TLS_GD', 'tls-dynamic'],
  [163, 'R_MICROMIPS_TLS_LDM', 'tls-dynamic'],
  [164, 'R_MICROMIPS_TLS_DTPREL_HI16', 'tls-dynamic'],
  [165, 'R_MICROMIPS_TLS_DTPREL_LO16', 'tls-dynamic'],
  [166, 'R_MICROMIPS_TLS_GOTTPREL', 'tls-initial-exec'],
  [169, 'R_MICROMIPS_TLS_TPREL_HI16', 'tls-local-exec'],
  [170, 'R_MICROMIPS_TLS_TPREL_LO16', 'tls-local-exec'],
  [172, 'R_MICROMIPS_GPREL7_S2', 'got'],
  [173, 'R_MICROMIPS_PC23_S2', 'pc-relative'],
  [248, 'R_MIPS_PC32', 'pc-relative'],
  // Exception tables of PIC code: GP-relative.
  [249, 'R_MIPS_EH', 'got'],
  [250, 'R_MIPS_GNU_REL16_S2', 'branch'],
  [253, 'R_MIPS_GNU_VTINHERIT', 'none'],
  [254, 'R_MIPS_GNU_VTENTRY', 'none'],
];
