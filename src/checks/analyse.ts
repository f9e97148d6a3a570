/**
 * Runs the checks on one ELF file. A check that throws (a corrupt table it needed, a limit)
 * becomes an `unknown` verdict naming the error; the other checks still run.
 */
import { isInputError } from '../elf/compressed.js';
import { type ElfFile } from '../elf/index.js';
import { type CheckResult, type FileKind } from '../scan/result.js';
import { CheckContext, type ContextOptions } from './context.js';
import { type Check, CHECKS, checkById } from './registry.js';
import { type CheckId } from './types.js';
import { errorMessage } from './verdict.js';

export interface AnalyseOptions extends ContextOptions {
  /** Run only these checks (in registry order); all when absent. Unknown ids are ignored. */
  readonly checks?: readonly CheckId[];
}

export interface ElfAnalysis {
  readonly kind: FileKind;
  /** Architecture name (`x86-64`, `aarch64`...). */
  readonly machine: string;
  readonly checks: Partial<Record<CheckId, CheckResult>>;
  /** Set when part of the file could not be read (the checks say which verdicts it affected). */
  readonly error?: string;
}

export function selectChecks(ids: readonly CheckId[] | undefined): readonly Check[] {
  if (ids === undefined) return CHECKS;
  const wanted = new Set(ids);
  return CHECKS.filter((c) => wanted.has(c.id));
}

export function analyseElf(elf: ElfFile, options: AnalyseOptions = {}): ElfAnalysis {
  const ctx = new CheckContext(elf, options);
  return analyseContext(ctx, selectChecks(options.checks));
}

export function analyseContext(ctx: CheckContext, checks: readonly Check[]): ElfAnalysis {
  const results: Partial<Record<CheckId, CheckResult>> = {};
  // An indexed loop: per file, in code V8 has often not optimised yet (no iterator objects).
  for (let i = 0; i < checks.length; i++) {
    const check = checks[i];
    if (check !== undefined) results[check.id] = runCheck(check, ctx);
  }
  const k = ctx.kindInfo;
  const base = { kind: k.kind, machine: ctx.machineName, checks: results };
  return k.error === undefined ? base : { ...base, error: k.error };
}

/**
 * One check, its exceptions turned into an `unknown` verdict. A damaged file (format error,
 * limit, short read, bad compressed data) is named as such; anything else is a defect of ours
 * and says "internal error" so it is reported rather than mistaken for a property of the file.
 */
export function runCheck(check: Check, ctx: CheckContext): CheckResult {
  try {
    return check.evaluate(ctx);
  } catch (e) {
    if (isInputError(e)) return { status: 'unknown', evidence: `could not be decided: ${errorMessage(e)}` };
    const name = e instanceof Error ? e.name : typeof e;
    return { status: 'unknown', evidence: `could not be decided: internal error (${name}): ${errorMessage(e)}` };
  }
}

export { checkById };
