import { nameOf } from './names.js';

/** e_machine values (gABI and processor supplements); the common ones carry names. */
export const EM = Object.freeze({
  NONE: 0,
  M32: 1,
  SPARC: 2,
  '386': 3,
  '68K': 4,
  '88K': 5,
  IAMCU: 6,
  '860': 7,
  MIPS: 8,
  S370: 9,
  MIPS_RS3_LE: 10,
  PARISC: 15,
  SPARC32PLUS: 18,
  PPC: 20,
  PPC64: 21,
  S390: 22,
  ARM: 40,
  SH: 42,
  SPARCV9: 43,
  IA_64: 50,
  X86_64: 62,
  VAX: 75,
  AVR: 83,
  MSP430: 105,
  BLACKFIN: 106,
  ALTERA_NIOS2: 113,
  TILEGX: 191,
  AARCH64: 183,
  CUDA: 190,
  AMDGPU: 224,
  RISCV: 243,
  BPF: 247,
  CSKY: 252,
  LOONGARCH: 258,
  ALPHA: 0x9026,
});

/** Short machine names as used in evidence and JSON (`x86-64`, `aarch64`...). */
const SHORT: Readonly<Record<number, string>> = {
  [EM['386']]: 'i386',
  [EM.X86_64]: 'x86-64',
  [EM.AARCH64]: 'aarch64',
  [EM.ARM]: 'arm',
  [EM.PPC]: 'ppc',
  [EM.PPC64]: 'ppc64',
  [EM.S390]: 's390',
  [EM.MIPS]: 'mips',
  [EM.RISCV]: 'riscv',
  [EM.SPARC]: 'sparc',
  [EM.SPARCV9]: 'sparc64',
  [EM.IA_64]: 'ia64',
  [EM.PARISC]: 'hppa',
  [EM.ALPHA]: 'alpha',
  [EM.SH]: 'sh',
  [EM['68K']]: 'm68k',
  [EM.LOONGARCH]: 'loongarch',
  [EM.ALTERA_NIOS2]: 'nios2',
  [EM.BPF]: 'bpf',
  [EM.AMDGPU]: 'amdgpu',
  [EM.CUDA]: 'cuda',
  [EM.CSKY]: 'csky',
};

/** `EM_X86_64`-style name of a machine value. */
export function machineConstName(m: number): string {
  return nameOf(EM, m, 'EM_');
}

/**
 * Short architecture name with class and byte order folded in where they matter
 * (`riscv64`, `ppc64le`, `s390x`, `mipsel`), falling back to `EM_0x...` for unknown machines.
 */
export function machineName(m: number, is64: boolean, littleEndian: boolean): string {
  const base = SHORT[m];
  if (base === undefined) return machineConstName(m);
  switch (m) {
    case EM.PPC64:
      return littleEndian ? 'ppc64le' : 'ppc64';
    case EM.S390:
      return is64 ? 's390x' : 's390';
    case EM.MIPS:
      return (is64 ? 'mips64' : 'mips') + (littleEndian ? 'el' : '');
    case EM.RISCV:
      return is64 ? 'riscv64' : 'riscv32';
    case EM.LOONGARCH:
      return is64 ? 'loongarch64' : 'loongarch32';
    case EM.AARCH64:
      return littleEndian ? 'aarch64' : 'aarch64_be';
    case EM.ARM:
      return littleEndian ? 'arm' : 'armeb';
    default:
      return base;
  }
}

/** x86 in either class: the machines where CET (IBT/SHSTK) properties mean something. */
export function isX86(m: number): boolean {
  return m === EM.X86_64 || m === EM['386'] || m === EM.IAMCU;
}
