import { type ReferenceFacts } from './reference-facts.js';

/** `--debug`: what was read from a file, before its report. */
export function describeFacts(path: string, f: ReferenceFacts): string {
  const yn = (b: boolean | undefined): string => (b === undefined ? 'not scanned' : b ? 'yes' : 'no');
  const lines = [
    `debug: ${path}: ELF file type '${f.elfType}'${f.isArchive ? ' (ar archive)' : ''}`,
    `debug: ${path}: PT_PHDR ${yn(f.hasPhdr)}, PT_GNU_RELRO ${yn(f.hasRelro)}, immediate binding ${yn(f.bindNow)}`,
    `debug: ${path}: ${f.functions.length} imported function names: ${f.functions.map((n) => (n === '' ? "''" : n)).join(' ')}`,
    `debug: ${path}: stack clash probe loop ${yn(f.stackClash)}; x86 IBT+SHSTK ${yn(f.cfProtection)}; AArch64 BTI+PAC ${yn(f.branchProtection)}`,
    ...f.notes.map((n) => `debug: ${path}: ${n}`),
  ];
  return lines.join('\n') + '\n';
}
