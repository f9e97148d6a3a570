/**
 * Build-flag computation: dpkg-buildflags natively (every vendor rule, architecture, option,
 * config file and environment override), the hardening profiles, and the output formats.
 * Everything here is pure: inputs in, text or data out.
 */
export { allDebianArches, debianArch, debianArchFromGnuTriplet, type DebianArch } from './arch-table.js';
export { parseBuildOptions, parseFeatureSwitches, withHardeningAll } from './build-options.js';
export { applyEnvironmentOverrides, computeBuildFlags, type BuildFlagsInput, type BuildFlagsResult, type ConfigText } from './buildflags.js';
export { atLeast, familyForCMakeId, parseCompiler, type Compiler, type CompilerFamily } from './compiler.js';
export { parseConfig } from './config-file.js';
export { archPolicy, resolveFeatures, type VendorFamily } from './feature-rules.js';
export { AREAS, FEATURE_AREAS, readFeatureRequests, type Area, type FeatureStatus } from './features.js';
export { ALL_FLAGS, FlagSet, HOST_FLAGS, type FlagOperation, type Origin } from './flag-set.js';
export { debianArchForNode } from './native-arch.js';
export {
  EXPORT_FORMATS,
  formatDump,
  formatExport,
  formatList,
  formatQuery,
  formatQueryFeatures,
  formatStatus,
  isExportFormat,
  type ExportFormat,
} from './output.js';
export { profileFlagSet } from './profile-flag-set.js';
export {
  flagSupport,
  isProfileName,
  PROFILE_NAMES,
  profileFlags,
  type ProfileFlags,
  type ProfileName,
} from './profiles.js';
export { SYSTEM_CONFIG_PATH, systemInputs, type ReadText, type SystemInputOptions } from './system-inputs.js';
export { namedVendor, resolveVendor, type VendorInfo } from './vendor.js';
