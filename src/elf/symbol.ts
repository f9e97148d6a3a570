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
 * Decodes a symbol table. A name index outside the string table gives the name `<corrupt>`
 * (as readelf prints it); the table itself is already bounds-checked by the caller.
 */
export function parseSymbols(d: ElfDecoder, table: Uint8Array, entsize: number, strtab: Uint8Array, versions?: VersionLookup): Symbol[] {
  const count = Math.floor(table.length / entsize);
  const out: Symbol[] = new Array<Symbol>(count);
  for (let i = 0; i < count; i++) {
    const base = i * entsize;
    const info = d.field(table, base, SYM_LAYOUT, 'info');
    const raw = getString(strtab, d.field(table, base, SYM_LAYOUT, 'name')) ?? '<corrupt>';
    let name = raw;
    let version: string | undefined;
    let versionHidden = false;
    // .symtab carries versions inside the name since binutils 2.35 (`puts@GLIBC_2.2.5`,
    // `foo@@V2`); split them off so every consumer sees the same bare name.
    const at = raw.indexOf('@');
    if (at > 0) {
      name = raw.slice(0, at);
      versionHidden = raw[at + 1] !== '@';
      version = raw.slice(versionHidden ? at + 1 : at + 2);
    } else if (versions !== undefined) {
      const v = versions(i);
      if (v !== undefined) {
        version = v.name;
        versionHidden = v.hidden;
      }
    }
    out[i] = {
      index: i,
      name,
      version,
      versionHidden,
      value: d.field(table, base, SYM_LAYOUT, 'value'),
      size: d.field(table, base, SYM_LAYOUT, 'size'),
      type: info & 0xf,
      bind: info >> 4,
      visibility: d.field(table, base, SYM_LAYOUT, 'other') & 3,
      shndx: d.field(table, base, SYM_LAYOUT, 'shndx'),
    };
  }
  return out;
}

export function symbolTypeName(t: number): string {
  return nameOf(STT, t, 'STT_');
}

export function symbolBindName(b: number): string {
  return nameOf(STB, b, 'STB_');
}
