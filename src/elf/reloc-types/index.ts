/**
 * Relocation types per architecture: their psABI names (for evidence) and what each means for
 * an object that is to be linked into a shared object (`kinds.ts`). One module per
 * architecture, each built from its psABI document and confirmed against GNU ld in test/pic.
 */
import { EM } from '../machine.js';
import { AARCH64_RELOCATIONS } from './aarch64.js';
import { ARM_RELOCATIONS, ARM_RULES } from './arm.js';
import { I386_RELOCATIONS, I386_RULES } from './i386.js';
import { buildTable, type RelocEntry, type RelocRules, type RelocTable } from './kinds.js';
import { MIPS_RELOCATIONS, MIPS_RULES } from './mips.js';
import { PPC64_RELOCATIONS } from './ppc64.js';
import { RISCV_RELOCATIONS } from './riscv.js';
import { S390_RELOCATIONS } from './s390.js';
import { X86_64_RELOCATIONS, X86_64_RULES } from './x86-64.js';

export { type RelocEntry, type RelocKind, type RelocRules, type RelocTable } from './kinds.js';
export { EF_MIPS, mipsAbicalls } from './mips.js';

interface ArchList {
  readonly prefix: string;
  readonly entries: readonly RelocEntry[];
  readonly rules?: RelocRules;
  /** Classes the list describes (AArch64's ILP32 and 32-bit PowerPC number their types differently). */
  readonly classes: readonly ('32' | '64')[];
}

const LISTS: ReadonlyMap<number, ArchList> = new Map<number, ArchList>([
  [EM.X86_64, { prefix: 'R_X86_64_', entries: X86_64_RELOCATIONS, rules: X86_64_RULES, classes: ['32', '64'] }],
  [EM['386'], { prefix: 'R_386_', entries: I386_RELOCATIONS, rules: I386_RULES, classes: ['32'] }],
  [EM.AARCH64, { prefix: 'R_AARCH64_', entries: AARCH64_RELOCATIONS, classes: ['64'] }],
  [EM.ARM, { prefix: 'R_ARM_', entries: ARM_RELOCATIONS, rules: ARM_RULES, classes: ['32'] }],
  [EM.PPC64, { prefix: 'R_PPC64_', entries: PPC64_RELOCATIONS, classes: ['64'] }],
  [EM.S390, { prefix: 'R_390_', entries: S390_RELOCATIONS, classes: ['32', '64'] }],
  [EM.RISCV, { prefix: 'R_RISCV_', entries: RISCV_RELOCATIONS, classes: ['32', '64'] }],
  [EM.MIPS, { prefix: 'R_MIPS_', entries: MIPS_RELOCATIONS, rules: MIPS_RULES, classes: ['32', '64'] }],
]);

const built = new Map<string, RelocTable>();

/**
 * The relocation table of a machine and ELF class, or undefined when there is none here (the
 * audit then says unknown rather than guess).
 */
export function relocationTable(machine: number, is64: boolean): RelocTable | undefined {
  const list = LISTS.get(machine);
  if (list === undefined || !list.classes.includes(is64 ? '64' : '32')) return undefined;
  const key = `${machine}/${is64 ? 64 : 32}`;
  let t = built.get(key);
  if (t === undefined) {
    t = buildTable(machine, list.prefix, list.entries, is64, list.rules);
    built.set(key, t);
  }
  return t;
}

/**
 * The psABI name of relocation type `type` of `machine` (`R_X86_64_PC32`), for evidence; a type
 * missing from the table prints as the architecture's prefix and the number (`R_ARM_<0xf3>`),
 * a machine without a table as `relocation type 0xf3`.
 */
export function relocationTypeName(machine: number, type: number, is64 = true): string {
  const list = LISTS.get(machine);
  if (list === undefined) return `relocation type 0x${type.toString(16)}`;
  const t = relocationTable(machine, list.classes.includes(is64 ? '64' : '32') ? is64 : !is64);
  return t?.name(type) ?? `${list.prefix}<0x${type.toString(16)}>`;
}
