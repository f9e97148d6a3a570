/**
 * Small constructors for verdicts, so every check reads as a list of cases: `pass(evidence)`,
 * `fail(evidence, remedy)`. They keep the optional fields absent (not `undefined`) so the JSON
 * output stays clean.
 */
import { type Verdict } from './types.js';

export function pass(evidence: string, value?: string): Verdict {
  return value === undefined ? { status: 'pass', evidence } : { status: 'pass', evidence, value };
}

export function fail(evidence: string, remedy: string, value?: string): Verdict {
  return value === undefined ? { status: 'fail', evidence, remedy } : { status: 'fail', evidence, remedy, value };
}

export function unknown(evidence: string, remedy?: string, value?: string): Verdict {
  const v: { status: 'unknown'; evidence: string; remedy?: string; value?: string } = { status: 'unknown', evidence };
  if (remedy !== undefined) v.remedy = remedy;
  if (value !== undefined) v.value = value;
  return v;
}

export function notApplicable(evidence: string, value?: string): Verdict {
  return value === undefined ? { status: 'not-applicable', evidence } : { status: 'not-applicable', evidence, value };
}

/** "a, b and 3 more": lists of names in evidence stay readable on files with thousands. */
export function listNames(names: readonly string[], max = 8): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

/** `1 unit` / `3 units`. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** The message of anything thrown, for evidence ("section headers unreadable: ..."). */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
