/**
 * Hardening profiles: the flag sets a build should use, per compiler and architecture, as
 * structured lists (the CMake module, the audit and `harden flags --profile` read them).
 *
 * - `debian`: dpkg's hardening area with `hardening=+all` (what the seed's build uses: the
 *   defaults plus immediate binding);
 * - `debian-defaults`: dpkg's hardening area as it comes;
 * - `kurento`: exactly the measures the seed lists (format, fortify 2, stack protector strong,
 *   RELRO, BIND_NOW, PIC/PIE);
 * - `openssf`: the OpenSSF Compiler Options Hardening Guide for C and C++ (its baseline, the
 *   architecture-specific and compiler-specific additions, and its production-code options),
 *   each flag only for the compiler versions that accept it.
 *
 * PIC/PIE is not a flag of the lists: it depends on the kind of target, so profiles say
 * whether they require it and the build applies -fPIE/-pie to executables and -fPIC to
 * libraries.
 */
import { debianArch } from './arch-table.js';
import { atLeast, type Compiler } from './compiler.js';
import { archPolicy, resolveFeatures, type VendorFamily } from './feature-rules.js';
import type { Area, Feature, FeatureRequests } from './features.js';
import { hardeningFlags, ubuntuNegativeFlags } from './vendor-flags.js';

export type ProfileName = 'debian' | 'debian-defaults' | 'kurento' | 'openssf';

export const PROFILE_NAMES: readonly ProfileName[] = ['debian', 'debian-defaults', 'kurento', 'openssf'];

export function isProfileName(name: string): name is ProfileName {
  return (PROFILE_NAMES as readonly string[]).includes(name);
}

export interface ProfileContext {
  /** Debian architecture name of the host (`amd64`). */
  readonly arch: string;
  readonly compiler: Compiler;
  /** Vendor policy for the Debian profiles. */
  readonly family?: VendorFamily;
}

export interface OmittedFlag {
  readonly flag: string;
  readonly reason: string;
}

export interface ProfileFlags {
  readonly profile: ProfileName;
  readonly arch: string;
  readonly compiler: Compiler;
  /** The optimisation level fortify needs (at least -O1). */
  readonly optimize: string;
  /** Preprocessor options, for every C-family language. */
  readonly cpp: readonly string[];
  readonly c: readonly string[];
  readonly cxx: readonly string[];
  /** Linker options for executables and shared libraries. */
  readonly ld: readonly string[];
  /** Linker options that must not reach loadable modules (plugins are meant to be dlopen()ed). */
  readonly ldNotModules: readonly string[];
  /** Executables compiled -fPIE and linked -pie; library code compiled -fPIC. */
  readonly pie: boolean;
  /** Flags of the profile left out because the compiler does not accept them. */
  readonly omitted: readonly OmittedFlag[];
}

/** First versions of gcc and clang that accept a flag; a missing entry means "never". */
interface Support {
  readonly gcc?: string;
  readonly clang?: string;
}

/** Compiler support of the flags whose support is not universal (OpenSSF guide, tables 1 and 2). */
const SUPPORT: Readonly<Record<string, Support>> = {
  '-fstack-protector-strong': { gcc: '4.9', clang: '6.0' },
  '-fstack-clash-protection': { gcc: '8', clang: '11' },
  '-fcf-protection': { gcc: '8', clang: '7' },
  '-fcf-protection=full': { gcc: '8', clang: '7' },
  '-mbranch-protection=standard': { gcc: '9', clang: '8' },
  '-D_FORTIFY_SOURCE=3': { gcc: '12', clang: '9' },
  '-fstrict-flex-arrays=3': { gcc: '13', clang: '16' },
  // clang 8 to 15 accept =zero only with an extra, self-described temporary flag.
  '-ftrivial-auto-var-init=zero': { gcc: '12', clang: '16' },
  '-Wimplicit-fallthrough': { gcc: '7', clang: '4' },
  '-Wtrampolines': { gcc: '4.3' },
  '-fno-strict-overflow': { gcc: '4.2' },
  '-fno-delete-null-pointer-checks': { gcc: '3', clang: '7' },
};

/** Whether the compiler accepts a flag; the reason when it does not. */
export function flagSupport(flag: string, compiler: Compiler): string | undefined {
  const s = SUPPORT[flag];
  if (s === undefined) return undefined;
  const min = s[compiler.family];
  if (min === undefined) return `${compiler.family} has no ${flag}`;
  if (!atLeast(compiler.version, min)) return `${flag} needs ${compiler.family} ${min} or later`;
  return undefined;
}

class Builder {
  readonly cpp: string[] = [];
  readonly c: string[] = [];
  readonly cxx: string[] = [];
  readonly ld: string[] = [];
  readonly ldNotModules: string[] = [];
  readonly omitted: OmittedFlag[] = [];
  pie = true;

  constructor(private readonly compiler: Compiler) {}

  /** True when the compiler takes the flag; records why not otherwise. */
  accepts(flag: string): boolean {
    const reason = flagSupport(flag, this.compiler);
    if (reason !== undefined) this.omitted.push({ flag, reason });
    return reason === undefined;
  }

  /** Adds compile flags for C and C++ (each word checked on its own). */
  compile(...flags: string[]): void {
    for (const f of flags) {
      if (!this.accepts(f)) continue;
      this.c.push(f);
      this.cxx.push(f);
    }
  }

  preprocess(...flags: string[]): void {
    for (const f of flags) if (this.accepts(f)) this.cpp.push(f);
  }

  link(...flags: string[]): void {
    for (const f of flags) if (this.accepts(f)) this.ld.push(f);
  }
}

const words = (texts: readonly string[]): string[] => texts.flatMap((t) => t.split(/\s+/)).filter((w) => w !== '');

function debianProfile(name: 'debian' | 'debian-defaults', ctx: ProfileContext, b: Builder): void {
  const family = ctx.family ?? 'debian';
  const hardening = new Map<Feature<'hardening'>, boolean>();
  if (name === 'debian') {
    for (const f of ['bindnow', 'branch', 'format', 'fortify', 'pie', 'relro', 'stackclash', 'stackprotector', 'stackprotectorstrong'] as const) {
      hardening.set(f, true);
    }
  }
  const none = <A extends Area>(): ReadonlyMap<Feature<A>, boolean> => new Map<Feature<A>, boolean>();
  const requests: FeatureRequests = {
    abi: none<'abi'>(),
    future: none<'future'>(),
    hardening,
    optimize: none<'optimize'>(),
    qa: none<'qa'>(),
    reproducible: none<'reproducible'>(),
    sanitize: none<'sanitize'>(),
  };
  const arch = debianArch(ctx.arch);
  const features = resolveFeatures({ family, archName: ctx.arch, arch, requests, noopt: false, buildPathSafe: true });
  const branch = archPolicy(arch, ctx.arch).branch;
  const positive = hardeningFlags(family, features, branch);
  const negative = family === 'ubuntu' ? ubuntuNegativeFlags(features, branch) : undefined;
  const flags = {
    cpp: [...positive.cpp, ...(negative?.cpp ?? [])],
    cFamily: [...positive.cFamily, ...(negative?.cFamily ?? [])],
    ld: positive.ld,
  };
  b.pie = features.enabled.hardening.get('pie') === true;
  const fortify = words(flags.cpp);
  for (const f of fortify) {
    // Fortify level 3 falls back to 2 on compilers that do not have it.
    if (f === '-D_FORTIFY_SOURCE=3' && !b.accepts(f)) b.preprocess('-D_FORTIFY_SOURCE=2');
    else b.preprocess(f);
  }
  // The code-generation options are shared by every language; the C family adds warnings.
  for (const f of words(flags.cFamily)) b.compile(f);
  b.link(...words(flags.ld));
}

function kurentoProfile(b: Builder): void {
  b.preprocess('-D_FORTIFY_SOURCE=2');
  b.compile('-Wformat', '-Werror=format-security', '-fstack-protector-strong');
  b.link('-Wl,-z,relro', '-Wl,-z,now');
}

function openssfProfile(ctx: ProfileContext, b: Builder): void {
  const gcc = ctx.compiler.family === 'gcc';
  const cpu = debianArch(ctx.arch)?.cpu ?? ctx.arch;
  // Baseline, in the guide's order.
  b.compile('-Wall', '-Wformat', '-Wformat=2', '-Wconversion', '-Wimplicit-fallthrough', '-Werror=format-security');
  if (b.accepts('-D_FORTIFY_SOURCE=3')) b.preprocess('-U_FORTIFY_SOURCE', '-D_FORTIFY_SOURCE=3');
  else b.preprocess('-U_FORTIFY_SOURCE', '-D_FORTIFY_SOURCE=2');
  b.preprocess('-D_GLIBCXX_ASSERTIONS');
  b.compile('-fstrict-flex-arrays=3', '-fstack-clash-protection', '-fstack-protector-strong');
  // Compiler and architecture additions.
  if (gcc) b.compile('-Wtrampolines');
  if (cpu === 'amd64' || cpu === 'i386') b.compile('-fcf-protection=full');
  if (cpu === 'arm64') b.compile('-mbranch-protection=standard');
  // Production code.
  b.compile('-fno-delete-null-pointer-checks', '-fno-strict-aliasing', '-ftrivial-auto-var-init=zero');
  if (gcc) b.compile('-fno-strict-overflow');
  b.link(
    '-Wl,-z,noexecstack',
    '-Wl,-z,relro',
    '-Wl,-z,now',
    '-Wl,--as-needed',
    '-Wl,--no-copy-dt-needed-entries',
  );
  b.ldNotModules.push('-Wl,-z,nodlopen');
}

/** The flags of a profile for one compiler and architecture. */
export function profileFlags(profile: ProfileName, ctx: ProfileContext): ProfileFlags {
  const b = new Builder(ctx.compiler);
  switch (profile) {
    case 'debian':
    case 'debian-defaults':
      debianProfile(profile, ctx, b);
      break;
    case 'kurento':
      kurentoProfile(b);
      break;
    case 'openssf':
      openssfProfile(ctx, b);
      break;
  }
  return {
    profile,
    arch: ctx.arch,
    compiler: ctx.compiler,
    optimize: '-O2',
    cpp: b.cpp,
    c: b.c,
    cxx: b.cxx,
    ld: b.ld,
    ldNotModules: b.ldNotModules,
    pie: b.pie,
    omitted: b.omitted,
  };
}
