/** The toolchain and C library that built the file (facts/toolchain.ts). Information. */
import { type CheckContext } from './context.js';
import { type CheckDefinition, type Verdict } from './types.js';
import { notApplicable, pass, unknown } from './verdict.js';

export const toolchainCheck: CheckDefinition<CheckContext> = {
  id: 'toolchain',
  title: 'Toolchain',
  category: 'information',
  description: 'The language toolchain, compilers, linker and C library that built the file: they decide which hardening properties can apply (Go and Rust have no canaries or fortify; musl has no __*_chk functions).',
  remedy: 'none: information only',
  evaluate(ctx): Verdict {
    if (ctx.kind === 'core') return notApplicable(ctx.kindInfo.evidence);
    const t = ctx.toolchain;
    const value: string[] = [];
    const evidence: string[] = [];
    if (t.go !== undefined) {
      value.push(t.go.version ?? 'go');
      evidence.push(`Go: ${t.go.evidence}${t.go.version === undefined ? '' : ` (${t.go.version})`}`);
    }
    if (t.rust !== undefined) {
      value.push(t.rust.version === undefined ? 'rust' : `rustc ${t.rust.version}`);
      evidence.push(`Rust: ${t.rust.evidence}`);
    }
    const compilers = t.comment.filter((c) => c.name !== 'other' && c.name !== 'rustc');
    // Newest first is not knowable; keep .comment order but one entry per name+version.
    const seen = new Set<string>();
    for (const c of compilers) {
      const key = `${c.name} ${c.version}`.trim();
      if (seen.has(key)) continue;
      seen.add(key);
      value.push(key);
    }
    if (t.comment.length > 0) evidence.push(`.comment: ${t.comment.map((c) => JSON.stringify(c.text)).join(', ')}`);
    if (t.libc !== 'unknown') value.push(t.libc === 'none' ? 'no libc' : t.libc);
    evidence.push(`C library: ${t.libc} (${t.libcEvidence})`);
    if (t.errors.length > 0) evidence.push(`problems: ${t.errors.join('; ')}`);
    if (value.length === 0) return unknown(evidence.join('; '));
    return pass(evidence.join('; '), value.join(', '));
  },
};
