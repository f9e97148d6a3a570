/**
 * `harden flags`: dpkg-buildflags' command line, computed natively, plus profiles beyond Debian.
 *
 * The arguments are parsed by hand rather than with commander: a drop-in has to reproduce
 * dpkg-buildflags' exact syntax (`--export` with an optional `=value` but never a separate
 * word, one command per invocation, its exit statuses), which commander cannot express.
 * Everything else is wiring: read the environment and config files, call src/flags, print.
 */
import { readFileSync } from 'node:fs';
import { endianness } from 'node:os';
import {
  applyEnvironmentOverrides,
  computeBuildFlags,
  debianArchForNode,
  formatDump,
  formatExport,
  formatList,
  formatQuery,
  formatQueryFeatures,
  formatStatus,
  isExportFormat,
  isProfileName,
  namedVendor,
  parseCompiler,
  profileFlags,
  profileFlagSet,
  systemInputs,
  withHardeningAll,
  type BuildFlagsResult,
  type Compiler,
  type ExportFormat,
  type FlagSet,
  type ProfileName,
  type VendorInfo,
} from '../flags/index.js';
import { packageVersion } from '../io/package-files.js';
import type { Subcommand } from './harden.js';

const PROG = 'harden flags';

type Action =
  | { kind: 'dump' | 'list' | 'status' | 'query' | 'help' | 'version' }
  | { kind: 'get' | 'origin' | 'query-features'; arg: string }
  | { kind: 'export'; format: ExportFormat };

interface Parsed {
  action: Action;
  /** The name dpkg-buildflags uses for the action in its "two commands" message. */
  vendor?: string;
  profile?: string;
  arch?: string;
  compiler?: string;
}

class UsageError extends Error {}

const USAGE = `Usage: ${PROG} [option...] [command]

Computes the compiler and linker flags of a Debian package build (what dpkg-buildflags
prints, for any vendor and architecture) or of a hardening profile.

Commands (one at most; --dump is the default):
  --get FLAG               print the value of FLAG (exit 1 if unknown)
  --origin FLAG            print where FLAG's value comes from: vendor, system, user, env
  --list                   print the flags the vendor supports
  --dump                   print every flag as FLAG=value
  --export[=FORMAT]        print the flags for sh (default), make, cmdline, configure,
                           cmake (an initial cache for cmake -C) or json
  --query                  print the vendor, environment, features and flags (deb822)
  --status                 the same, one line per fact
  --query-features AREA    print the features of AREA (abi, future, hardening, optimize,
                           qa, reproducible, sanitize)
  --help, --version

Options:
  --vendor NAME            debian or ubuntu (default: DEB_VENDOR, else the origins file)
  --arch ARCH              the host architecture (same as DEB_HOST_ARCH)
  --profile NAME           debian (dpkg's flags with hardening=+all), debian-defaults,
                           kurento (the Kurento hardening list) or openssf (the OpenSSF
                           compiler hardening guide)
  --compiler ID[-VERSION]  the compiler a kurento or openssf profile is for
                           (gcc, clang, gcc-12, clang-16; default gcc, newest)

Environment: DEB_BUILD_OPTIONS, DEB_BUILD_MAINT_OPTIONS, DEB_HOST_ARCH, DEB_BUILD_ARCH,
DEB_VENDOR, DEB_BUILD_PATH, DEB_<FLAG>_{SET,STRIP,APPEND,PREPEND} and their _MAINT_ forms,
as dpkg-buildflags(1) describes; config files /etc/dpkg/buildflags.conf and
$XDG_CONFIG_HOME/dpkg/buildflags.conf.
`;

function actionName(a: Action): string {
  return a.kind === 'export' ? `export-${a.format}` : a.kind;
}

/** Parses dpkg-buildflags' syntax plus our options. Throws UsageError as dpkg-buildflags exits 2. */
export function parseFlagsArgs(argv: readonly string[]): Parsed {
  let action: Action | undefined;
  const parsed: Omit<Parsed, 'action'> = {};
  const setAction = (next: Action, optionName: string): void => {
    if (action !== undefined) {
      throw new UsageError(`two commands specified: --${optionName} and --${actionName(action)}`);
    }
    action = next;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const needsParam = (name: string): string => {
      const value = argv[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a parameter`);
      return value;
    };
    // Our own options take `--opt value` or `--opt=value`.
    const own = /^--(vendor|profile|arch|compiler)(?:=(.*))?$/.exec(arg);
    if (own !== null) {
      const name = own[1] as 'vendor' | 'profile' | 'arch' | 'compiler';
      parsed[name] = own[2] ?? needsParam(name);
      continue;
    }
    switch (arg) {
      case '--get':
      case '--origin':
      case '--query-features': {
        const kind = arg.slice(2) as 'get' | 'origin' | 'query-features';
        const value = needsParam(kind);
        setAction({ kind, arg: value }, kind);
        continue;
      }
      case '--dump':
      case '--list':
      case '--status':
      case '--query':
        setAction({ kind: arg.slice(2) as 'dump' | 'list' | 'status' | 'query' }, arg.slice(2));
        continue;
      case '--help':
      case '-?':
        return { ...parsed, action: { kind: 'help' } };
      case '--version':
        return { ...parsed, action: { kind: 'version' } };
    }
    const exp = /^--export(?:=(.*))?$/.exec(arg);
    if (exp !== null) {
      const format = exp[1] ?? 'sh';
      if (!isExportFormat(format)) throw new UsageError(`unknown option '${arg}'`);
      setAction({ kind: 'export', format }, 'export');
      continue;
    }
    throw new UsageError(`unknown option '${arg}'`);
  }
  return { ...parsed, action: action ?? { kind: 'dump' } };
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function nativeArch(): string {
  return debianArchForNode(process.platform, process.arch, endianness()) ?? 'amd64';
}

function namedVendorOption(name: string | undefined): VendorInfo | undefined {
  if (name === undefined) return undefined;
  const v = namedVendor(name);
  if (v === undefined) throw new UsageError(`unknown vendor '${name}' (debian or ubuntu)`);
  return v;
}

function dpkgResult(parsed: Parsed, profile: ProfileName | undefined): BuildFlagsResult {
  const env: Record<string, string | undefined> = { ...process.env };
  if (parsed.arch !== undefined) env['DEB_HOST_ARCH'] = parsed.arch;
  if (profile === 'debian') env['DEB_BUILD_MAINT_OPTIONS'] = withHardeningAll(env['DEB_BUILD_MAINT_OPTIONS']);
  return computeBuildFlags(
    systemInputs({ env, cwd: process.cwd(), nativeArch: nativeArch(), read: readText, vendor: namedVendorOption(parsed.vendor) }),
  );
}

function profileResult(parsed: Parsed, profile: 'kurento' | 'openssf'): { flags: FlagSet; arch: string; pie: boolean } {
  let compiler: Compiler = { family: 'gcc' };
  if (parsed.compiler !== undefined) {
    const c = parseCompiler(parsed.compiler);
    if (c === undefined) throw new UsageError(`unknown compiler '${parsed.compiler}' (gcc or clang, optionally -VERSION)`);
    compiler = c;
  }
  const arch = parsed.arch || process.env['DEB_HOST_ARCH'] || nativeArch();
  const pf = profileFlags(profile, { arch, compiler });
  const flags = profileFlagSet(pf);
  // The user's DEB_<FLAG>_<OP> overrides apply to profiles as well.
  applyEnvironmentOverrides(flags, process.env);
  return { flags, arch, pie: pf.pie };
}

function run(parsed: Parsed): number {
  const { action } = parsed;
  if (action.kind === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (action.kind === 'version') {
    process.stdout.write(`${PROG} ${packageVersion()} (dpkg-buildflags 1.23 compatible)\n`);
    return 0;
  }
  let profile: ProfileName | undefined;
  if (parsed.profile !== undefined) {
    if (!isProfileName(parsed.profile)) throw new UsageError(`unknown profile '${parsed.profile}'`);
    profile = parsed.profile;
  }

  let flags: FlagSet;
  let vendorName: string;
  let hostArch: string;
  let result: BuildFlagsResult | undefined;
  let pie: boolean | undefined;
  if (profile === 'kurento' || profile === 'openssf') {
    if (action.kind === 'query' || action.kind === 'status' || action.kind === 'query-features') {
      throw new UsageError(`--${action.kind} describes dpkg's feature areas; it does not apply to --profile ${profile}`);
    }
    const r = profileResult(parsed, profile);
    flags = r.flags;
    hostArch = r.arch;
    pie = r.pie;
    vendorName = profile;
  } else {
    result = dpkgResult(parsed, profile);
    for (const w of result.warnings) process.stderr.write(`${PROG}: warning: ${w}\n`);
    flags = result.flags;
    hostArch = result.hostArch;
    vendorName = result.vendor.name;
  }

  const out = (text: string): void => void process.stdout.write(text);
  switch (action.kind) {
    case 'dump':
      out(formatDump(flags));
      return 0;
    case 'list':
      out(formatList(flags));
      return 0;
    case 'get': {
      const value = flags.get(action.arg);
      if (value === undefined) return 1;
      out(`${value}\n`);
      return 0;
    }
    case 'origin': {
      const origin = flags.origin(action.arg);
      if (origin === undefined) return 1;
      out(`${origin}\n`);
      return 0;
    }
    case 'export':
      out(formatExport(action.format, { flags, vendor: vendorName, hostArch, profile: profile ?? 'dpkg', pie }));
      return 0;
    case 'query':
      if (result !== undefined) out(formatQuery(result));
      return 0;
    case 'status':
      if (result !== undefined) out(formatStatus(result, `${PROG}: status: `));
      return 0;
    case 'query-features': {
      const text = result === undefined ? undefined : formatQueryFeatures(result, action.arg);
      if (text === undefined) return 1;
      out(text);
      return 0;
    }
  }
}

export const command: Subcommand = {
  summary: 'compute build flags (dpkg-buildflags, natively; Debian, Ubuntu, OpenSSF, Kurento)',
  async run(argv: string[]): Promise<number> {
    try {
      return run(parseFlagsArgs(argv));
    } catch (e) {
      if (e instanceof UsageError) {
        process.stderr.write(`${PROG}: error: ${e.message}\n\nUse --help for program usage information.\n`);
        return 2;
      }
      throw e;
    }
  },
};
