import { type Relocator } from './dwarf.js';
import { type ElfFile } from './file.js';
import { type SectionHeader, SHT } from './section.js';

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
  const symbols = symtab !== undefined && (symtab.type === SHT.SYMTAB || symtab.type === SHT.DYNSYM) ? elf.symbols(symtab.type === SHT.SYMTAB ? 'symtab' : 'dynsym') : [];
  const rela = relSec.type === SHT.RELA;
  const byOffset = new Map<number, { value: number; addend: number }>();
  for (const r of elf.relocations(relSec)) {
    byOffset.set(r.offset, { value: symbols[r.symbol]?.value ?? 0, addend: r.addend });
  }
  return (offset, stored) => {
    const r = byOffset.get(offset);
    if (r === undefined) return stored;
    return r.value + (rela ? r.addend : stored);
  };
}
