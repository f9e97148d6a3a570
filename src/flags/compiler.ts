/**
 * The compiler a profile is computed for: its family and version. Flags carry the first
 * version of each compiler that accepts them, and a profile only emits what the compiler in
 * use accepts. An unknown version is taken as current (every flag).
 */

export type CompilerFamily = 'gcc' | 'clang';

export interface Compiler {
  readonly family: CompilerFamily;
  /** Dotted version (`12.2.0`), or undefined when unknown. */
  readonly version?: string;
}

/** Parses `gcc`, `clang`, `gcc-12`, `clang-16.0.6`, `gcc:12.2`; undefined if not gcc or clang. */
export function parseCompiler(spec: string): Compiler | undefined {
  const m = /^(gcc|gnu|cc|g\+\+|c\+\+|clang|clang\+\+|appleclang)(?:[-:@ ]?(\d+(?:\.\d+)*))?$/i.exec(spec.trim());
  if (m === null) return undefined;
  const name = (m[1] as string).toLowerCase();
  const family: CompilerFamily = name.startsWith('clang') || name === 'appleclang' ? 'clang' : 'gcc';
  return m[2] === undefined ? { family } : { family, version: m[2] };
}

/** Maps a CMake compiler id (`GNU`, `Clang`, `AppleClang`) to a family. */
export function familyForCMakeId(id: string): CompilerFamily | undefined {
  switch (id) {
    case 'GNU':
      return 'gcc';
    case 'Clang':
    case 'AppleClang':
      return 'clang';
    default:
      return undefined;
  }
}

function parts(version: string): number[] {
  return version.split('.').map((p) => Number.parseInt(p, 10) || 0);
}

/** True when `version` is at least `minimum` (an unknown version always is). */
export function atLeast(version: string | undefined, minimum: string): boolean {
  if (version === undefined) return true;
  const a = parts(version);
  const b = parts(minimum);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x > y;
  }
  return true;
}

export function describeCompiler(c: Compiler): string {
  return c.version === undefined ? c.family : `${c.family} ${c.version}`;
}
