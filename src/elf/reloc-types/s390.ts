/**
 * s390 and s390x relocation types, from the "zSeries ELF Application Binary Interface
 * Supplement" (and its s390 31-bit counterpart), "Relocation Types", with the TLS types of the
 * TLS document and the later R_390_PC12DBL..PLT24DBL (execute-relative-long) additions. In the
 * 31-bit ABI R_390_32 is a whole pointer. Confirmed with GNU ld 2.40
 * (`s390x-linux-gnu-gcc -shared`, test/pic): -fno-pic code reaches globals with LARL
 * (R_390_PC32DBL), which ld turns into text relocations when the symbol may be preempted, and
 * keeps literal pools of R_390_64 addresses in .rodata (text relocations too); taking the
 * address of a function through its PLT entry (R_390_PLT32DBL) is fine.
 */
import { type RelocEntry } from './kinds.js';

export const S390_RELOCATIONS: readonly RelocEntry[] = [
  [0, 'R_390_NONE', 'none'],
  [1, 'R_390_8', 'absolute-part'],
  [2, 'R_390_12', 'absolute-part'],
  [3, 'R_390_16', 'absolute-part'],
  [4, 'R_390_32', ['absolute-part', 'absolute']],
  [5, 'R_390_PC32', 'pc-relative'],
  [6, 'R_390_GOT12', 'got'],
  [7, 'R_390_GOT32', 'got'],
  [8, 'R_390_PLT32', 'branch'],
  [9, 'R_390_COPY', 'dynamic'],
  [10, 'R_390_GLOB_DAT', 'dynamic'],
  [11, 'R_390_JMP_SLOT', 'dynamic'],
  [12, 'R_390_RELATIVE', 'dynamic'],
  [13, 'R_390_GOTOFF32', 'got'],
  [14, 'R_390_GOTPC', 'got'],
  [15, 'R_390_GOT16', 'got'],
  [16, 'R_390_PC16', 'pc-relative'],
  [17, 'R_390_PC16DBL', 'pc-relative'],
  [18, 'R_390_PLT16DBL', 'branch'],
  [19, 'R_390_PC32DBL', 'pc-relative'],
  [20, 'R_390_PLT32DBL', 'branch'],
  [21, 'R_390_GOTPCDBL', 'got'],
  [22, 'R_390_64', 'absolute'],
  [23, 'R_390_PC64', 'pc-relative'],
  [24, 'R_390_GOT64', 'got'],
  [25, 'R_390_PLT64', 'branch'],
  [26, 'R_390_GOTENT', 'got'],
  [27, 'R_390_GOTOFF16', 'got'],
  [28, 'R_390_GOTOFF64', 'got'],
  [29, 'R_390_GOTPLT12', 'got'],
  [30, 'R_390_GOTPLT16', 'got'],
  [31, 'R_390_GOTPLT32', 'got'],
  [32, 'R_390_GOTPLT64', 'got'],
  [33, 'R_390_GOTPLTENT', 'got'],
  [34, 'R_390_PLTOFF16', 'got'],
  [35, 'R_390_PLTOFF32', 'got'],
  [36, 'R_390_PLTOFF64', 'got'],
  [37, 'R_390_TLS_LOAD', 'none'],
  [38, 'R_390_TLS_GDCALL', 'none'],
  [39, 'R_390_TLS_LDCALL', 'none'],
  [40, 'R_390_TLS_GD32', 'tls-dynamic'],
  [41, 'R_390_TLS_GD64', 'tls-dynamic'],
  [42, 'R_390_TLS_GOTIE12', 'tls-initial-exec'],
  [43, 'R_390_TLS_GOTIE32', 'tls-initial-exec'],
  [44, 'R_390_TLS_GOTIE64', 'tls-initial-exec'],
  [45, 'R_390_TLS_LDM32', 'tls-dynamic'],
  [46, 'R_390_TLS_LDM64', 'tls-dynamic'],
  // Non-PIC initial-exec: the absolute address of the GOT slot, in a literal pool.
  [47, 'R_390_TLS_IE32', ['absolute-part', 'absolute']],
  [48, 'R_390_TLS_IE64', 'absolute'],
  [49, 'R_390_TLS_IEENT', 'tls-initial-exec'],
  // Local-exec offsets live in literal pools: ld makes them dynamic R_390_TLS_TPOFF relocations
  // (in .data.rel.ro with -fPIE, fine) or text relocations (in .rodata with -fno-pic).
  [50, 'R_390_TLS_LE32', ['tls-local-exec', 'tls-local-exec-word']],
  [51, 'R_390_TLS_LE64', 'tls-local-exec-word'],
  [52, 'R_390_TLS_LDO32', 'tls-dynamic'],
  [53, 'R_390_TLS_LDO64', 'tls-dynamic'],
  [54, 'R_390_TLS_DTPMOD', 'dynamic'],
  [55, 'R_390_TLS_DTPOFF', 'dynamic'],
  [56, 'R_390_TLS_TPOFF', 'dynamic'],
  [57, 'R_390_20', 'absolute-part'],
  [58, 'R_390_GOT20', 'got'],
  [59, 'R_390_GOTPLT20', 'got'],
  [60, 'R_390_TLS_GOTIE20', 'tls-initial-exec'],
  [61, 'R_390_IRELATIVE', 'dynamic'],
  [62, 'R_390_PC12DBL', 'branch'],
  [63, 'R_390_PLT12DBL', 'branch'],
  [64, 'R_390_PC24DBL', 'branch'],
  [65, 'R_390_PLT24DBL', 'branch'],
];
