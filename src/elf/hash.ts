import { type ElfDecoder } from './decoder.js';

/**
 * Number of dynamic symbols, from the hash tables: what a loader knows when a file has no
 * section headers. DT_HASH stores it directly (nchain); DT_GNU_HASH only implies it: the highest
 * bucket start, then walk that chain to the entry with the low "end of chain" bit set.
 * `readWord(vaddr, n)` returns n bytes at a virtual address, or undefined when unmapped.
 */
export function countFromSysvHash(d: ElfDecoder, head: Uint8Array): number | undefined {
  return head.length >= 8 ? d.u32(head, 4) : undefined;
}

export function countFromGnuHash(d: ElfDecoder, readAt: (vaddr: number, n: number) => Uint8Array | undefined, addr: number, maxSymbols: number): number | undefined {
  const head = readAt(addr, 16);
  if (head === undefined) return undefined;
  const nbuckets = d.u32(head, 0);
  const symoffset = d.u32(head, 4);
  const bloomSize = d.u32(head, 8);
  if (nbuckets === 0 || nbuckets > maxSymbols || bloomSize > maxSymbols) return undefined;
  const bucketsAddr = addr + 16 + bloomSize * (d.is64 ? 8 : 4);
  const buckets = readAt(bucketsAddr, nbuckets * 4);
  if (buckets === undefined) return undefined;
  let last = 0;
  for (let i = 0; i < nbuckets; i++) last = Math.max(last, d.u32(buckets, i * 4));
  if (last === 0) return symoffset;
  if (last < symoffset) return undefined;
  const chainAddr = bucketsAddr + nbuckets * 4;
  for (let idx = last; idx - symoffset < maxSymbols; idx++) {
    const w = readAt(chainAddr + (idx - symoffset) * 4, 4);
    if (w === undefined) return undefined;
    if ((d.u32(w, 0) & 1) !== 0) return idx + 1;
  }
  return undefined;
}
