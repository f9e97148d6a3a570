/**
 * Vendor policy: which features are enabled on which architecture, given what was asked.
 *
 * The rules are those dpkg-buildflags 1.23 is observed to apply (and its manual documents):
 * defaults per feature, features the toolchain of an architecture cannot provide (forced off
 * even when asked for), features the compiler already provides ("builtin"), and the features
 * that depend on others (bindnow needs relro, stackprotectorstrong needs stackprotector, time64
 * needs lfs, a sanitizer that implies another).
 */
import type { DebianArch } from './arch-table.js';
import type { Area, Feature, FeatureRequests, FeatureStatus } from './features.js';

export type VendorFamily = 'debian' | 'ubuntu';

/** Architectures whose gcc builds position-independent executables by default. */
const PIE_BUILTIN = new Set([
  'amd64', 'arm64', 'armel', 'armhf', 'hurd-amd64', 'hurd-i386', 'i386', 'loong64',
  'mips', 'mipsel', 'mipsn32', 'mipsn32el', 'mipsn32r6', 'mipsn32r6el', 'mipsr6', 'mipsr6el',
  'mips64', 'mips64el', 'mips64r6', 'mips64r6el', 'powerpc', 'ppc64', 'ppc64el', 'riscv64',
  's390x', 'sparc', 'sparc64',
]);

/** CPUs whose toolchain cannot build PIE at all. */
const PIE_UNSUPPORTED_CPUS = new Set(['alpha', 'hppa', 'ia64', 'm68k', 'sh4']);
/** Only Linux and Hurd toolchains are known to support PIE. */
const PIE_OSES = new Set(['linux', 'hurd']);

/** CPUs (and the old-ABI `arm` architecture) without stack protector support. */
const NO_STACKPROTECTOR_CPUS = new Set(['alpha', 'hppa', 'ia64', 'nios2']);
const NO_RELRO_CPUS = new Set(['hppa', 'ia64']);
const STACKCLASH_ARCHES = new Set(['amd64', 'arm64', 'armel', 'armhf']);

/** Architectures that never get 64-bit time_t: the Hurd kernel has no such interfaces. */
const TIME64_IMPOSSIBLE = new Set(['hurd-i386']);
/** Architectures kept on 32-bit time_t unless asked, for binary compatibility. */
const TIME64_OFF_BY_DEFAULT = new Set(['i386', 'hurd-i386']);
/**
 * Architectures whose gcc turns 64-bit time_t (and LFS) on by itself: turning time64 off there
 * must undefine the macros explicitly.
 */
export const GCC_DEFAULT_TIME64 = new Set(['armel', 'armhf', 'hppa', 'm68k', 'mips', 'mipsel', 'powerpc', 'sh4']);

/** 32-bit glibc ABIs designed with 64-bit time_t from the start. */
const TIME64_NATIVE_32BIT = new Set(['arc', 'or1k', 'x32']);

/** Ubuntu builds with LTO by default on these. */
const UBUNTU_LTO_ARCHES = new Set(['amd64', 'arm64', 'ppc64el', 's390x']);

export interface ArchPolicy {
  readonly pieBuiltin: boolean;
  readonly pieSupported: boolean;
  readonly stackprotector: boolean;
  readonly relro: boolean;
  readonly stackclash: boolean;
  readonly branch: 'cf-protection' | 'branch-protection' | undefined;
  readonly lfsBuiltin: boolean;
  readonly time64Builtin: boolean;
}

/** What the toolchain of an architecture can do; an unknown architecture gets the generic answers. */
export function archPolicy(arch: DebianArch | undefined, name: string): ArchPolicy {
  const cpu = arch?.cpu ?? '';
  const os = arch?.os ?? '';
  const bits32 = arch?.bits === 32;
  return {
    pieBuiltin: PIE_BUILTIN.has(name),
    pieSupported: PIE_OSES.has(os) && !PIE_UNSUPPORTED_CPUS.has(cpu),
    stackprotector: !NO_STACKPROTECTOR_CPUS.has(cpu) && name !== 'arm',
    relro: !NO_RELRO_CPUS.has(cpu),
    stackclash: STACKCLASH_ARCHES.has(name),
    branch: cpu === 'amd64' ? 'cf-protection' : cpu === 'arm64' ? 'branch-protection' : undefined,
    lfsBuiltin: !bits32,
    // glibc on 32-bit ABIs keeps 32-bit time_t unless asked, except on the ports born with
    // 64-bit time_t; the other C libraries made it their only choice.
    time64Builtin: !bits32 || TIME64_NATIVE_32BIT.has(name) || (arch !== undefined && arch.libc !== 'gnu'),
  };
}

export interface ResolveContext {
  readonly family: VendorFamily;
  readonly archName: string;
  readonly arch: DebianArch | undefined;
  readonly requests: FeatureRequests;
  readonly noopt: boolean;
  /** False when the build path has characters that cannot be passed in a prefix map. */
  readonly buildPathSafe: boolean;
}

type Status<A extends Area> = Map<Feature<A>, boolean>;

function pick<A extends Area>(requests: FeatureRequests, area: A, feature: Feature<A>): boolean | undefined {
  return (requests[area] as ReadonlyMap<Feature<A>, boolean>).get(feature);
}

/** Resolves the requests into the enabled features and builtins for one architecture. */
export function resolveFeatures(ctx: ResolveContext): FeatureStatus {
  const { requests, archName } = ctx;
  const policy = archPolicy(ctx.arch, archName);
  const ask = <A extends Area>(area: A, feature: Feature<A>, fallback: boolean): boolean =>
    pick(requests, area, feature) ?? fallback;

  // abi and future: time64 implies LFS where the ABI does not already provide them.
  let time64 = ask('abi', 'time64', !TIME64_OFF_BY_DEFAULT.has(archName));
  if (TIME64_IMPOSSIBLE.has(archName)) time64 = false;
  const lfsAsked = pick(requests, 'abi', 'lfs') ?? pick(requests, 'future', 'lfs') ?? false;
  const lfs = time64 && !policy.time64Builtin ? true : lfsAsked;
  const abi: Status<'abi'> = new Map([
    ['lfs', lfs],
    ['time64', time64],
  ]);
  const future: Status<'future'> = new Map([['lfs', lfs]]);

  // hardening
  const stackprotector = ask('hardening', 'stackprotector', true) && policy.stackprotector;
  const relro = ask('hardening', 'relro', true) && policy.relro;
  const pieAsked = pick(requests, 'hardening', 'pie');
  const hardening: Status<'hardening'> = new Map([
    ['bindnow', ask('hardening', 'bindnow', false) && relro],
    ['branch', ask('hardening', 'branch', true) && policy.branch !== undefined],
    ['format', ask('hardening', 'format', true)],
    ['fortify', ask('hardening', 'fortify', true) && !ctx.noopt],
    ['pie', (pieAsked ?? policy.pieBuiltin) && policy.pieSupported],
    ['relro', relro],
    ['stackclash', ask('hardening', 'stackclash', true) && policy.stackclash],
    ['stackprotector', stackprotector],
    ['stackprotectorstrong', ask('hardening', 'stackprotectorstrong', true) && stackprotector],
  ]);

  const ltoDefault = ctx.family === 'ubuntu' && UBUNTU_LTO_ARCHES.has(archName);
  const optimize: Status<'optimize'> = new Map([['lto', ask('optimize', 'lto', ltoDefault)]]);

  // qa: bug-implicit-func follows an explicit `bug` unless asked for itself.
  const bug = pick(requests, 'qa', 'bug');
  const qa: Status<'qa'> = new Map([
    ['bug', bug ?? false],
    ['bug-implicit-func', pick(requests, 'qa', 'bug-implicit-func') ?? bug ?? true],
    ['canary', ask('qa', 'canary', false)],
  ]);

  const reproducible: Status<'reproducible'> = new Map([
    ['fixdebugpath', ask('reproducible', 'fixdebugpath', true) && ctx.buildPathSafe],
    ['fixfilepath', ask('reproducible', 'fixfilepath', true) && ctx.buildPathSafe],
    ['timeless', ask('reproducible', 'timeless', true)],
  ]);

  // address and thread cannot be combined, and both imply leak.
  const address = ask('sanitize', 'address', false);
  const thread = ask('sanitize', 'thread', false) && !address;
  const sanitize: Status<'sanitize'> = new Map([
    ['address', address],
    ['leak', ask('sanitize', 'leak', false) && !address && !thread],
    ['thread', thread],
    ['undefined', ask('sanitize', 'undefined', false)],
  ]);

  return {
    enabled: { abi, future, hardening, optimize, qa, reproducible, sanitize },
    builtin: {
      abi: new Map([
        ['lfs', policy.lfsBuiltin],
        ['time64', policy.time64Builtin],
      ]),
      future: new Map(),
      hardening: new Map([['pie', policy.pieBuiltin]]),
      optimize: new Map(),
      qa: new Map(),
      reproducible: new Map(),
      sanitize: new Map(),
    },
  };
}
