/**
 * Named constants with a `String()`-like lookup, as Go's debug/elf gives every enumeration:
 * evidence strings print `PT_GNU_RELRO`, not `0x6474e552`, and nothing else keeps a table.
 */
export type NameTable = Readonly<Record<string, number>>;

/** Reverse index of a constants table, built once per table. */
const reverseCache = new WeakMap<NameTable, Map<number, string>>();

/** The name of `value` in `table` (first one declared wins), or `fallback(value)`. */
export function nameOf(table: NameTable, value: number, prefix = ''): string {
  let rev = reverseCache.get(table);
  if (rev === undefined) {
    rev = new Map();
    for (const [k, v] of Object.entries(table)) if (!rev.has(v)) rev.set(v, k);
    reverseCache.set(table, rev);
  }
  const name = rev.get(value);
  return name === undefined ? `${prefix}0x${value.toString(16)}` : prefix + name;
}

/** Names of the bits of `value` set in a flags table, low bit first; unknown bits as hex. */
export function flagNames(table: NameTable, value: number): string[] {
  const out: string[] = [];
  let rest = value >>> 0;
  for (let bit = 0; bit < 32; bit++) {
    const mask = (1 << bit) >>> 0;
    if ((rest & mask) === 0) continue;
    let name: string | undefined;
    for (const [k, v] of Object.entries(table)) if (v === mask) name = name ?? k;
    out.push(name ?? `0x${mask.toString(16)}`);
    rest = (rest & ~mask) >>> 0;
  }
  return out;
}
