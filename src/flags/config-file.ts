/**
 * buildflags.conf: one `OPERATION FLAG VALUE` directive a line, `#` comments, blank lines.
 * The operation is case-insensitive; the line must start with it (an indented directive is
 * rejected, an indented comment is fine); the value keeps inner spacing, loses trailing
 * blanks, and must be two characters long at least. A directive on a flag the vendor does not list is warned about and still applied,
 * as dpkg-buildflags does.
 */
import type { FlagOperation } from './flag-set.js';

export interface ConfigDirective {
  readonly op: FlagOperation;
  readonly flag: string;
  readonly value: string;
  readonly line: number;
}

export interface ParsedConfig {
  readonly directives: readonly ConfigDirective[];
  readonly warnings: readonly string[];
}

// The value needs two characters at least: dpkg-buildflags rejects one-character values.
const DIRECTIVE = /^(\w+)\s+(\S+)\s+(\S.*\S)\s*$/s;

/**
 * Parses the text of a config file. `path` names the file in warnings; `knownFlags` are the
 * flags the vendor lists.
 */
export function parseConfig(text: string, path: string, knownFlags: ReadonlySet<string>): ParsedConfig {
  const directives: ConfigDirective[] = [];
  const warnings: string[] = [];
  const lines = text.split('\n');
  // A final newline does not start another line.
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (/^\s*(#|$)/.test(raw)) return;
    const m = DIRECTIVE.exec(raw);
    const op = m?.[1]?.toUpperCase();
    if (m === null || (op !== 'SET' && op !== 'STRIP' && op !== 'APPEND' && op !== 'PREPEND')) {
      warnings.push(`line ${line} of ${path} is invalid, it has been ignored`);
      return;
    }
    const flag = m[2] as string;
    if (!knownFlags.has(flag)) warnings.push(`line ${line} of ${path} mentions unknown flag ${flag}`);
    directives.push({ op, flag, value: m[3] as string, line });
  });
  return { directives, warnings };
}
