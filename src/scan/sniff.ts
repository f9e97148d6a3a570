/**
 * What a file is from its first bytes, and error messages for rows: shared by the scan of loose
 * files, archives and packages. Pure.
 */

/** The first bytes decide what a file is; these are the formats the scan understands. */
export type Sniffed = 'elf' | 'ar' | 'llvm-bitcode' | 'other';

export function sniff(head: Uint8Array): Sniffed {
  if (head.length >= 4 && head[0] === 0x7f && head[1] === 0x45 && head[2] === 0x4c && head[3] === 0x46) return 'elf';
  if (head.length >= 8) {
    const s = String.fromCharCode(...head.subarray(0, 8));
    if (s === '!<arch>\n' || s === '!<thin>\n') return 'ar';
  }
  // Raw bitcode 'BC' 0xC0DE, or the wrapper magic 0x0B17C0DE (little-endian) Apple tools write.
  if (head.length >= 4 && head[0] === 0x42 && head[1] === 0x43 && head[2] === 0xc0 && head[3] === 0xde) return 'llvm-bitcode';
  if (head.length >= 4 && head[0] === 0xde && head[1] === 0xc0 && head[2] === 0x17 && head[3] === 0x0b) return 'llvm-bitcode';
  return 'other';
}

/** The message of an error, without the `NAME: ` prefix some readers add (the row names the file). */
export function message(e: unknown, name?: string): string {
  const m = e instanceof Error ? e.message : String(e);
  return name !== undefined && m.startsWith(`${name}: `) ? m.slice(name.length + 2) : m;
}

