/**
 * AArch64 (LP64) relocation types, from "ELF for the Arm 64-bit Architecture (AArch64)" (Arm
 * IHI 0056, §5.7 "Relocation": static data, group relocations for MOVW, PC-relative addresses,
 * control flow, GOT-relative, TLS, and the dynamic types). The ILP32 (ELFCLASS32) numbering is a
 * different table and is not covered. Names are the psABI's, spelt as binutils prints them where
 * the two differ (R_AARCH64_TLS_DTPMOD64 for the psABI's R_AARCH64_TLS_DTPMOD).
 *
 * Confirmed with GNU ld 2.40 (`aarch64-linux-gnu-gcc -shared`, test/pic): ADR_PREL_PG_HI21 and
 * ADR_PREL_LO21 against a preemptible symbol are refused ("which may bind externally can not be
 * used when making a shared object"), against local, hidden or protected ones accepted; the
 * *_ABS_LO12_NC partners of ADRP are never blamed (a page offset does not move); ABS64 in .text
 * (-mcmodel=large -fno-pic literal pools) makes a DT_TEXTREL without any warning; TLSLE_*
 * against an undefined symbol is refused, but against a symbol the object defines it is
 * accepted silently and the library computes its TLS address as if it were the executable's
 * (no dynamic relocation, no DF_STATIC_TLS): wrong at run time, so the audit fails it anyway.
 */
import { type RelocEntry } from './kinds.js';

export const AARCH64_RELOCATIONS: readonly RelocEntry[] = [
  [0, 'R_AARCH64_NONE', 'none'],
  // 256 is the old (withdrawn) R_AARCH64_NONE; binutils calls it R_AARCH64_NULL.
  [256, 'R_AARCH64_NULL', 'none'],
  // Static data.
  [257, 'R_AARCH64_ABS64', 'absolute'],
  [258, 'R_AARCH64_ABS32', 'absolute-part'],
  [259, 'R_AARCH64_ABS16', 'absolute-part'],
  [260, 'R_AARCH64_PREL64', 'pc-relative'],
  [261, 'R_AARCH64_PREL32', 'pc-relative'],
  [262, 'R_AARCH64_PREL16', 'pc-relative'],
  // MOVW with absolute values: an address built 16 bits at a time.
  [263, 'R_AARCH64_MOVW_UABS_G0', 'absolute-part'],
  [264, 'R_AARCH64_MOVW_UABS_G0_NC', 'absolute-part'],
  [265, 'R_AARCH64_MOVW_UABS_G1', 'absolute-part'],
  [266, 'R_AARCH64_MOVW_UABS_G1_NC', 'absolute-part'],
  [267, 'R_AARCH64_MOVW_UABS_G2', 'absolute-part'],
  [268, 'R_AARCH64_MOVW_UABS_G2_NC', 'absolute-part'],
  [269, 'R_AARCH64_MOVW_UABS_G3', 'absolute-part'],
  [270, 'R_AARCH64_MOVW_SABS_G0', 'absolute-part'],
  [271, 'R_AARCH64_MOVW_SABS_G1', 'absolute-part'],
  [272, 'R_AARCH64_MOVW_SABS_G2', 'absolute-part'],
  // PC-relative addresses.
  [273, 'R_AARCH64_LD_PREL_LO19', 'pc-relative'],
  [274, 'R_AARCH64_ADR_PREL_LO21', 'pc-relative'],
  [275, 'R_AARCH64_ADR_PREL_PG_HI21', 'pc-relative'],
  [276, 'R_AARCH64_ADR_PREL_PG_HI21_NC', 'pc-relative'],
  [277, 'R_AARCH64_ADD_ABS_LO12_NC', 'page-offset'],
  [278, 'R_AARCH64_LDST8_ABS_LO12_NC', 'page-offset'],
  // Control flow.
  [279, 'R_AARCH64_TSTBR14', 'branch'],
  [280, 'R_AARCH64_CONDBR19', 'branch'],
  [282, 'R_AARCH64_JUMP26', 'branch'],
  [283, 'R_AARCH64_CALL26', 'branch'],
  [284, 'R_AARCH64_LDST16_ABS_LO12_NC', 'page-offset'],
  [285, 'R_AARCH64_LDST32_ABS_LO12_NC', 'page-offset'],
  [286, 'R_AARCH64_LDST64_ABS_LO12_NC', 'page-offset'],
  // MOVW with PC-relative values.
  [287, 'R_AARCH64_MOVW_PREL_G0', 'pc-relative'],
  [288, 'R_AARCH64_MOVW_PREL_G0_NC', 'pc-relative'],
  [289, 'R_AARCH64_MOVW_PREL_G1', 'pc-relative'],
  [290, 'R_AARCH64_MOVW_PREL_G1_NC', 'pc-relative'],
  [291, 'R_AARCH64_MOVW_PREL_G2', 'pc-relative'],
  [292, 'R_AARCH64_MOVW_PREL_G2_NC', 'pc-relative'],
  [293, 'R_AARCH64_MOVW_PREL_G3', 'pc-relative'],
  [299, 'R_AARCH64_LDST128_ABS_LO12_NC', 'page-offset'],
  // GOT-relative.
  [300, 'R_AARCH64_MOVW_GOTOFF_G0', 'got'],
  [301, 'R_AARCH64_MOVW_GOTOFF_G0_NC', 'got'],
  [302, 'R_AARCH64_MOVW_GOTOFF_G1', 'got'],
  [303, 'R_AARCH64_MOVW_GOTOFF_G1_NC', 'got'],
  [304, 'R_AARCH64_MOVW_GOTOFF_G2', 'got'],
  [305, 'R_AARCH64_MOVW_GOTOFF_G2_NC', 'got'],
  [306, 'R_AARCH64_MOVW_GOTOFF_G3', 'got'],
  [307, 'R_AARCH64_GOTREL64', 'got'],
  [308, 'R_AARCH64_GOTREL32', 'got'],
  [309, 'R_AARCH64_GOT_LD_PREL19', 'got'],
  [310, 'R_AARCH64_LD64_GOTOFF_LO15', 'got'],
  [311, 'R_AARCH64_ADR_GOT_PAGE', 'got'],
  [312, 'R_AARCH64_LD64_GOT_LO12_NC', 'got'],
  [313, 'R_AARCH64_LD64_GOTPAGE_LO15', 'got'],
  [314, 'R_AARCH64_PLT32', 'branch'],
  [315, 'R_AARCH64_GOTPCREL32', 'got'],
  // TLS general dynamic and local dynamic.
  [512, 'R_AARCH64_TLSGD_ADR_PREL21', 'tls-dynamic'],
  [513, 'R_AARCH64_TLSGD_ADR_PAGE21', 'tls-dynamic'],
  [514, 'R_AARCH64_TLSGD_ADD_LO12_NC', 'tls-dynamic'],
  [515, 'R_AARCH64_TLSGD_MOVW_G1', 'tls-dynamic'],
  [516, 'R_AARCH64_TLSGD_MOVW_G0_NC', 'tls-dynamic'],
  [517, 'R_AARCH64_TLSLD_ADR_PREL21', 'tls-dynamic'],
  [518, 'R_AARCH64_TLSLD_ADR_PAGE21', 'tls-dynamic'],
  [519, 'R_AARCH64_TLSLD_ADD_LO12_NC', 'tls-dynamic'],
  [520, 'R_AARCH64_TLSLD_MOVW_G1', 'tls-dynamic'],
  [521, 'R_AARCH64_TLSLD_MOVW_G0_NC', 'tls-dynamic'],
  [522, 'R_AARCH64_TLSLD_LD_PREL19', 'tls-dynamic'],
  [523, 'R_AARCH64_TLSLD_MOVW_DTPREL_G2', 'tls-dynamic'],
  [524, 'R_AARCH64_TLSLD_MOVW_DTPREL_G1', 'tls-dynamic'],
  [525, 'R_AARCH64_TLSLD_MOVW_DTPREL_G1_NC', 'tls-dynamic'],
  [526, 'R_AARCH64_TLSLD_MOVW_DTPREL_G0', 'tls-dynamic'],
  [527, 'R_AARCH64_TLSLD_MOVW_DTPREL_G0_NC', 'tls-dynamic'],
  [528, 'R_AARCH64_TLSLD_ADD_DTPREL_HI12', 'tls-dynamic'],
  [529, 'R_AARCH64_TLSLD_ADD_DTPREL_LO12', 'tls-dynamic'],
  [530, 'R_AARCH64_TLSLD_ADD_DTPREL_LO12_NC', 'tls-dynamic'],
  [531, 'R_AARCH64_TLSLD_LDST8_DTPREL_LO12', 'tls-dynamic'],
  [532, 'R_AARCH64_TLSLD_LDST8_DTPREL_LO12_NC', 'tls-dynamic'],
  [533, 'R_AARCH64_TLSLD_LDST16_DTPREL_LO12', 'tls-dynamic'],
  [534, 'R_AARCH64_TLSLD_LDST16_DTPREL_LO12_NC', 'tls-dynamic'],
  [535, 'R_AARCH64_TLSLD_LDST32_DTPREL_LO12', 'tls-dynamic'],
  [536, 'R_AARCH64_TLSLD_LDST32_DTPREL_LO12_NC', 'tls-dynamic'],
  [537, 'R_AARCH64_TLSLD_LDST64_DTPREL_LO12', 'tls-dynamic'],
  [538, 'R_AARCH64_TLSLD_LDST64_DTPREL_LO12_NC', 'tls-dynamic'],
  // TLS initial exec.
  [539, 'R_AARCH64_TLSIE_MOVW_GOTTPREL_G1', 'tls-initial-exec'],
  [540, 'R_AARCH64_TLSIE_MOVW_GOTTPREL_G0_NC', 'tls-initial-exec'],
  [541, 'R_AARCH64_TLSIE_ADR_GOTTPREL_PAGE21', 'tls-initial-exec'],
  [542, 'R_AARCH64_TLSIE_LD64_GOTTPREL_LO12_NC', 'tls-initial-exec'],
  [543, 'R_AARCH64_TLSIE_LD_GOTTPREL_PREL19', 'tls-initial-exec'],
  // TLS local exec.
  [544, 'R_AARCH64_TLSLE_MOVW_TPREL_G2', 'tls-local-exec'],
  [545, 'R_AARCH64_TLSLE_MOVW_TPREL_G1', 'tls-local-exec'],
  [546, 'R_AARCH64_TLSLE_MOVW_TPREL_G1_NC', 'tls-local-exec'],
  [547, 'R_AARCH64_TLSLE_MOVW_TPREL_G0', 'tls-local-exec'],
  [548, 'R_AARCH64_TLSLE_MOVW_TPREL_G0_NC', 'tls-local-exec'],
  [549, 'R_AARCH64_TLSLE_ADD_TPREL_HI12', 'tls-local-exec'],
  [550, 'R_AARCH64_TLSLE_ADD_TPREL_LO12', 'tls-local-exec'],
  [551, 'R_AARCH64_TLSLE_ADD_TPREL_LO12_NC', 'tls-local-exec'],
  [552, 'R_AARCH64_TLSLE_LDST8_TPREL_LO12', 'tls-local-exec'],
  [553, 'R_AARCH64_TLSLE_LDST8_TPREL_LO12_NC', 'tls-local-exec'],
  [554, 'R_AARCH64_TLSLE_LDST16_TPREL_LO12', 'tls-local-exec'],
  [555, 'R_AARCH64_TLSLE_LDST16_TPREL_LO12_NC', 'tls-local-exec'],
  [556, 'R_AARCH64_TLSLE_LDST32_TPREL_LO12', 'tls-local-exec'],
  [557, 'R_AARCH64_TLSLE_LDST32_TPREL_LO12_NC', 'tls-local-exec'],
  [558, 'R_AARCH64_TLSLE_LDST64_TPREL_LO12', 'tls-local-exec'],
  [559, 'R_AARCH64_TLSLE_LDST64_TPREL_LO12_NC', 'tls-local-exec'],
  // TLS descriptors.
  [560, 'R_AARCH64_TLSDESC_LD_PREL19', 'tls-dynamic'],
  [561, 'R_AARCH64_TLSDESC_ADR_PREL21', 'tls-dynamic'],
  [562, 'R_AARCH64_TLSDESC_ADR_PAGE21', 'tls-dynamic'],
  [563, 'R_AARCH64_TLSDESC_LD64_LO12', 'tls-dynamic'],
  [564, 'R_AARCH64_TLSDESC_ADD_LO12', 'tls-dynamic'],
  [565, 'R_AARCH64_TLSDESC_OFF_G1', 'tls-dynamic'],
  [566, 'R_AARCH64_TLSDESC_OFF_G0_NC', 'tls-dynamic'],
  [567, 'R_AARCH64_TLSDESC_LDR', 'none'],
  [568, 'R_AARCH64_TLSDESC_ADD', 'none'],
  [569, 'R_AARCH64_TLSDESC_CALL', 'none'],
  [570, 'R_AARCH64_TLSLE_LDST128_TPREL_LO12', 'tls-local-exec'],
  [571, 'R_AARCH64_TLSLE_LDST128_TPREL_LO12_NC', 'tls-local-exec'],
  [572, 'R_AARCH64_TLSLD_LDST128_DTPREL_LO12', 'tls-dynamic'],
  [573, 'R_AARCH64_TLSLD_LDST128_DTPREL_LO12_NC', 'tls-dynamic'],
  // Dynamic.
  [1024, 'R_AARCH64_COPY', 'dynamic'],
  [1025, 'R_AARCH64_GLOB_DAT', 'dynamic'],
  [1026, 'R_AARCH64_JUMP_SLOT', 'dynamic'],
  [1027, 'R_AARCH64_RELATIVE', 'dynamic'],
  [1028, 'R_AARCH64_TLS_DTPMOD64', 'dynamic'],
  [1029, 'R_AARCH64_TLS_DTPREL64', 'dynamic'],
  [1030, 'R_AARCH64_TLS_TPREL64', 'dynamic'],
  [1031, 'R_AARCH64_TLSDESC', 'dynamic'],
  [1032, 'R_AARCH64_IRELATIVE', 'dynamic'],
];
