/**
 * The symbol names checks ask about, from both tables: what the file imports (undefined
 * symbols: what it calls in other objects) and what it defines. A file whose section headers
 * were stripped (sstrip) still has its dynamic symbols, found through DT_SYMTAB and the hash
 * tables.
 */
import { type ElfFile, SHN, STT, type Symbol } from '../../elf/index.js';
import { errorMessage } from '../verdict.js';

export interface SymbolFacts {
  /** Undefined, named symbols of .dynsym and .symtab (versions split off). */
  readonly imported: ReadonlySet<string>;
  /** Names defined in .dynsym (exported) — the part of `defined` a stripped file keeps. */
  readonly exported: ReadonlySet<string>;
  /** Names defined in either table. */
  readonly defined: ReadonlySet<string>;
  readonly hasSymtab: boolean;
  /** Where dynamic symbols came from. */
  readonly dynsymFrom: '.dynsym' | 'DT_SYMTAB' | 'none';
  readonly symtabCount: number;
  readonly dynsymCount: number;
  /** Problems reading either table (the other one still counts). */
  readonly errors: readonly string[];
}

/** Symbol types that name code or data a file may import or define (not sections, files). */
function interesting(s: Symbol): boolean {
  return s.name !== '' && s.type !== STT.SECTION && s.type !== STT.FILE;
}

export function collectSymbols(elf: ElfFile): SymbolFacts {
  const imported = new Set<string>();
  const exported = new Set<string>();
  const defined = new Set<string>();
  const errors: string[] = [];
  let hasSymtab = false;
  let dynsymFrom: SymbolFacts['dynsymFrom'] = 'none';
  let symtabCount = 0;
  let dynsymCount = 0;

  const add = (syms: readonly Symbol[], isDyn: boolean): void => {
    for (const s of syms) {
      if (!interesting(s)) continue;
      if (s.shndx === SHN.UNDEF) imported.add(s.name);
      else {
        defined.add(s.name);
        if (isDyn) exported.add(s.name);
      }
    }
  };

  try {
    if (elf.hasSymbolTable('dynsym')) {
      const syms = elf.symbols('dynsym');
      dynsymFrom = '.dynsym';
      dynsymCount = syms.length;
      add(syms, true);
    }
  } catch (e) {
    errors.push(`.dynsym unreadable: ${errorMessage(e)}`);
  }
  if (dynsymFrom === 'none') {
    // No (readable) section table: the loader's view through the dynamic section.
    try {
      const syms = elf.dynamic === undefined ? [] : elf.dynamicSymbols();
      if (syms.length > 0) {
        dynsymFrom = 'DT_SYMTAB';
        dynsymCount = syms.length;
        add(syms, true);
      }
    } catch (e) {
      errors.push(`dynamic symbols unreadable: ${errorMessage(e)}`);
    }
  }
  try {
    if (elf.hasSymbolTable('symtab')) {
      hasSymtab = true;
      const syms = elf.symbols('symtab');
      symtabCount = syms.length;
      add(syms, false);
    }
  } catch (e) {
    errors.push(`.symtab unreadable: ${errorMessage(e)}`);
  }
  return { imported, exported, defined, hasSymtab, dynsymFrom, symtabCount, dynsymCount, errors };
}

/** Names in `set` that start with `prefix`, sorted. */
export function withPrefix(set: ReadonlySet<string>, prefix: string): string[] {
  const out: string[] = [];
  for (const n of set) if (n.startsWith(prefix)) out.push(n);
  return out.sort();
}
