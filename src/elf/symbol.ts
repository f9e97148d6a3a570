import { f, type ElfDecoder, type Layout } from './decoder.js';
import { nameOf } from './names.js';
import { getString } from './strings.js';

/** Symbol types (low nibble of st_info). */
export const STT = Object.freeze({ NOTYPE: 0, OBJECT: 1, FUNC: 2, SECTION: 3, FILE: 4, COMMON: 5, TLS: 6, GNU_IFUNC: 10 });
/** Symbol bindings (high nibble of st_info). */
export const STB = Object.freeze({ LOCAL: 0, GLOBAL: 1, WEAK: 2, GNU_UNIQUE: 10 });
/** Symbol visibility (low 2 bits of st_other). */
export const STV = Object.freeze({ DEFAULT: 0, INTERNAL: 1, HIDDEN: 2, PROTECTED: 3 });

/** A symbol, with any version separated from its name. */
export interface Symbol {
  readonly index: number;
  /** Name without version (`memcpy`, not `memcpy@GLIBC_2.14`). */
  readonly name: string;
  /** Version name when known (`GLIBC_2.14`), from .gnu.version* or an `@` suffix in the name. */
  readonly version: string | undefined;
  /** True for a hidden (non-default, `@`) version; false for default (`@@`) or unversioned. */
  readonly versionHidden: boolean;
  readonly value: number;
  readonly size: number;
  readonly type: number;
  readonly bind: number;
  readonly visibility: number;
  readonly shndx: number;
}

export const SYM_LAYOUT: Layout<'name' | 'value' | 'size' | 'info' | 'other' | 'shndx'> = {
  size32: 16,
  size64: 24,
  fields: {
    name: f(0, 4, 0, 4),
    value: f(4, 4, 8, 8),
    size: f(8, 4, 16, 8),
    info: f(12, 1, 4, 1),
    other: f(13, 1, 5, 1),
    shndx: f(14, 2, 6, 2),
  },
};

/** Per-symbol version lookup: index → [version name, hidden]. */
export type VersionLookup = (symbolIndex: number) => { name: string; hidden: boolean } | undefined;

/**
 * One symbol whose name (and any version carried in it) is decoded on first use: a library
 * exports tens of thousands of long C++ names, and most questions (which functions are
 * imported?) look at a few of them.
 */
class LazySymbol implements Symbol {
  private decoded = false;
  private nameValue = '';
  private versionValue: string | undefined;
  private hiddenValue = false;

  constructor(
    readonly index: number,
    private readonly strtab: Uint8Array,
    private readonly nameOffset: number,
    private readonly versions: VersionLookup | undefined,
    readonly value: number,
    readonly size: number,
    readonly type: number,
    readonly bind: number,
    readonly visibility: number,
    readonly shndx: number,
  ) {}

  private decode(): void {
    this.decoded = true;
    const raw = getString(this.strtab, this.nameOffset) ?? '<corrupt>';
    // .symtab carries versions inside the name since binutils 2.35 (`puts@GLIBC_2.2.5`,
    // `foo@@V2`); split them off so every consumer sees the same bare name.
    const at = raw.indexOf('@');
    if (at > 0) {
      this.nameValue = raw.slice(0, at);
      this.hiddenValue = raw[at + 1] !== '@';
      this.versionValue = raw.slice(this.hiddenValue ? at + 1 : at + 2);
      return;
    }
    this.nameValue = raw;
    const v = this.versions?.(this.index);
    if (v !== undefined) {
      this.versionValue = v.name;
      this.hiddenValue = v.hidden;
    }
  }

  get name(): string {
    if (!this.decoded) this.decode();
    return this.nameValue;
  }

  get version(): string | undefined {
    if (!this.decoded) this.decode();
    return this.versionValue;
  }

  get versionHidden(): boolean {
    if (!this.decoded) this.decode();
    return this.hiddenValue;
  }

  toJSON(): object {
    const { index, name, version, versionHidden, value, size, type, bind, visibility, shndx } = this;
    return { index, name, version, versionHidden, value, size, type, bind, visibility, shndx };
  }
}

/**
 * Decodes a symbol table. A name index outside the string table gives the name `<corrupt>`
 * (as readelf prints it); the table itself is already bounds-checked by the caller. Names are
 * decoded lazily (see `LazySymbol`).
 */
export function parseSymbols(d: ElfDecoder, table: Uint8Array, entsize: number, strtab: Uint8Array, versions?: VersionLookup): Symbol[] {
  const count = Math.floor(table.length / entsize);
  const out: Symbol[] = new Array<Symbol>(count);
  for (let i = 0; i < count; i++) {
    const base = i * entsize;
    const info = d.field(table, base, SYM_LAYOUT, 'info');
    out[i] = new LazySymbol(
      i,
      strtab,
      d.field(table, base, SYM_LAYOUT, 'name'),
      versions,
      d.field(table, base, SYM_LAYOUT, 'value'),
      d.field(table, base, SYM_LAYOUT, 'size'),
      info & 0xf,
      info >> 4,
      d.field(table, base, SYM_LAYOUT, 'other') & 3,
      d.field(table, base, SYM_LAYOUT, 'shndx'),
    );
  }
  return out;
}

export function symbolTypeName(t: number): string {
  return nameOf(STT, t, 'STT_');
}

export function symbolBindName(b: number): string {
  return nameOf(STB, b, 'STB_');
}
