/**
 * dpkg-buildflags, as a pure function: from the environment, the vendor, the architectures and
 * the texts of the config files to every flag's value and origin, the feature states and the
 * warnings. Reading files and the process environment is the caller's job (the CLI does it),
 * so the same computation serves the CLI, the CMake module generator, the audit and a browser.
 *
 * Override order: vendor values → system config → user config → DEB_<FLAG>_<OP> →
 * DEB_<FLAG>_MAINT_<OP>; within each group SET, STRIP, APPEND, PREPEND.
 */
import { debianArch } from './arch-table.js';
import { parseConfig } from './config-file.js';
import { resolveFeatures } from './feature-rules.js';
import { readFeatureRequests, type FeatureStatus } from './features.js';
import { FLAG_OPERATIONS, type FlagSet, type Origin } from './flag-set.js';
import type { VendorInfo } from './vendor.js';
import { vendorFlags } from './vendor-flags.js';

export interface ConfigText {
  readonly path: string;
  readonly text: string;
}

export interface BuildFlagsInput {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly vendor: VendorInfo;
  /** The architecture of this machine; DEB_HOST_ARCH and DEB_BUILD_ARCH default to it. */
  readonly nativeArch: string;
  /** The current directory, the default build path. */
  readonly cwd: string;
  /** /etc/dpkg/buildflags.conf, when it exists. */
  readonly systemConfig?: ConfigText;
  /** $XDG_CONFIG_HOME/dpkg/buildflags.conf, when it exists. */
  readonly userConfig?: ConfigText;
  /** The id of the qa canary flags; random when not given. */
  readonly canaryId?: string;
}

export interface BuildFlagsResult {
  readonly vendor: VendorInfo;
  readonly hostArch: string;
  readonly buildArch: string;
  readonly features: FeatureStatus;
  readonly flags: FlagSet;
  /** The environment variables that influenced the result, sorted by name. */
  readonly environment: readonly (readonly [string, string])[];
  readonly warnings: readonly string[];
}

/** Characters a build path may hold and still be passed in -ffile-prefix-map. */
const SAFE_PATH = /^[A-Za-z0-9+\-:.~/_]+$/;

const ENV_SETTINGS = ['DEB_BUILD_ARCH', 'DEB_BUILD_MAINT_OPTIONS', 'DEB_BUILD_OPTIONS', 'DEB_HOST_ARCH', 'DEB_VENDOR'];

function randomHex(bytes: number): string {
  const data = new Uint8Array(bytes);
  globalThis.crypto.getRandomValues(data);
  return [...data].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Applies DEB_<FLAG>_{SET,STRIP,APPEND,PREPEND} then DEB_<FLAG>_MAINT_{…} to every flag of the
 * set; returns the variables that were used.
 */
export function applyEnvironmentOverrides(
  flags: FlagSet,
  env: Readonly<Record<string, string | undefined>>,
): [string, string][] {
  const used: [string, string][] = [];
  for (const maintainer of [false, true]) {
    for (const flag of flags.allFlags()) {
      for (const op of FLAG_OPERATIONS) {
        const name = maintainer ? `DEB_${flag}_MAINT_${op}` : `DEB_${flag}_${op}`;
        const value = env[name];
        if (value === undefined) continue;
        used.push([name, value]);
        flags.apply(op, flag, value, 'env', maintainer);
      }
    }
  }
  return used;
}

export function computeBuildFlags(input: BuildFlagsInput): BuildFlagsResult {
  const { env } = input;
  const warnings: string[] = [];
  const hostArch = env['DEB_HOST_ARCH'] || input.nativeArch;
  const buildArch = env['DEB_BUILD_ARCH'] || input.nativeArch;
  const arch = debianArch(hostArch);
  if (arch === undefined) {
    warnings.push(`unknown host architecture '${hostArch}'`, `unknown abi attributes for architecture '${hostArch}'`);
  }

  const requested = readFeatureRequests(env);
  warnings.push(...requested.warnings);
  const buildPath = env['DEB_BUILD_PATH'] || input.cwd;
  const family = input.vendor.family;
  const features = resolveFeatures({
    family,
    archName: hostArch,
    arch,
    requests: requested.requests,
    noopt: requested.noopt,
    buildPathSafe: SAFE_PATH.test(buildPath),
  });
  const flags = vendorFlags(
    {
      family,
      archName: hostArch,
      arch,
      features,
      noopt: requested.noopt,
      buildPath,
      dataDir: env['DPKG_DATADIR'] || '/usr/share/dpkg',
      canaryId: input.canaryId ?? randomHex(16),
    },
    buildArch,
  );

  const listed = new Set(flags.listedFlags());
  const configs: [ConfigText | undefined, Origin][] = [
    [input.systemConfig, 'system'],
    [input.userConfig, 'user'],
  ];
  for (const [config, origin] of configs) {
    if (config === undefined) continue;
    const parsed = parseConfig(config.text, config.path, listed);
    warnings.push(...parsed.warnings);
    for (const d of parsed.directives) flags.apply(d.op, d.flag, d.value, origin);
  }

  const environment = new Map<string, string>();
  for (const name of ENV_SETTINGS) {
    const value = env[name];
    if (value !== undefined) environment.set(name, value);
  }
  for (const [name, value] of applyEnvironmentOverrides(flags, env)) environment.set(name, value);

  return {
    vendor: input.vendor,
    hostArch,
    buildArch,
    features,
    flags,
    environment: [...environment.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    warnings,
  };
}
