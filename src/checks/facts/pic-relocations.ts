/**
 * Which relocation types in a relocatable object keep it out of a shared library, per
 * architecture, from the psABI documents (x86-64 psABI §4.4, i386 psABI, ELF for the Arm 64-bit
 * Architecture §5.7). Three classes:
 *  - `absolute`: an absolute address or TLS local-exec offset the loader cannot (or, in code,
 *    should not) fix up: the object was compiled without -fPIC/-fPIE;
 *  - `absolute-in-code`: a full-width absolute address, fine in data (it becomes a dynamic
 *    relocation) but a text relocation in code;
 *  - `pc-relative-global`: a PC-relative reference to a symbol that may bind outside the library
 *    (global, default visibility): what -fPIE code does for globals it defines. Fine in a PIE, not
 *    in a shared library ("relocation R_X86_64_PC32 against symbol `x' can not be used when
 *    making a shared object; recompile with -fPIC").
 * Types that only position-independent code uses (GOT, PLT, general-dynamic TLS) are listed
 * too, so evidence can name what a PIC object does use.
 */
import { EM } from '../../elf/index.js';

export type RelocationClass = 'absolute' | 'absolute-in-code' | 'pc-relative-global' | 'pic';

export interface RelocationTable {
  readonly names: ReadonlyMap<number, string>;
  readonly classes: ReadonlyMap<number, RelocationClass>;
  /**
   * gcc's -fPIE reaches extern data PC-relatively here too, counting on copy relocations
   * (x86-64 since gcc 5), so a PC-relative reference to an undefined symbol does not tell
   * -fno-pic from -fPIE; elsewhere -fPIE goes through the GOT and only -fno-pic does that.
   */
  readonly pieCopyRelocations: boolean;
}

function table(entries: readonly (readonly [number, string, RelocationClass?])[], pieCopyRelocations = false): RelocationTable {
  const names = new Map<number, string>();
  const classes = new Map<number, RelocationClass>();
  for (const [t, n, c] of entries) {
    names.set(t, n);
    if (c !== undefined) classes.set(t, c);
  }
  return { names, classes, pieCopyRelocations };
}

const X86_64 = table([
  [1, 'R_X86_64_64', 'absolute-in-code'],
  [2, 'R_X86_64_PC32', 'pc-relative-global'],
  [4, 'R_X86_64_PLT32', 'pic'],
  [9, 'R_X86_64_GOTPCREL', 'pic'],
  [10, 'R_X86_64_32', 'absolute'],
  [11, 'R_X86_64_32S', 'absolute'],
  [12, 'R_X86_64_16', 'absolute'],
  [14, 'R_X86_64_8', 'absolute'],
  [19, 'R_X86_64_TLSGD', 'pic'],
  [20, 'R_X86_64_TLSLD', 'pic'],
  [22, 'R_X86_64_GOTTPOFF', 'pic'],
  [23, 'R_X86_64_TPOFF32', 'absolute'],
  [24, 'R_X86_64_PC64', 'pc-relative-global'],
  [25, 'R_X86_64_GOTOFF64', 'pic'],
  [26, 'R_X86_64_GOTPC32', 'pic'],
  [41, 'R_X86_64_GOTPCRELX', 'pic'],
  [42, 'R_X86_64_REX_GOTPCRELX', 'pic'],
], true);

const I386 = table([
  [1, 'R_386_32', 'absolute-in-code'],
  [2, 'R_386_PC32', 'pc-relative-global'],
  [3, 'R_386_GOT32', 'pic'],
  [4, 'R_386_PLT32', 'pic'],
  [9, 'R_386_GOTOFF', 'pic'],
  [10, 'R_386_GOTPC', 'pic'],
  [15, 'R_386_TLS_IE', 'absolute'],
  [16, 'R_386_TLS_GOTIE', 'pic'],
  [17, 'R_386_TLS_LE', 'absolute'],
  [18, 'R_386_TLS_GD', 'pic'],
  [19, 'R_386_TLS_LDM', 'pic'],
  [37, 'R_386_TLS_LE_32', 'absolute'],
  [43, 'R_386_GOT32X', 'pic'],
]);

const AARCH64_ENTRIES: [number, string, RelocationClass?][] = [
  [257, 'R_AARCH64_ABS64', 'absolute-in-code'],
  [258, 'R_AARCH64_ABS32', 'absolute'],
  [259, 'R_AARCH64_ABS16', 'absolute'],
  [263, 'R_AARCH64_MOVW_UABS_G0', 'absolute'],
  [264, 'R_AARCH64_MOVW_UABS_G0_NC', 'absolute'],
  [265, 'R_AARCH64_MOVW_UABS_G1', 'absolute'],
  [266, 'R_AARCH64_MOVW_UABS_G1_NC', 'absolute'],
  [267, 'R_AARCH64_MOVW_UABS_G2', 'absolute'],
  [268, 'R_AARCH64_MOVW_UABS_G2_NC', 'absolute'],
  [269, 'R_AARCH64_MOVW_UABS_G3', 'absolute'],
  [273, 'R_AARCH64_LD_PREL_LO19', 'pc-relative-global'],
  [274, 'R_AARCH64_ADR_PREL_LO21', 'pc-relative-global'],
  [275, 'R_AARCH64_ADR_PREL_PG_HI21', 'pc-relative-global'],
  [276, 'R_AARCH64_ADR_PREL_PG_HI21_NC', 'pc-relative-global'],
  [277, 'R_AARCH64_ADD_ABS_LO12_NC', 'pc-relative-global'],
  [278, 'R_AARCH64_LDST8_ABS_LO12_NC', 'pc-relative-global'],
  [282, 'R_AARCH64_JUMP26', 'pic'],
  [283, 'R_AARCH64_CALL26', 'pic'],
  [284, 'R_AARCH64_LDST16_ABS_LO12_NC', 'pc-relative-global'],
  [285, 'R_AARCH64_LDST32_ABS_LO12_NC', 'pc-relative-global'],
  [286, 'R_AARCH64_LDST64_ABS_LO12_NC', 'pc-relative-global'],
  [299, 'R_AARCH64_LDST128_ABS_LO12_NC', 'pc-relative-global'],
  [311, 'R_AARCH64_ADR_GOT_PAGE', 'pic'],
  [312, 'R_AARCH64_LD64_GOT_LO12_NC', 'pic'],
  [512, 'R_AARCH64_TLSGD_ADR_PREL21', 'pic'],
  [513, 'R_AARCH64_TLSGD_ADR_PAGE21', 'pic'],
  [514, 'R_AARCH64_TLSGD_ADD_LO12_NC', 'pic'],
  [541, 'R_AARCH64_TLSIE_ADR_GOTTPREL_PAGE21', 'pic'],
  [542, 'R_AARCH64_TLSIE_LD64_GOTTPREL_LO12_NC', 'pic'],
  [560, 'R_AARCH64_TLSDESC_LD_PREL19', 'pic'],
  [561, 'R_AARCH64_TLSDESC_ADR_PREL21', 'pic'],
  [562, 'R_AARCH64_TLSDESC_ADR_PAGE21', 'pic'],
  [563, 'R_AARCH64_TLSDESC_LD64_LO12', 'pic'],
  [564, 'R_AARCH64_TLSDESC_ADD_LO12', 'pic'],
  [569, 'R_AARCH64_TLSDESC_CALL', 'pic'],
];
// Local-exec TLS (R_AARCH64_TLSLE_*, 544-559): only an executable may use it.
for (let t = 544; t <= 559; t++) AARCH64_ENTRIES.push([t, `R_AARCH64_TLSLE_${t}`, 'absolute']);
const AARCH64 = table(AARCH64_ENTRIES);

/** The table for a machine, or undefined when we have none. */
export function relocationTable(machine: number): RelocationTable | undefined {
  switch (machine) {
    case EM.X86_64:
      return X86_64;
    case EM['386']:
      return I386;
    case EM.AARCH64:
      return AARCH64;
    default:
      return undefined;
  }
}
