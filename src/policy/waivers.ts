/**
 * Waiver matching. A waiver's globs are relative to the config file's directory; the caller
 * supplies `locate`, which turns a reported path into that relative form (or undefined when the
 * file lies outside that directory, in which case only absolute globs can match it). Kept free
 * of the file system so that the same rules run in a browser page.
 *
 * Rules: picomatch syntax with dot files matched; a glob without `/` matches the file name in
 * any directory (as in .gitignore); a glob starting with `/` is absolute; a glob that matches
 * an archive or package also covers its members (`lib/libfoo.a` waives `lib/libfoo.a!x.o`).
 */
import picomatch from 'picomatch';
import { type CheckId } from '../checks/types.js';
import { type WaiverConfig } from './config.js';

export interface Located {
  /** The path relative to the config directory, or undefined when outside it. */
  readonly relative: string | undefined;
  /** The absolute path. */
  readonly absolute: string;
}

/** Where a reported path is: `OUTER!MEMBER` paths are located by their outer file. */
export type Locate = (outer: string) => Located;

export interface WaiverMatch {
  readonly reason: string;
}

interface Compiled {
  readonly test: (path: string) => boolean;
  readonly absolute: boolean;
  readonly checks: ReadonlySet<string>;
  readonly reason: string;
}

export class Waivers {
  private readonly compiled: readonly Compiled[];

  constructor(
    waivers: readonly WaiverConfig[],
    private readonly locate: Locate,
  ) {
    const list: Compiled[] = [];
    for (const w of waivers) {
      for (const glob of w.paths) {
        const absolute = glob.startsWith('/');
        const isMatch = picomatch(glob, { dot: true, basename: !glob.includes('/') });
        list.push({ test: (p) => isMatch(p), absolute, checks: new Set(w.checks), reason: w.reason });
      }
    }
    this.compiled = list;
  }

  get empty(): boolean {
    return this.compiled.length === 0;
  }

  /**
   * The waivers that cover `path`: a function from check id to the reason of the first waiver
   * (in file order) that names it. Locating the path once per file keeps this cheap.
   */
  forFile(path: string): (id: CheckId) => string | undefined {
    if (this.compiled.length === 0) return () => undefined;
    const bang = path.indexOf('!');
    const outer = bang < 0 ? path : path.slice(0, bang);
    const member = bang < 0 ? '' : path.slice(bang);
    const where = this.locate(outer);
    const candidates = (absolute: boolean): string[] => {
      const base = absolute ? where.absolute : where.relative;
      if (base === undefined) return [];
      return member === '' ? [base] : [base + member, base];
    };
    const relative = candidates(false);
    const absolute = candidates(true);
    const hits = this.compiled.filter((c) => (c.absolute ? absolute : relative).some((p) => c.test(p)));
    if (hits.length === 0) return () => undefined;
    return (id) => hits.find((h) => h.checks.has(id) || h.checks.has('*'))?.reason;
  }
}
