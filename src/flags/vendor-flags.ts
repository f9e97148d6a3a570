/**
 * The vendor's flag values: what each enabled feature adds to which flag, in the order
 * dpkg-buildflags adds them (abi, qa, reproducible, optimize, sanitize, hardening).
 *
 * Debian adds flags for enabled features only. Ubuntu builds on Debian with fortify level 3,
 * -O3 on ppc64el, -Wl,-Bsymbolic-functions, and explicit negative flags for hardening features
 * that are off, because its compilers enable some of them by default.
 */
import type { DebianArch } from './arch-table.js';
import { archPolicy, GCC_DEFAULT_TIME64, type VendorFamily } from './feature-rules.js';
import type { Area, Feature, FeatureStatus } from './features.js';
import { FlagSet, HOST_FLAGS, type HostFlag } from './flag-set.js';

/** The compiled-language flags that get code-generation options. */
const COMPILE_FLAGS: readonly HostFlag[] = ['CFLAGS', 'CXXFLAGS', 'OBJCFLAGS', 'OBJCXXFLAGS', 'FFLAGS', 'FCFLAGS'];
/** The C-family flags that get warning options. */
const C_FAMILY_FLAGS: readonly HostFlag[] = ['CFLAGS', 'CXXFLAGS', 'OBJCFLAGS', 'OBJCXXFLAGS'];
const CANARY_FLAGS: readonly HostFlag[] = ['CPPFLAGS', 'CFLAGS', 'CXXFLAGS', 'OBJCFLAGS', 'OBJCXXFLAGS'];

export interface VendorFlagContext {
  readonly family: VendorFamily;
  readonly archName: string;
  readonly arch: DebianArch | undefined;
  readonly features: FeatureStatus;
  readonly noopt: boolean;
  /** The directory the build runs in, for the prefix maps. */
  readonly buildPath: string;
  /** Where pie-compile.specs and friends live (DPKG_DATADIR). */
  readonly dataDir: string;
  /** The random id of the qa canary options. */
  readonly canaryId: string;
}

function on<A extends Area>(features: FeatureStatus, area: A, feature: Feature<A>): boolean {
  return (features.enabled[area] as ReadonlyMap<Feature<A>, boolean>).get(feature) === true;
}

/** The optimisation level of the default flags; fortify follows it, whatever the user strips. */
export function optimisationLevel(family: VendorFamily, hostArch: string, noopt: boolean): string {
  if (noopt) return '-O0';
  return family === 'ubuntu' && hostArch === 'ppc64el' ? '-O3' : '-O2';
}

/** Sets the base values of one set of flags (host or _FOR_BUILD). */
function setBase(set: FlagSet, suffix: string, optLevel: string, noopt: boolean): void {
  for (const f of HOST_FLAGS) {
    const name = f + suffix;
    if (COMPILE_FLAGS.includes(f)) set.setVendor(name, `-g ${optLevel}`);
    else if (f === 'DFLAGS') set.setVendor(name, noopt ? '-fdebug' : '-frelease');
    else set.setVendor(name, '');
  }
}

function addTo(set: FlagSet, flags: readonly HostFlag[], text: string): void {
  for (const f of flags) set.append(f, text);
}

/**
 * Computes the vendor values of every flag. `buildArch` decides the _FOR_BUILD flags: for a
 * native build they copy the host flags; for a cross build they only get the base values.
 */
export function vendorFlags(ctx: VendorFlagContext, buildArch: string): FlagSet {
  const { features, family } = ctx;
  const set = new FlagSet();
  const optLevel = optimisationLevel(family, ctx.archName, ctx.noopt);
  setBase(set, '', optLevel, ctx.noopt);
  setBase(set, '_FOR_BUILD', optLevel, ctx.noopt);
  const policy = archPolicy(ctx.arch, ctx.archName);

  // abi: LFS then time64, unless the ABI already has them; turning time64 off where gcc
  // enables it by default has to undefine the macros.
  const lfs = on(features, 'abi', 'lfs');
  const time64 = on(features, 'abi', 'time64');
  if (lfs && !policy.lfsBuiltin) set.append('CPPFLAGS', '-D_LARGEFILE_SOURCE -D_FILE_OFFSET_BITS=64');
  if (time64 && !policy.time64Builtin) set.append('CPPFLAGS', '-D_TIME_BITS=64');
  if (!time64 && GCC_DEFAULT_TIME64.has(ctx.archName)) {
    if (!lfs) set.append('CPPFLAGS', '-U_LARGEFILE_SOURCE -U_FILE_OFFSET_BITS');
    set.append('CPPFLAGS', '-U_TIME_BITS');
  }

  // qa
  set.append(
    'CFLAGS',
    on(features, 'qa', 'bug-implicit-func')
      ? '-Werror=implicit-function-declaration'
      : '-Wno-error=implicit-function-declaration',
  );
  if (on(features, 'qa', 'bug')) {
    addTo(set, ['CFLAGS', 'CXXFLAGS'], '-Werror=array-bounds -Werror=clobbered -Werror=volatile-register-var');
  }
  if (on(features, 'qa', 'canary')) {
    for (const f of CANARY_FLAGS) set.append(f, `-D__DEB_CANARY_${f}_${ctx.canaryId}__`);
    set.append('LDFLAGS', `-Wl,-z,deb-canary-${ctx.canaryId}`);
  }

  // reproducible: the file prefix map covers the debug one.
  if (on(features, 'reproducible', 'fixfilepath')) {
    addTo(set, COMPILE_FLAGS, `-ffile-prefix-map=${ctx.buildPath}=.`);
  } else if (on(features, 'reproducible', 'fixdebugpath')) {
    addTo(set, COMPILE_FLAGS, `-fdebug-prefix-map=${ctx.buildPath}=.`);
  }
  if (on(features, 'reproducible', 'timeless')) set.append('CPPFLAGS', '-Wdate-time');

  // optimize
  if (on(features, 'optimize', 'lto')) {
    addTo(set, [...COMPILE_FLAGS, 'LDFLAGS'], '-flto=auto -ffat-lto-objects');
  }

  // sanitize
  if (on(features, 'sanitize', 'address')) {
    addTo(set, ['CFLAGS', 'CXXFLAGS'], '-fsanitize=address -fno-omit-frame-pointer');
    set.append('LDFLAGS', '-fsanitize=address');
  }
  if (on(features, 'sanitize', 'thread')) addTo(set, ['CFLAGS', 'CXXFLAGS', 'LDFLAGS'], '-fsanitize=thread');
  if (on(features, 'sanitize', 'leak')) set.append('LDFLAGS', '-fsanitize=leak');
  if (on(features, 'sanitize', 'undefined')) addTo(set, ['CFLAGS', 'CXXFLAGS', 'LDFLAGS'], '-fsanitize=undefined');

  addHardening(set, ctx, policy.pieBuiltin);

  if (buildArch === ctx.archName) {
    for (const f of HOST_FLAGS) set.setVendor(`${f}_FOR_BUILD`, set.get(f) ?? '');
  }
  if (family === 'ubuntu') {
    addList(set, ubuntuNegativeFlags(features, policy.branch));
    set.prepend('LDFLAGS', '-Wl,-Bsymbolic-functions');
  }
  return set;
}

/** The hardening area's flags, by the flag variables they go to. */
export interface HardeningFlags {
  /** CFLAGS, CXXFLAGS, OBJCFLAGS, OBJCXXFLAGS, FFLAGS, FCFLAGS. */
  readonly compile: readonly string[];
  /** The C family only (code generation and warnings, in one order). */
  readonly cFamily: readonly string[];
  readonly cpp: readonly string[];
  readonly ld: readonly string[];
}

class HardeningList {
  readonly compile: string[] = [];
  readonly cFamily: string[] = [];
  readonly cpp: string[] = [];
  readonly ld: string[] = [];
  /** Code-generation options go to every compiled language, the C family included. */
  codegen(text: string): void {
    this.compile.push(text);
    this.cFamily.push(text);
  }
}

/**
 * What the enabled hardening features add, in order. PIE is left out: dpkg passes it through
 * gcc specs files, which vendorFlags adds itself, and a build system such as CMake handles it
 * per target.
 */
export function hardeningFlags(
  family: VendorFamily,
  features: FeatureStatus,
  branch: 'cf-protection' | 'branch-protection' | undefined,
): HardeningFlags {
  const h = (f: Feature<'hardening'>): boolean => on(features, 'hardening', f);
  const list = new HardeningList();
  if (h('stackprotectorstrong')) list.codegen('-fstack-protector-strong');
  else if (h('stackprotector')) list.codegen('-fstack-protector --param=ssp-buffer-size=4');
  if (h('stackclash')) list.codegen('-fstack-clash-protection');
  if (h('format')) list.cFamily.push('-Wformat -Werror=format-security');
  if (h('fortify')) list.cpp.push(`-D_FORTIFY_SOURCE=${family === 'ubuntu' ? 3 : 2}`);
  if (h('branch')) list.codegen(branch === 'branch-protection' ? '-mbranch-protection=standard' : '-fcf-protection');
  if (h('relro')) list.ld.push('-Wl,-z,relro');
  if (h('bindnow')) list.ld.push('-Wl,-z,now');
  return list;
}

/**
 * Ubuntu's compilers enable fortify, the stack protector, stack clash protection, format
 * checks and branch protection by default, so a feature that is off must be turned off
 * explicitly. Ubuntu adds these to the host flags only, after the _FOR_BUILD copy.
 */
export function ubuntuNegativeFlags(
  features: FeatureStatus,
  branch: 'cf-protection' | 'branch-protection' | undefined,
): HardeningFlags {
  const h = (f: Feature<'hardening'>): boolean => on(features, 'hardening', f);
  const list = new HardeningList();
  if (!h('fortify')) list.cpp.push('-D_FORTIFY_SOURCE=0');
  if (!h('stackprotector')) list.codegen('-fno-stack-protector');
  if (!h('stackclash')) list.codegen('-fno-stack-clash-protection');
  if (!h('format')) list.cFamily.push('-Wno-format -Wno-error=format-security');
  if (!h('branch') && branch !== undefined) {
    list.codegen(branch === 'branch-protection' ? '-mbranch-protection=none' : '-fcf-protection=none');
  }
  return list;
}

function addList(set: FlagSet, flags: HardeningFlags): void {
  for (const f of COMPILE_FLAGS) {
    for (const text of C_FAMILY_FLAGS.includes(f) ? flags.cFamily : flags.compile) set.append(f, text);
  }
  for (const text of flags.cpp) set.append('CPPFLAGS', text);
  for (const text of flags.ld) set.append('LDFLAGS', text);
}

function addHardening(set: FlagSet, ctx: VendorFlagContext, pieBuiltin: boolean): void {
  // PIE goes through gcc specs files, and only where the compiler's default differs.
  const pie = on(ctx.features, 'hardening', 'pie');
  if (pie && !pieBuiltin) {
    addTo(set, COMPILE_FLAGS, `-specs=${ctx.dataDir}/pie-compile.specs`);
    set.append('LDFLAGS', `-specs=${ctx.dataDir}/pie-link.specs`);
  } else if (!pie && pieBuiltin) {
    addTo(set, COMPILE_FLAGS, `-specs=${ctx.dataDir}/no-pie-compile.specs`);
    set.append('LDFLAGS', `-specs=${ctx.dataDir}/no-pie-link.specs`);
  }
  addList(set, hardeningFlags(ctx.family, ctx.features, archPolicy(ctx.arch, ctx.archName).branch));
}
