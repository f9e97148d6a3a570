/**
 * What "the contract held" means for one input, per target. The input goes through the same
 * code a scan runs on it:
 * - elf, archive: `scanSource` (harden scan's per-file entry) and `referenceFacts` (the
 *   hardening-check drop-in's), plus `openContainer` on archives;
 * - deb, rpm, tar (and cpio, compressed files): `scanSource` (which hands packages to
 *   src/scan/scan-package.ts), and `openContainer` with `scanSource` on every ELF or ar member
 *   and nested containers one level deeper, so that a reader's untyped error is seen as such.
 * The contract: the per-file entry never throws; the container readers throw only their typed
 * errors; the compat path returns facts or throws `UnreadableInput`. And because a caught
 * TypeError would otherwise hide in a result as text, no error, note or evidence string may
 * look like a JavaScript engine error ("Cannot read properties of undefined", "Invalid typed
 * array length", "internal error"...).
 */
import { analyseElf } from '../src/checks/analyse.js';
// The commands inflate compressed sections with Node's zlib: fuzz that path.
import '../src/io/native-zlib.js';
import { referenceFacts, UnreadableInput } from '../src/compat/reference-facts.js';
import { NotElfError } from '../src/elf/errors.js';
import { ElfFormatError } from '../src/elf/errors.js';
import { ArFormatError } from '../src/io/ar.js';
import { BufferSource, type ByteSource, ShortReadError } from '../src/io/byte-source.js';
import { ContainerError, detectContainer, openContainer } from '../src/io/container.js';
import { CpioFormatError } from '../src/io/cpio.js';
import { DebFormatError } from '../src/io/deb.js';
import { DecompressError } from '../src/io/decompress-error.js';
import { RpmFormatError } from '../src/io/rpm.js';
import { TruncatedError } from '../src/io/sequential.js';
import { TarFormatError } from '../src/io/tar.js';
import { DEFAULT_LIMITS, LimitError, type Limits } from '../src/limits.js';
import { type FileResult } from '../src/scan/result.js';
import { scanSource, sniff } from '../src/scan/scan-source.js';

export const TARGETS = ['elf', 'archive', 'deb', 'rpm', 'tar'] as const;
export type Target = (typeof TARGETS)[number];

export function isTarget(s: string): s is Target {
  return (TARGETS as readonly string[]).includes(s);
}

/** What one execution showed: a broken contract, or null; and the shape of its errors. */
export interface Outcome {
  readonly violation: Violation | null;
  /**
   * The error and note templates the input produced (numbers and names blanked): an input
   * that fails in a way never seen before is kept, a cheap stand-in for coverage.
   */
  readonly signature: string;
  /** ELF files (or members) that got as far as the checks. */
  readonly analysed: number;
}

export interface Violation {
  /** `exception`: something escaped; `untyped`: a reader threw a non-typed error; `suspicious`: an engine error shows in a result. */
  readonly kind: 'exception' | 'untyped' | 'suspicious';
  /** Which entry point: `scan`, `compat`, `container`. */
  readonly where: string;
  readonly message: string;
  readonly stack?: string;
}

const TYPED: ReadonlyArray<abstract new (...args: never[]) => Error> = [
  ElfFormatError,
  NotElfError,
  ShortReadError,
  LimitError,
  DecompressError,
  ArFormatError,
  TarFormatError,
  CpioFormatError,
  RpmFormatError,
  DebFormatError,
  ContainerError,
  TruncatedError,
  UnreadableInput,
];

export function isTypedError(e: unknown): boolean {
  return TYPED.some((T) => e instanceof T) && !isSuspicious((e as Error).message);
}

/** Text that only a JavaScript engine error (or a value printed by mistake) produces. */
const SUSPICIOUS =
  /internal error|Cannot read propert|Cannot set propert|is not a function|is not iterable|is not a constructor|Invalid typed array length|Invalid array length|Array buffer allocation failed|Invalid string length|Maximum call stack|outside the bounds|is out of bounds|Cannot convert|Cannot mix BigInt|\bNaN\b|\[object Object\]|RangeError|TypeError|ReferenceError|SyntaxError/;

/** Quoted text is the file's own bytes (a name, a field as written): it may say anything. */
export function isSuspicious(text: string): boolean {
  return SUSPICIOUS.test(text.replace(/"(?:[^"\\]|\\.)*"|'[^']*'/g, '""'));
}

function describe(e: unknown): { message: string; stack?: string } {
  if (e instanceof Error) return e.stack === undefined ? { message: `${e.name}: ${e.message}` } : { message: `${e.name}: ${e.message}`, stack: e.stack };
  return { message: String(e) };
}

/** Message shapes: numbers, offsets and quoted names blanked, so that one kind of failure is one shape. */
function template(text: string): string {
  return text
    .replace(/"[^"]*"|'[^']*'/g, 'S')
    .replace(/0x[0-9a-f]+|\d+/gi, '#')
    .replace(/input(![^:\s]*)?/g, 'P')
    .slice(0, 160);
}

/** One input's run through the entry points, collecting the shapes of what it said. */
class Run {
  readonly shapes = new Set<string>();
  analysed = 0;

  constructor(private readonly limits: Limits) {}

  note(text: string | undefined): void {
    if (text !== undefined && this.shapes.size < 32) this.shapes.add(template(text));
  }

  private results(rows: readonly FileResult[], where: string): Violation | null {
    for (const r of rows) {
      if (Object.keys(r.checks).length > 0) this.analysed++;
      this.note(`${r.kind} ${r.error ?? ''}`);
      this.note(r.note);
      const texts = [r.error, r.note, ...Object.values(r.checks).map((c) => c?.evidence)];
      for (const t of texts) if (t !== undefined && isSuspicious(t)) return { kind: 'suspicious', where, message: `${r.path}: ${t}` };
      for (const [id, c] of Object.entries(r.checks)) if (c !== undefined && c.status === 'unknown') this.note(`${id}: ${c.evidence}`);
    }
    return null;
  }

  /** harden scan's per-file entry on one source. */
  scan(src: ByteSource, path: string, depth: number): Violation | null {
    let rows: FileResult[];
    try {
      rows = scanSource(src, path, {
        limits: this.limits,
        analyse: (elf) => analyseElf(elf),
        explicit: true,
        depth,
        openExternal: (name) => {
          throw new ShortReadError(`${path}!${name}`, 0, 0, 0);
        },
      });
    } catch (e) {
      return { kind: 'exception', where: 'scan', ...describe(e) };
    }
    return this.results(rows, 'scan');
  }

  /** hardening-check's facts: a value, or UnreadableInput, nothing else. */
  compat(src: ByteSource): Violation | null {
    try {
      const facts = referenceFacts(src, { stackClash: true, limits: this.limits });
      for (const n of facts.notes) {
        this.note(n);
        if (isSuspicious(n)) return { kind: 'suspicious', where: 'compat', message: n };
      }
    } catch (e) {
      if (!(e instanceof UnreadableInput)) return { kind: 'exception', where: 'compat', ...describe(e) };
      this.note(e.message);
      if (isSuspicious(e.message)) return { kind: 'suspicious', where: 'compat', message: e.message };
    }
    return null;
  }

  /** A container and its members, as a package scan reads them. */
  container(src: ByteSource, depth: number): Violation | null {
    try {
      const c = openContainer(src, this.limits, { depth, want: (_h, head) => sniff(head) !== 'other' || detectContainer(head) !== null });
      this.note(`container ${c.kind} ${c.compression ?? ''}`);
      for (const entry of c.entries()) {
        if (entry.error !== undefined) {
          this.note(entry.error.message);
          if (!isTypedError(entry.error)) return { kind: 'untyped', where: 'container', ...describe(entry.error) };
        }
        const member = entry.source;
        if (member === undefined) continue;
        const head = member.read(0, Math.min(512, member.size));
        const kind = sniff(head);
        if (kind === 'elf' || kind === 'ar') {
          const v = this.scan(member, member.name, depth + 1);
          if (v !== null) return v;
        } else if (detectContainer(head) !== null) {
          const v = this.container(member, depth + 1);
          if (v !== null) return v;
        }
      }
    } catch (e) {
      this.note(e instanceof Error ? `${e.name} ${e.message}` : String(e));
      if (!isTypedError(e)) return { kind: 'untyped', where: 'container', ...describe(e) };
    }
    return null;
  }
}

/** Runs one input through every entry point of its target. */
export function runInput(target: Target, bytes: Uint8Array, limits: Limits = DEFAULT_LIMITS): Outcome {
  const src = new BufferSource(bytes, 'input');
  const run = new Run(limits);
  let violation: Violation | null;
  switch (target) {
    case 'elf':
      violation = run.scan(src, 'input', 0) ?? run.compat(src);
      break;
    case 'archive':
      violation = run.scan(src, 'input', 0) ?? run.compat(src) ?? (bytes.length >= 8 && sniff(bytes) === 'ar' ? run.container(src, 0) : null);
      break;
    case 'deb':
    case 'rpm':
    case 'tar':
      // harden scan's entry (src/scan/scan-package.ts behind it), then the readers directly,
      // where a reader's untyped error cannot hide behind the scan's catch-all row.
      violation = run.scan(src, 'input', 0) ?? run.container(src, 0);
      break;
  }
  return { violation, signature: [...run.shapes].sort().join('|'), analysed: run.analysed };
}

/** The contract for one input: null when it held. */
export function checkInput(target: Target, bytes: Uint8Array, limits: Limits = DEFAULT_LIMITS): Violation | null {
  return runInput(target, bytes, limits).violation;
}
