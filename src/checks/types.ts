/**
 * The shape every check shares. A check is a pure function of an analysed file that returns a
 * verdict with the evidence it saw and, when it fails, the remedy. Adding a check means adding
 * one module and one line in `registry.ts`.
 */

/** The verdicts. `not-applicable`: the property cannot apply to this file (never a failure). */
export type Status = 'pass' | 'fail' | 'unknown' | 'not-applicable';

export const STATUSES: readonly Status[] = ['pass', 'fail', 'unknown', 'not-applicable'];

/** Stable check ids: the JSON, SARIF rules, config files and profiles use them. */
export type CheckId =
  | 'pie'
  | 'relro'
  | 'bindnow'
  | 'nx'
  | 'rwx'
  | 'textrel'
  | 'rpath'
  | 'stack-protector'
  | 'fortify'
  | 'stack-clash'
  | 'cet-ibt'
  | 'cet-shstk'
  | 'bti'
  | 'pac'
  | 'pic'
  | 'stripped'
  | 'debuginfo'
  | 'sanitizers'
  | 'safestack-cfi'
  | 'toolchain'
  | 'compile-flags';

/** What a check returns. */
export interface Verdict {
  readonly status: Status;
  /** What was seen, in words a packager understands, naming the ELF structures ("PT_GNU_RELRO present, DF_BIND_NOW set: full RELRO"). */
  readonly evidence: string;
  /** On `fail` (and where useful on `unknown`): the flag or action that fixes it. */
  readonly remedy?: string;
  /** Information checks: the value found ("yes", "no", "gcc 12.2.0", "asan, ubsan"). */
  readonly value?: string;
}

/**
 * `hardening`: a property a profile can require. `information`: facts about the file (stripped,
 * toolchain...) whose status is `pass` when determined, with the finding in `value`.
 */
export type CheckCategory = 'hardening' | 'information';

export interface CheckDefinition<F> {
  readonly id: CheckId;
  /** Short title ("Position Independent Executable"). */
  readonly title: string;
  readonly category: CheckCategory;
  /** One paragraph: what the property is and why it matters (SARIF rule help, docs). */
  readonly description: string;
  /** The usual fix, in flags ("compile with -fPIE and link with -pie"). */
  readonly remedy: string;
  /** Evaluates the check; must not throw for a malformed file (return `unknown` with why). */
  evaluate(file: F): Verdict;
}
