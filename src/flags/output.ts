/**
 * The text formats of `harden flags`: dpkg-buildflags' own (dump, list, export sh|make|cmdline,
 * query, status, query-features), byte for byte, and two of ours (cmake, json).
 */
import type { BuildFlagsResult } from './buildflags.js';
import { AREAS, BUILTIN_FEATURES, FEATURE_AREAS, isArea, type Area, type Feature, type FeatureStatus } from './features.js';
import type { FlagSet } from './flag-set.js';

export type ExportFormat = 'sh' | 'make' | 'cmdline' | 'configure' | 'cmake' | 'json';

export const EXPORT_FORMATS: readonly ExportFormat[] = ['sh', 'make', 'cmdline', 'configure', 'cmake', 'json'];

export function isExportFormat(name: string): name is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(name);
}

const yesNo = (b: boolean): string => (b ? 'yes' : 'no');

/** `FLAG=value` lines for every flag. */
export function formatDump(flags: FlagSet): string {
  return flags
    .entries()
    .map((e) => `${e.flag}=${e.value}\n`)
    .join('');
}

/** The vendor's flag names, one a line. */
export function formatList(flags: FlagSet): string {
  return flags
    .listedFlags()
    .map((f) => `${f}\n`)
    .join('');
}

/** Flags fit for the environment: only those named with an upper-case initial. */
function exportable(flags: FlagSet): { flag: string; value: string }[] {
  return flags.entries().filter((e) => /^[A-Z]/.test(e.flag));
}

/** A CMake quoted argument: backslash, quote and `$` would be interpreted. */
function cmakeQuote(value: string): string {
  return `"${value.replace(/[\\"$]/g, (c) => `\\${c}`)}"`;
}

function joinWords(...parts: (string | undefined)[]): string {
  return parts.filter((p): p is string => p !== undefined && p !== '').join(' ');
}

/**
 * An initial-cache script for `cmake -C`: the preprocessor flags join each language's flags,
 * as CMake has no separate CPPFLAGS; LDFLAGS go to every kind of link. A profile that requires
 * PIE turns on position-independent code and links executables with -pie (CMake does not add
 * it by itself: CMake issue #14983).
 */
function formatCMake(flags: FlagSet, pie: boolean): string {
  const get = (f: string): string | undefined => flags.get(f);
  const cpp = get('CPPFLAGS');
  const vars: [string, string][] = [
    ['CMAKE_C_FLAGS', joinWords(cpp, get('CFLAGS'))],
    ['CMAKE_CXX_FLAGS', joinWords(cpp, get('CXXFLAGS'))],
    ['CMAKE_OBJC_FLAGS', joinWords(cpp, get('OBJCFLAGS'))],
    ['CMAKE_OBJCXX_FLAGS', joinWords(cpp, get('OBJCXXFLAGS'))],
    ['CMAKE_Fortran_FLAGS', joinWords(get('FCFLAGS'))],
    ['CMAKE_ASM_FLAGS', joinWords(get('ASFLAGS'))],
    ['CMAKE_EXE_LINKER_FLAGS', joinWords(get('LDFLAGS'), pie ? '-pie' : undefined)],
    ['CMAKE_SHARED_LINKER_FLAGS', joinWords(get('LDFLAGS'))],
    // Loadable modules exist to be dlopen()ed: nodlopen would make them useless.
    ['CMAKE_MODULE_LINKER_FLAGS', joinWords(...(get('LDFLAGS') ?? '').split(' ').filter((w) => w !== '-Wl,-z,nodlopen'))],
  ];
  const lines = ['# Initial cache for `cmake -C <this file>`, written by harden flags.'];
  for (const [name, value] of vars) {
    lines.push(`set(${name} ${cmakeQuote(value)} CACHE STRING "")`);
  }
  if (pie) lines.push('set(CMAKE_POSITION_INDEPENDENT_CODE ON CACHE BOOL "")');
  return lines.join('\n') + '\n';
}

function formatJson(result: ExportContext): string {
  const flags: Record<string, string> = {};
  for (const e of exportable(result.flags)) flags[e.flag] = e.value;
  const pie =
    result.pie === true ? { executableCompile: '-fPIE', executableLink: '-pie', libraryCompile: '-fPIC' } : undefined;
  return (
    JSON.stringify({ vendor: result.vendor, hostArch: result.hostArch, profile: result.profile, flags, pie }, null, 2) + '\n'
  );
}

/** What an export needs: the flags and, for json, where they came from. */
export interface ExportContext {
  readonly flags: FlagSet;
  readonly vendor: string;
  readonly hostArch: string;
  readonly profile: string;
  /** The profile requires PIE and the flags do not carry it (profiles other than dpkg's). */
  readonly pie?: boolean;
}

export function formatExport(format: ExportFormat, ctx: ExportContext): string {
  const entries = exportable(ctx.flags);
  switch (format) {
    case 'sh':
      return entries.map((e) => `export ${e.flag}="${e.value}"\n`).join('');
    case 'make':
      return entries.map((e) => `export ${e.flag} := ${e.value.replace(/\$/g, '$$$$')}\n`).join('');
    case 'cmdline':
    case 'configure':
      // No final newline: the output is meant for $(...) on a command line.
      return entries.map((e) => `${e.flag}="${e.value}" `).join('');
    case 'cmake':
      return formatCMake(ctx.flags, ctx.pie === true);
    case 'json':
      return formatJson(ctx);
  }
}

function areaFeatures<A extends Area>(status: FeatureStatus, area: A): [Feature<A>, boolean][] {
  const enabled = status.enabled[area] as ReadonlyMap<Feature<A>, boolean>;
  return (FEATURE_AREAS[area] as readonly Feature<A>[]).map((f) => [f, enabled.get(f) === true]);
}

function areaBuiltins<A extends Area>(status: FeatureStatus, area: A): [Feature<A>, boolean][] {
  const builtin = status.builtin[area] as ReadonlyMap<Feature<A>, boolean>;
  return (BUILTIN_FEATURES[area] as readonly Feature<A>[]).map((f) => [f, builtin.get(f) === true]);
}

function originLabel(e: { origin: string; maintainer: boolean }): string {
  return e.maintainer ? `${e.origin}+maintainer` : e.origin;
}

/** The deb822 synopsis of `--query`. */
export function formatQuery(result: BuildFlagsResult): string {
  const blocks: string[] = [];
  const env = result.environment.map(([k, v]) => ` ${k}=${v}\n`).join('');
  blocks.push(`Vendor: ${result.vendor.name}\nEnvironment:\n${env}`);
  for (const area of AREAS) {
    const features = areaFeatures(result.features, area)
      .map(([f, on]) => ` ${f}=${yesNo(on)}\n`)
      .join('');
    const builtins = areaBuiltins(result.features, area)
      .map(([f, on]) => ` ${f}=${yesNo(on)}\n`)
      .join('');
    blocks.push(`Area: ${area}\nFeatures:\n${features}Builtins:\n${builtins}`);
  }
  for (const e of result.flags.entries()) {
    blocks.push(`Flag: ${e.flag}\nValue: ${e.value}\nOrigin: ${originLabel(e)}\n`);
  }
  return blocks.join('\n');
}

/** The one-line-per-fact trace of `--status`, each line prefixed with `prefix`. */
export function formatStatus(result: BuildFlagsResult, prefix: string): string {
  const lines: string[] = [];
  for (const [k, v] of result.environment) lines.push(`environment variable ${k}=${v}`);
  lines.push(`vendor is ${result.vendor.name}`);
  for (const area of AREAS) {
    const features = areaFeatures(result.features, area).map(([f, on]) => ` ${f}=${yesNo(on)}`);
    const builtins = areaBuiltins(result.features, area).map(([f, on]) => ` ${f}=${yesNo(on)}`);
    lines.push(`${area} features:${features.join('')}`, `${area} builtins:${builtins.join('')}`);
  }
  for (const e of result.flags.entries()) lines.push(`${e.flag} [${originLabel(e)}]: ${e.value}`);
  return lines.map((l) => `${prefix}${l}\n`).join('');
}

/** `--query-features AREA`; undefined for an unknown area. */
export function formatQueryFeatures(result: BuildFlagsResult, area: string): string | undefined {
  if (!isArea(area)) return undefined;
  const builtinNames = new Set<string>(BUILTIN_FEATURES[area]);
  const builtins = new Map<string, boolean>(areaBuiltins(result.features, area));
  return areaFeatures(result.features, area)
    .map(([f, on]) => {
      const builtin = builtinNames.has(f) ? `Builtin: ${yesNo(builtins.get(f) === true)}\n` : '';
      return `Feature: ${f}\nEnabled: ${yesNo(on)}\n${builtin}`;
    })
    .join('\n');
}
