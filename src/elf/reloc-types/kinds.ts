/**
 * What a relocation type means for an object that is to be linked into a shared object. Each
 * architecture module lists its types (number, psABI name, kind) from its psABI document; the
 * kinds are the questions a linker asks when it builds a shared object:
 *
 *  - `none`: changes nothing that depends on the load address: R_*_NONE, relaxation and TLS
 *    sequence markers, label differences (RISC-V ADD/SUB/SET), vtable markers.
 *  - `got`: goes through the GOT or PLT, or is relative to the GOT: the position-independent
 *    idioms (-fPIC). Allowed.
 *  - `branch`: a PC-relative call or jump. A PLT stub reaches any target, so allowed.
 *  - `pc-relative`: a PC-relative data address. Allowed when the symbol binds inside the shared
 *    object (local, hidden, protected); against a symbol another module may preempt (global,
 *    default visibility) the linker cannot resolve it: what -fPIE and -fno-pic code does.
 *  - `page-offset`: the low bits of an address that a page-aligned load leaves unchanged
 *    (AArch64 *_LO12 after ADRP, RISC-V PCREL_LO12 naming its AUIPC). Judged through the high
 *    part it pairs with, which carries the other kinds.
 *  - `absolute`: a full pointer-sized absolute address. In a writable section it becomes a
 *    dynamic relocation; in a read-only one (code, .rodata) a text relocation (DT_TEXTREL).
 *  - `absolute-part`: an absolute address narrower than a pointer or split across instruction
 *    fields (R_X86_64_32S, HI16/LO16, MOVW/MOVT, HI20/LO12): no dynamic relocation can express
 *    it, the linker refuses ("can not be used when making a shared object").
 *  - `tls-dynamic`: general/local-dynamic TLS, TLS descriptors, module offsets. Allowed.
 *  - `tls-initial-exec`: initial-exec TLS through the GOT. Allowed (the library then needs
 *    static TLS, DF_STATIC_TLS).
 *  - `tls-local-exec`: an offset from the thread pointer fixed at link time: valid only in the
 *    executable, whose TLS block comes first.
 *  - `tls-local-exec-word`: the same offset as a full word of data, which the dynamic linker
 *    can supply at load time (s390 ld turns R_390_TLS_LE64 into a dynamic R_390_TLS_TPOFF):
 *    fine in a writable section, a text relocation in a read-only one.
 *  - `dynamic`: types the linker writes into linked files (COPY, GLOB_DAT, JUMP_SLOT,
 *    RELATIVE...). They do not belong in an object; seen there, they decide nothing.
 *  - `uncertain`: defined by the psABI but obsolete or rare, and how the linker treats them in
 *    a shared object has not been confirmed here: counted, never a failure.
 */
export type RelocKind =
  | 'none'
  | 'got'
  | 'branch'
  | 'pc-relative'
  | 'page-offset'
  | 'absolute'
  | 'absolute-part'
  | 'tls-dynamic'
  | 'tls-initial-exec'
  | 'tls-local-exec'
  | 'tls-local-exec-word'
  | 'dynamic'
  | 'uncertain';

/**
 * An entry of an architecture's list: type number, psABI name, kind. The kind may depend on
 * the ELF class: `[kindIn64BitFiles, kindIn32BitFiles]` (R_X86_64_32 is a whole pointer in x32,
 * R_RISCV_32 in RV32).
 */
export type RelocEntry = readonly [type: number, name: string, kind: RelocKind | readonly [RelocKind, RelocKind]];

/** How an architecture's linker treats what the kinds alone do not settle. */
export interface RelocRules {
  /**
   * A PC-relative relocation against a preemptible symbol in a writable section: true when the
   * dynamic linker has a run-time PC-relative relocation for it (x86-64 has R_X86_64_PC32/PC64
   * dynamic relocations, and ld emits them). False or absent: not confirmed, so uncertain.
   */
  readonly pcRelativeInWritableData?: boolean;
  /**
   * Symbols that stand for the GOT pointer: any relocation against them computes a
   * GOT-relative value (MIPS `_gp_disp`, which HI16/LO16 name in every PIC function prologue).
   */
  readonly gotBaseSymbols?: ReadonlySet<string>;
}

/** One architecture's relocation types, indexed by type number for per-relocation lookups. */
export interface RelocTable {
  /** e_machine this table is for. */
  readonly machine: number;
  /** Type name prefix (`R_X86_64_`), for types missing from the table. */
  readonly prefix: string;
  readonly rules: RelocRules;
  /** Kind of type `t`, or undefined when the type is not in the table. */
  kind(t: number): RelocKind | undefined;
  /** psABI name of type `t`, or undefined. */
  name(t: number): string | undefined;
}

/** Builds the lookup arrays of one architecture for one ELF class (types are small: AArch64's reach 1032). */
export function buildTable(machine: number, prefix: string, entries: readonly RelocEntry[], is64: boolean, rules: RelocRules = {}): RelocTable {
  let max = 0;
  for (const [t] of entries) if (t > max) max = t;
  const kinds: (RelocKind | undefined)[] = new Array<RelocKind | undefined>(max + 1).fill(undefined);
  const names: (string | undefined)[] = new Array<string | undefined>(max + 1).fill(undefined);
  for (const [t, name, k] of entries) {
    names[t] = name;
    kinds[t] = typeof k === 'string' ? k : is64 ? k[0] : k[1];
  }
  return {
    machine,
    prefix,
    rules,
    kind: (t) => (t >= 0 && t < kinds.length ? kinds[t] : undefined),
    name: (t) => (t >= 0 && t < names.length ? names[t] : undefined),
  };
}
