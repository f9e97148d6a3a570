/**
 * The functions glibc's _FORTIFY_SOURCE redirects to a checked variant, as of glibc 2.40: the
 * `__X_chk` exports of glibc 2.36 (79, checked against its libc.so.6), plus strlcpy, strlcat,
 * wcslcpy and wcslcat (2.38), inet_ntop and inet_pton (2.40), and memset_explicit (C23). Debian's
 * hardening-check uses an older 78-name list (src/compat/fortify-list.ts); this one is the modern
 * scanner's.
 *
 * Not every name maps to `__X_chk`: longjmp/siglongjmp/_longjmp all become __longjmp_chk, and the
 * FD_SET macros call __fdelt_chk with no unchecked function behind them.
 */

const CHK_NAMES =
  'asprintf confstr dprintf explicit_bzero fdelt fgets fgets_unlocked fgetws fgetws_unlocked fprintf ' +
  'fread fread_unlocked fwprintf getcwd getdomainname getgroups gethostname getlogin_r gets getwd ' +
  'longjmp mbsnrtowcs mbsrtowcs mbstowcs memcpy memmove mempcpy memset obstack_printf obstack_vprintf ' +
  'poll ppoll pread pread64 printf ptsname_r read readlink readlinkat realpath recv recvfrom snprintf ' +
  'sprintf stpcpy stpncpy strcat strcpy strncat strncpy swprintf syslog ttyname_r vasprintf vdprintf ' +
  'vfprintf vfwprintf vprintf vsnprintf vsprintf vswprintf vsyslog vwprintf wcpcpy wcpncpy wcrtomb ' +
  'wcscat wcscpy wcsncat wcsncpy wcsnrtombs wcsrtombs wcstombs wctomb wmemcpy wmemmove wmempcpy ' +
  'wmemset wprintf ' +
  // glibc 2.38, 2.40 and C23 additions.
  'strlcpy strlcat wcslcpy wcslcat inet_ntop inet_pton memset_explicit';

/** Fortifiable function → its checked variant. */
export const FORTIFIED: ReadonlyMap<string, string> = new Map(CHK_NAMES.split(' ').map((n) => [n, `__${n}_chk`]));

/** Unchecked names that fortify turns into another name's checked variant. */
export const UNCHECKED_ALIASES: ReadonlyMap<string, string> = new Map([
  ['siglongjmp', 'longjmp'],
  ['_longjmp', 'longjmp'],
]);

/**
 * The `_2` forms: with fortify, open(path, O_CREAT) without a mode becomes __open_2 (and so on),
 * but a correct call stays a plain `open`, so a plain `open` says nothing about fortify: these
 * names count as protected when present, never as unprotected.
 */
export const OPEN_2: ReadonlyMap<string, string> = new Map([
  ['open', '__open_2'],
  ['open64', '__open64_2'],
  ['openat', '__openat_2'],
  ['openat64', '__openat64_2'],
  ['mq_open', '__mq_open_2'],
]);

/** No unchecked function exists behind these: only the checked form can be seen. */
export const CHECKED_ONLY: ReadonlySet<string> = new Set(['fdelt']);

/**
 * Functions whose checked call gcc turns back into the plain one when it proves the size fits
 * (lintian leaves them out of its test for that reason): seeing only these unprotected does not
 * show that fortify was off.
 */
export const OFTEN_PROVEN_SAFE: ReadonlySet<string> = new Set(['memcpy', 'memmove', 'memset', 'wmemcpy', 'wmemmove', 'wmemset']);

export interface FortifyUse {
  /** Fortifiable functions called through their checked variant (by the plain name). */
  readonly protectedNames: string[];
  /** Fortifiable functions called unchecked. */
  readonly unprotectedNames: string[];
}

/** The maps above as flat lists, for the per-file loop (iterating a Map allocates an entry per step). */
const PLAIN = [...FORTIFIED.keys()];
const CHECKED = [...FORTIFIED.values()];
const UNCHECKED_PLAIN = PLAIN.filter((n) => !CHECKED_ONLY.has(n));
const ALIASES = [...UNCHECKED_ALIASES.keys()];
const OPEN_PLAIN = [...OPEN_2.keys()];
const OPEN_TWO = [...OPEN_2.values()];

/** Every name `fortifyUse` asks about (what a static binary's defined names are searched for). */
export const FORTIFY_NAMES: readonly string[] = [...new Set([...CHECKED, ...UNCHECKED_PLAIN, ...ALIASES, ...OPEN_TWO])];

/**
 * Adds `report[i]` to `into` for each `ask[i]` that `names` holds. One function for the four
 * lists below: V8 compiles `fortifyUse` with this inlined, and what it learnt from any list's
 * hits holds for all four (written as four loops, the first hit of a rare list, such as the
 * aliases, threw the compiled code away).
 */
function collect(names: ReadonlySet<string>, ask: readonly string[], report: readonly string[], into: Set<string>): void {
  for (let i = 0; i < ask.length; i++) {
    if (names.has(ask[i]!)) into.add(report[i]!);
  }
}

/** Classifies a set of symbol names (imported, or defined in a static binary). */
export function fortifyUse(names: ReadonlySet<string>): FortifyUse {
  const prot = new Set<string>();
  const unprot = new Set<string>();
  collect(names, CHECKED, PLAIN, prot);
  collect(names, UNCHECKED_PLAIN, UNCHECKED_PLAIN, unprot);
  collect(names, ALIASES, ALIASES, unprot);
  collect(names, OPEN_TWO, OPEN_PLAIN, prot);
  return { protectedNames: [...prot].sort(), unprotectedNames: [...unprot].sort() };
}
