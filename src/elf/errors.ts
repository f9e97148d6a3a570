/**
 * The one error type of the ELF reader. Like Go's debug/elf FormatError it says where (byte
 * offset in the file), which field, and the value seen, so a report on a corrupt file reads
 * "bad e_shstrndx 812 in ELF header at byte 0x3e" rather than a stack trace.
 */
export class ElfFormatError extends Error {
  constructor(
    /** Offset in the file of the bad structure or field, when known. */
    readonly offset: number | undefined,
    /** The field or structure at fault, named as in the ELF specification. */
    readonly field: string,
    /** The value read, when it helps to see it. */
    readonly value: number | string | undefined,
    detail: string,
  ) {
    const where = offset === undefined ? '' : ` at byte 0x${offset.toString(16)}`;
    const val = value === undefined ? '' : ` ${typeof value === 'number' ? formatNumber(value) : value}`;
    super(`bad ${field}${val}${where}: ${detail}`);
    this.name = 'ElfFormatError';
  }
}

/** The input does not start with the ELF magic: not an error in the file, just not ELF. */
export class NotElfError extends Error {
  constructor(readonly source: string) {
    super(`${source}: not an ELF file`);
    this.name = 'NotElfError';
  }
}

function formatNumber(n: number): string {
  return n >= 0 && n < 10 ? String(n) : `${n} (0x${n.toString(16)})`;
}
