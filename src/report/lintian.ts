/**
 * `--format lintian`: one `PACKAGE: TAG PATH` line per hardening problem, with lintian's tag
 * names, so scripts and CI steps written for lintian's hardening tags read our findings:
 *
 *   hardening-no-pie                 the pie check failed (a fixed-address executable)
 *   hardening-no-relro               the relro check failed (no PT_GNU_RELRO)
 *   hardening-no-bindnow             the bindnow check failed
 *   hardening-no-fortify-functions   the fortify check failed (plain calls, no checked one)
 *
 * Which files, and the exemptions, follow lintian (binaries/hardening, observed with lintian
 * 2.116 on packages built in test/packages):
 *   - only ELF executables and shared libraries: objects and static archive members get no tag
 *     (lintian tags neither);
 *   - Go binaries get no tag at all; Rust binaries no fortify tag (our fortify check is then
 *     not-applicable, so it cannot fail);
 *   - static binaries (no dynamic section) get no pie, relro or bindnow tag;
 *   - udeb packages get only the fortify tag; `Architecture: all` packages get none; on the
 *     architectures where dpkg-buildflags offers no such feature (hppa and avr32: pie, relro,
 *     bindnow; ia64: relro, bindnow) the tag is not given;
 *   - a waived check gets no tag (lintian prints no overridden tag either);
 *   - fortify: lintian ignores the mem* functions (memcpy, memmove, memset and their wide
 *     forms: the compiler proves too many of their calls safe), checked or plain. So a file
 *     whose only checked calls are mem* ones and that calls another function plain (our
 *     fortify: pass, "partial") gets the tag, as lintian gives it; a file whose only plain
 *     calls are mem* ones is our `unknown`, and gets none.
 * PACKAGE is the package name (deb `Package`, rpm NAME, a tarball's file name without its
 * suffixes) and PATH the member path as stored, without `./`, as lintian prints it. A file not
 * in a package is its own package: PACKAGE is its file name, PATH the path as scanned.
 *
 * The lines are the whole report (no summary), streamed. Files that could not be analysed are
 * not findings: they go to `diagnostics` (standard error in the CLI), one line each, and the
 * exit status says so.
 */
import { OFTEN_PROVEN_SAFE } from '../checks/facts/fortify-functions.js';
import { type CheckId } from '../checks/types.js';
import { type JudgedCheck, type JudgedFile } from '../policy/policy.js';
import { type FileKind } from '../scan/result.js';
import { type ReportWriter, type Sink } from './report-types.js';

export const LINTIAN_TAGS = {
  pie: 'hardening-no-pie',
  relro: 'hardening-no-relro',
  bindnow: 'hardening-no-bindnow',
  fortify: 'hardening-no-fortify-functions',
} as const satisfies Partial<Record<CheckId, string>>;

type TaggedCheck = keyof typeof LINTIAN_TAGS;

/** In lintian's order: the warnings (pie, relro), then the informational tags. */
const TAGGED: readonly TaggedCheck[] = ['pie', 'relro', 'bindnow', 'fortify'];

/** Files lintian's hardening check reads: executables and shared libraries. */
const DYNAMIC_KINDS: ReadonlySet<FileKind> = new Set(['executable', 'pie-executable', 'shared-library', 'runnable-shared-library']);
const STATIC_KINDS: ReadonlySet<FileKind> = new Set(['static-executable', 'static-pie']);

/** Features dpkg-buildflags does not offer on an architecture (by Debian name or ELF machine). */
const MISSING_FEATURES: Readonly<Record<string, readonly TaggedCheck[]>> = {
  hppa: ['pie', 'relro', 'bindnow'],
  avr32: ['pie', 'relro', 'bindnow'],
  ia64: ['relro', 'bindnow'],
};

/** Go and Rust, from the toolchain check's evidence (`Go: …; Rust: …; C library: …`). */
function languages(f: JudgedFile): { go: boolean; rust: boolean } {
  const parts = (f.checks.toolchain?.evidence ?? '').split('; ');
  return { go: parts.some((p) => p.startsWith('Go: ')), rust: parts.some((p) => p.startsWith('Rust: ')) };
}

/**
 * The names after `protected (N): ` or `unprotected (N): ` in the fortify check's evidence
 * (src/checks/fortify.ts), and whether the list is whole (long lists end "and K more").
 */
function listed(evidence: string, label: 'protected' | 'unprotected'): { names: string[]; whole: boolean } {
  const m = new RegExp(`(?:^|: |; )${label} \\((\\d+)\\): ([A-Za-z0-9_]+(?:, [A-Za-z0-9_]+)*)`).exec(evidence);
  if (m === null) return { names: [], whole: true };
  const names = m[2]!.split(', ');
  return { names, whole: names.length === Number(m[1]) };
}

/** lintian's hardening-no-fortify-functions: a plain call it counts, and no checked call it counts. */
function fortifyTag(c: JudgedCheck): boolean {
  if (c.status === 'fail') return true;
  if (c.status !== 'pass' || c.value !== 'partial') return false;
  const checked = listed(c.evidence, 'protected');
  const plain = listed(c.evidence, 'unprotected');
  const countedChecked = !checked.whole || checked.names.some((n) => !OFTEN_PROVEN_SAFE.has(n));
  const countedPlain = !plain.whole || plain.names.some((n) => !OFTEN_PROVEN_SAFE.has(n));
  return countedPlain && !countedChecked;
}

/** The last path component of a file not in a package. */
function fileName(path: string): string {
  const parts = path.split('/').filter((p) => p !== '');
  return parts[parts.length - 1] ?? path;
}

/** The lintian tags of one judged file, in lintian's order (empty for most files). */
export function lintianTags(f: JudgedFile): TaggedCheck[] {
  const isStatic = STATIC_KINDS.has(f.kind);
  if (!isStatic && !DYNAMIC_KINDS.has(f.kind)) return [];
  const lang = languages(f);
  if (lang.go) return [];
  const pkg = f.package;
  if (pkg?.architecture === 'all') return [];
  const udeb = pkg !== undefined && /\.udeb$/i.test(pkg.path);
  const missing = MISSING_FEATURES[pkg?.architecture ?? f.machine ?? ''] ?? [];
  return TAGGED.filter((id) => {
    const c = f.checks[id];
    if (c === undefined || c.waiver !== undefined || missing.includes(id)) return false;
    if (id === 'fortify') return !lang.rust && fortifyTag(c);
    if (c.status !== 'fail') return false;
    return !isStatic && !udeb;
  });
}

/** `PACKAGE` and `PATH` of a file as lintian names them. */
export function lintianLocation(f: JudgedFile): { package: string; path: string } {
  const pkg = f.package;
  if (pkg !== undefined && f.path.startsWith(`${pkg.path}!`)) return { package: pkg.name, path: f.path.slice(pkg.path.length + 1) };
  return { package: fileName(f.path), path: f.path };
}

export class LintianReport implements ReportWriter {
  constructor(
    private readonly sink: Sink,
    private readonly diagnostics?: Sink,
  ) {}

  file(f: JudgedFile): void {
    if (f.error !== undefined) this.diagnostics?.write(`${f.path}: ${f.error}\n`);
    const tags = lintianTags(f);
    if (tags.length === 0) return;
    const where = lintianLocation(f);
    this.sink.write(tags.map((id) => `${where.package}: ${LINTIAN_TAGS[id]} ${where.path}\n`).join(''));
  }

  end(): void {}
}
