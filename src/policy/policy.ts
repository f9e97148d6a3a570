/**
 * The policy: which checks must pass, what `unknown` counts as, and the waivers. It turns each
 * scan result into a judged result: every check marked required or not (and waived, with the
 * reason), and the file's verdict.
 *
 *   fail    a required check failed (or was unknown with `unknownIs: fail`) and is not waived
 *   error   nothing required failed, but the file could not be analysed (fully or in part)
 *   pass    an analysed file with nothing required failing
 *   skipped a row without checks that is no problem: a link not followed, a special file met
 *           while walking, an archive with no ELF member
 *
 * A required check that is `not-applicable` passes; one that the analysis did not produce for
 * this kind of file is treated the same way.
 */
import { type CheckId } from '../checks/types.js';
import { type CheckResult, type FileResult } from '../scan/result.js';
import { type HardenConfig } from './config.js';
import { DEFAULT_PROFILE, PROFILES, type ProfileName } from './profiles.js';
import { type Locate, Waivers } from './waivers.js';

export type UnknownIs = 'warn' | 'fail';
export type FileVerdict = 'pass' | 'fail' | 'error' | 'skipped';

export interface JudgedCheck extends CheckResult {
  /** The policy requires this check to pass. */
  readonly required?: true;
}

/** What the policy makes of a file, its checks aside (`Policy.verdictOf`). */
export interface FileJudgement {
  readonly verdict: FileVerdict;
  /** Required checks that failed (not waived), in check order. */
  readonly failed: readonly CheckId[];
  /** Required checks whose status is unknown and that did not fail the file (`unknownIs: warn`). */
  readonly unknown: readonly CheckId[];
}

export interface JudgedFile extends FileResult, FileJudgement {
  readonly checks: Partial<Record<CheckId, JudgedCheck>>;
}

export interface PolicyOptions {
  readonly profile?: ProfileName;
  readonly config?: HardenConfig;
  /** Extra checks to require / not require (command line), applied after the config's. */
  readonly require?: readonly CheckId[];
  readonly ignore?: readonly CheckId[];
  readonly unknownIs?: UnknownIs;
  /** Path of the config file, for reports. */
  readonly configPath?: string;
  /** Locates reported paths relative to the config directory (waiver globs). */
  readonly locate?: Locate;
}

/** What judging a file needs of a policy without waivers (see `Policy.portable`). */
export interface PortablePolicy {
  readonly required: readonly CheckId[];
  readonly unknownIs: UnknownIs;
}

export class Policy {
  readonly profile: ProfileName;
  /** In profile order, then added ones. */
  readonly required: readonly CheckId[];
  readonly unknownIs: UnknownIs;
  readonly configPath: string | undefined;
  private readonly requiredSet: ReadonlySet<CheckId>;
  private readonly waivers: Waivers;

  constructor(opts: PolicyOptions = {}) {
    const c = opts.config;
    // The command line wins over the config file, which wins over the default.
    this.profile = opts.profile ?? c?.profile ?? DEFAULT_PROFILE;
    const ignored = new Set<CheckId>([...(c?.ignore ?? []), ...(opts.ignore ?? [])]);
    const required = [...PROFILES[this.profile].required, ...(c?.require ?? []), ...(opts.require ?? [])];
    // An id required on the command line is required even if the config ignores it.
    const cliRequired = new Set(opts.require ?? []);
    this.required = [...new Set(required)].filter((id) => !ignored.has(id) || cliRequired.has(id));
    this.requiredSet = new Set(this.required);
    this.unknownIs = opts.unknownIs ?? c?.unknownIs ?? 'warn';
    this.configPath = opts.configPath;
    const locate: Locate = opts.locate ?? ((p) => ({ relative: p, absolute: p }));
    this.waivers = new Waivers(c?.waivers ?? [], locate);
  }

  isRequired(id: CheckId): boolean {
    return this.requiredSet.has(id);
  }

  /**
   * The policy as plain data another thread can judge with (`Policy.fromPortable`), when it
   * has no waivers: a waiver's glob is matched against paths located relative to the config
   * file, which only this thread knows how to do. Undefined when there are waivers.
   */
  portable(): PortablePolicy | undefined {
    return this.waivers.empty ? { required: this.required, unknownIs: this.unknownIs } : undefined;
  }

  /** A policy that judges files as the one `portable()` was taken from. */
  static fromPortable(p: PortablePolicy): Policy {
    return new Policy({ profile: 'none', require: p.required, unknownIs: p.unknownIs });
  }

  /**
   * A file's verdict and the required checks that failed or stayed unknown, without copying its
   * checks (`judge` adds the copies; a worker rendering rows needs only this: json-row.ts).
   */
  verdictOf(file: FileResult, waiverOf: (id: CheckId) => string | undefined = this.waivers.forFile(file.path)): FileJudgement {
    const failed: CheckId[] = [];
    const unknown: CheckId[] = [];
    const ids = Object.keys(file.checks) as CheckId[];
    // Indexed: a worker judges every row here, often in code V8 has not optimised yet, where a
    // for-of loop allocates a step object per check.
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      const status = id === undefined ? undefined : file.checks[id]?.status;
      if (id === undefined || status === undefined || !this.requiredSet.has(id) || waiverOf(id) !== undefined) continue;
      if (status === 'fail' || (status === 'unknown' && this.unknownIs === 'fail')) failed.push(id);
      else if (status === 'unknown') unknown.push(id);
    }
    const verdict: FileVerdict = failed.length > 0 ? 'fail' : file.error !== undefined ? 'error' : ids.length > 0 ? 'pass' : 'skipped';
    return { verdict, failed, unknown };
  }

  judge(file: FileResult): JudgedFile {
    const waiverOf = this.waivers.forFile(file.path);
    const checks: Partial<Record<CheckId, JudgedCheck>> = {};
    for (const id of Object.keys(file.checks) as CheckId[]) {
      const result = file.checks[id];
      if (result === undefined) continue;
      const waiver = waiverOf(id);
      let judged: JudgedCheck = result;
      if (this.requiredSet.has(id)) judged = { ...judged, required: true };
      if (waiver !== undefined) judged = { ...judged, waiver };
      checks[id] = judged;
    }
    return { ...file, checks, ...this.verdictOf(file, waiverOf) };
  }
}
