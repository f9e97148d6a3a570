import { type Relocator } from './dwarf.js';
import { type ElfFile } from './file.js';
import { type SectionHeader, SHT } from './section.js';
import { type Symbol } from './symbol.js';

/**
 * How the linker would fill in a section of a relocatable object: for each relocated offset,
 * S + A (RELA) or S + the stored addend (REL). Debug sections of `.o` files refer to each other
 * this way (DW_FORM_strp is an offset into .debug_str carried by a relocation against its section
 * symbol), so reading them without their relocations reads the wrong strings. Relocation types
 * are not distinguished: debug sections only hold plain absolute section offsets.
 * Returns undefined when no relocation section applies to `target`.
 */
export function sectionRelocator(elf: ElfFile, target: SectionHeader): Relocator | undefined {
  const relSec = elf.sections.find((s) => (s.type === SHT.RELA || s.type === SHT.REL) && s.info === target.index);
  if (relSec === undefined) return undefined;
  const symtab = elf.sections[relSec.link];
  const rela = relSec.type === SHT.RELA;
  // Only a few offsets per unit are ever asked for, while .rela.debug_info may hold 100,000s
  // of entries: the table is searched by offset without decoding the rest (RelocationTable),
  // and the symbol table is decoded only when an entry is found.
  const relocs = elf.relocationTable(relSec);
  let symbols: readonly Symbol[] | undefined;
  const symbolValue = (index: number): number => {
    symbols ??= symtab !== undefined && (symtab.type === SHT.SYMTAB || symtab.type === SHT.DYNSYM) ? elf.symbols(symtab.type === SHT.SYMTAB ? 'symtab' : 'dynsym') : [];
    return symbols[index]?.value ?? 0;
  };
  return (offset, stored) => {
    const r = relocs.at(offset);
    if (r === undefined) return stored;
    return symbolValue(r.symbol) + (rela ? r.addend : stored);
  };
}
