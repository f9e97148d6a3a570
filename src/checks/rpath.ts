/**
 * Library search paths embedded in the file: DT_RPATH (searched before LD_LIBRARY_PATH) and
 * DT_RUNPATH (after it). Each ':'-separated entry is judged:
 *  - unsafe (fail): an empty entry or a relative one ("", ".", "lib", "../x"), which the loader
 *    resolves against the current directory of whoever runs the program, so anyone who controls
 *    that directory controls the libraries; and an absolute entry inside a conventionally
 *    world-writable directory (/tmp, /var/tmp, /dev/shm). The file system itself is not consulted:
 *    the scanned file may come from another system, and analysis is pure.
 *  - $ORIGIN / ${ORIGIN} (relative to the binary's own directory): safe as long as that directory
 *    is not writable by others, and ignored by glibc for setuid programs. It passes, with a
 *    warning in the evidence and value "origin".
 *  - other absolute entries: pass (a packaging concern, not a hardening one); the evidence lists
 *    them.
 */
import { type CheckContext } from './context.js';
import { isLoadableKind } from './facts/kind.js';
import { type CheckDefinition, type Verdict } from './types.js';
import { fail, notApplicable, pass, unknown } from './verdict.js';

const WORLD_WRITABLE = ['/tmp', '/var/tmp', '/dev/shm', '/run/shm', '/var/crash', '/var/lock', '/run/lock'];

export type EntryClass = 'empty' | 'relative' | 'world-writable' | 'origin' | 'absolute';

export function classifyEntry(entry: string): EntryClass {
  if (entry === '') return 'empty';
  if (/^\$(ORIGIN|\{ORIGIN\})(\/|$)/.test(entry)) return 'origin';
  // $LIB and $PLATFORM expand to a directory name; what precedes them decides.
  if (!entry.startsWith('/')) return 'relative';
  const norm = entry.replace(/\/+/g, '/').replace(/\/$/, '');
  if (WORLD_WRITABLE.some((d) => norm === d || norm.startsWith(`${d}/`))) return 'world-writable';
  return 'absolute';
}

const WORDS: Readonly<Record<EntryClass, string>> = {
  empty: 'empty (means the current directory)',
  relative: 'relative to the current directory',
  'world-writable': 'in a world-writable directory',
  origin: 'relative to the binary ($ORIGIN)',
  absolute: 'absolute',
};

export const rpathCheck: CheckDefinition<CheckContext> = {
  id: 'rpath',
  title: 'Safe library search path (RPATH/RUNPATH)',
  category: 'hardening',
  description:
    'An RPATH or RUNPATH entry that is empty, relative or in a world-writable directory lets whoever controls that directory supply the libraries the program loads.',
  remedy: 'remove the entry (link without -Wl,-rpath, or fix it with chrpath/patchelf), or use an absolute path or $ORIGIN-relative one',
  evaluate(ctx): Verdict {
    if (!isLoadableKind(ctx.kind)) return notApplicable(`${ctx.kindInfo.evidence}: search paths belong to linked files`);
    if (ctx.dynamicError !== undefined) return unknown(`dynamic section unreadable: ${ctx.dynamicError}`);
    const d = ctx.dynamic;
    if (d === undefined) return pass('no dynamic section: no RPATH or RUNPATH');
    const found: { tag: string; value: string }[] = [];
    if (d.rpath !== undefined) found.push({ tag: 'DT_RPATH', value: d.rpath });
    if (d.runpath !== undefined) found.push({ tag: 'DT_RUNPATH', value: d.runpath });
    if (found.length === 0) return pass('no DT_RPATH or DT_RUNPATH');
    const bad: string[] = [];
    const origin: string[] = [];
    const described: string[] = [];
    for (const { tag, value } of found) {
      const entries = value.split(':');
      const parts = entries.map((e) => {
        const c = classifyEntry(e);
        if (c === 'empty' || c === 'relative' || c === 'world-writable') bad.push(`${JSON.stringify(e)} ${WORDS[c]}`);
        if (c === 'origin') origin.push(e);
        return JSON.stringify(e);
      });
      described.push(`${tag} ${parts.join(':')}`);
    }
    const seen = described.join('; ');
    if (bad.length > 0) return fail(`${seen}: unsafe ${bad.length === 1 ? 'entry' : 'entries'} ${bad.join(', ')}`, rpathCheck.remedy, 'unsafe');
    if (origin.length > 0) {
      return pass(`${seen}: warning, ${origin.join(', ')} is relative to the binary's directory (safe unless others can write there; glibc ignores it for setuid programs)`, 'origin');
    }
    return pass(`${seen}: absolute entries only`, 'absolute');
  },
};
