import { type ElfDecoder } from './decoder.js';
import { getString } from './strings.js';
import { type VersionLookup } from './symbol.js';

/**
 * GNU symbol versioning (.gnu.version, .gnu.version_r, .gnu.version_d). The versym array holds
 * one 16-bit index per dynamic symbol; bit 15 marks a hidden version; 0 and 1 are local and
 * global (no version name). Names come from the vernaux entries (needed versions) and the
 * verdaux entries (defined versions), both chained lists whose offsets we bound to the section.
 */
export const VERSYM_HIDDEN = 0x8000;

const MAX_CHAIN = 1 << 16;

/** Map version index → name from verneed (SHT_GNU_verneed) bytes. */
export function parseVerneed(d: ElfDecoder, bytes: Uint8Array, strtab: Uint8Array, count: number, into: Map<number, string>): void {
  let off = 0;
  for (let i = 0; i < Math.min(count || MAX_CHAIN, MAX_CHAIN) && off + 16 <= bytes.length; i++) {
    const cnt = d.u16(bytes, off + 2);
    const aux = d.u32(bytes, off + 8);
    const next = d.u32(bytes, off + 12);
    let a = off + aux;
    for (let j = 0; j < cnt && a + 16 <= bytes.length && a >= 0; j++) {
      const other = d.u16(bytes, a + 6) & 0x7fff;
      const name = getString(strtab, d.u32(bytes, a + 8));
      if (name !== undefined) into.set(other, name);
      const anext = d.u32(bytes, a + 12);
      if (anext === 0) break;
      a += anext;
    }
    if (next === 0) break;
    off += next;
  }
}

/** Map version index → name from verdef (SHT_GNU_verdef) bytes (first verdaux is the name). */
export function parseVerdef(d: ElfDecoder, bytes: Uint8Array, strtab: Uint8Array, count: number, into: Map<number, string>): void {
  let off = 0;
  for (let i = 0; i < Math.min(count || MAX_CHAIN, MAX_CHAIN) && off + 20 <= bytes.length; i++) {
    const ndx = d.u16(bytes, off + 4) & 0x7fff;
    const aux = d.u32(bytes, off + 12);
    const next = d.u32(bytes, off + 16);
    const a = off + aux;
    if (a + 8 <= bytes.length) {
      const name = getString(strtab, d.u32(bytes, a));
      if (name !== undefined && !into.has(ndx)) into.set(ndx, name);
    }
    if (next === 0) break;
    off += next;
  }
}

/** Builds the per-symbol lookup from the versym array and the index → name map. */
export function versionLookup(d: ElfDecoder, versym: Uint8Array, names: Map<number, string>): VersionLookup {
  return (i: number) => {
    if (2 * i + 2 > versym.length) return undefined;
    const v = d.u16(versym, 2 * i);
    const idx = v & 0x7fff;
    if (idx < 2) return undefined;
    const name = names.get(idx);
    return name === undefined ? undefined : { name, hidden: (v & VERSYM_HIDDEN) !== 0 };
  };
}
