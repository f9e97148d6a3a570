/**
 * The analysed file as every check sees it: the ELF reader plus facts derived from it (kind,
 * symbols, toolchain, recorded compile flags), each computed the first time a check asks and
 * then kept. A check that needs only program headers never causes symbols, debug info or code
 * to be read.
 */
import { type DynamicInfo, type ElfFile, EM } from '../elf/index.js';
import { classifyElf, type KindFacts } from './facts/kind.js';
import { DEFAULT_RECORDED_FLAGS_OPTIONS, readRecordedFlags, type RecordedFlags, type RecordedFlagsOptions } from './facts/recorded-flags.js';
import { collectSymbols, type SymbolFacts } from './facts/symbols.js';
import { Toolchain } from './facts/toolchain.js';
import { type FileKind } from '../scan/result.js';
import { errorMessage } from './verdict.js';

export interface ContextOptions {
  readonly recordedFlags?: RecordedFlagsOptions;
}

export class CheckContext {
  private kindFacts?: KindFacts;
  private symbolFacts?: SymbolFacts;
  private toolchainFacts?: Toolchain;
  private recordedFlags?: RecordedFlags;
  private dynamicInfo?: { value: DynamicInfo | undefined; error?: string };

  constructor(
    readonly elf: ElfFile,
    readonly options: ContextOptions = {},
  ) {}

  /** e_machine. */
  get machine(): number {
    return this.elf.header.machine;
  }

  get machineName(): string {
    return this.elf.machineName;
  }

  get isX86(): boolean {
    return this.machine === EM.X86_64 || this.machine === EM['386'] || this.machine === EM.IAMCU;
  }

  get isAarch64(): boolean {
    return this.machine === EM.AARCH64;
  }

  get kindInfo(): KindFacts {
    if (this.kindFacts === undefined) this.kindFacts = classifyElf(this.elf);
    return this.kindFacts;
  }

  get kind(): FileKind {
    return this.kindInfo.kind;
  }

  /**
   * The dynamic section, or undefined when there is none; a corrupt one is also undefined,
   * with the reason in `dynamicError` (checks that need it say unknown).
   */
  get dynamic(): DynamicInfo | undefined {
    if (this.dynamicInfo === undefined) {
      try {
        this.dynamicInfo = { value: this.elf.dynamic };
      } catch (e) {
        this.dynamicInfo = { value: undefined, error: errorMessage(e) };
      }
    }
    return this.dynamicInfo.value;
  }

  get dynamicError(): string | undefined {
    void this.dynamic;
    return this.dynamicInfo?.error;
  }

  get symbols(): SymbolFacts {
    if (this.symbolFacts === undefined) this.symbolFacts = collectSymbols(this.elf);
    return this.symbolFacts;
  }

  get toolchain(): Toolchain {
    if (this.toolchainFacts === undefined) {
      this.toolchainFacts = new Toolchain(this.elf, () => this.symbols, this.kindInfo.interpreter, () => this.dynamic?.needed ?? []);
    }
    return this.toolchainFacts;
  }

  get isGo(): boolean {
    return this.toolchain.go !== undefined;
  }

  get isRust(): boolean {
    return this.toolchain.rust !== undefined;
  }

  get recorded(): RecordedFlags {
    if (this.recordedFlags === undefined) this.recordedFlags = readRecordedFlags(this.elf, this.options.recordedFlags ?? DEFAULT_RECORDED_FLAGS_OPTIONS);
    return this.recordedFlags;
  }
}
