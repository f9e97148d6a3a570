/**
 * `harden flags` against the newest dpkg-buildflags: the same inputs must give the same
 * output, byte for byte, across architectures, vendors, option sets, config files and
 * environment overrides. Our side is computed in-process (the CLI does nothing else than
 * systemInputs → computeBuildFlags → format); a last block runs the CLI itself.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  computeBuildFlags,
  formatExport,
  formatQuery,
  formatQueryFeatures,
  namedVendor,
  systemInputs,
  type BuildFlagsResult,
} from '../../src/flags/index.js';
import {
  inPool,
  makeSandbox,
  normaliseCanary,
  ReferenceCache,
  referenceMissing,
  runTool,
  USER_CONFIG,
  type RunResult,
  type Sandbox,
} from './reference.js';

const missing = referenceMissing();
if (missing !== undefined) console.log(`skipping the dpkg-buildflags comparison: ${missing}`);

// Chosen for their differences: default PIE or not, stack protector, RELRO, stack clash and
// branch protection support, 32-bit time_t rules, a non-glibc and a non-Linux port.
const DEBIAN_ARCHES = [
  'amd64', 'arm64', 'armel', 'armhf', 'i386', 'x32', 'ppc64el', 's390x', 'hppa', 'ia64', 'hurd-i386',
  'musl-linux-amd64',
];
const UBUNTU_ARCHES = ['amd64', 'arm64', 'i386', 'ppc64el'];
/** Ubuntu is compared on the first option sets only: the rules it changes are hardening's. */
const UBUNTU_SETS = 4;

/** Option sets: each is run as given and with `noopt` added to DEB_BUILD_OPTIONS. */
const OPTION_SETS: readonly Readonly<Record<string, string>>[] = [
  {},
  { DEB_BUILD_MAINT_OPTIONS: 'hardening=+all' },
  { DEB_BUILD_MAINT_OPTIONS: 'hardening=-all' },
  { DEB_BUILD_MAINT_OPTIONS: 'hardening=+all,-pie,-stackprotectorstrong' },
  { DEB_BUILD_OPTIONS: 'hardening=-format,-branch', DEB_BUILD_MAINT_OPTIONS: 'hardening=+format,-relro,+bindnow' },
  { DEB_BUILD_MAINT_OPTIONS: 'qa=+all reproducible=-fixfilepath optimize=+lto sanitize=+address,+undefined' },
  { DEB_BUILD_OPTIONS: 'abi=-time64', DEB_BUILD_MAINT_OPTIONS: 'future=+lfs abi=+time64' },
  { DEB_BUILD_MAINT_OPTIONS: 'abi=-time64,+lfs sanitize=+thread,+leak qa=-bug-implicit-func' },
  {
    DEB_CFLAGS_APPEND: '-DENV_APPEND  -DTWO',
    DEB_CFLAGS_MAINT_STRIP: '-g -DTWO',
    DEB_CPPFLAGS_PREPEND: '-DENV_PREPEND',
    DEB_LDFLAGS_SET: '-Wl,-O1',
    DEB_LDFLAGS_MAINT_APPEND: '-Wl,--as-needed',
    DEB_CXXFLAGS_MAINT_SET: '',
    DEB_FFLAGS_MAINT_PREPEND: '-DM',
    DEB_CFLAGS_FOR_BUILD_APPEND: '-DFB',
  },
  {
    DEB_BUILD_OPTIONS: ' parallel=4 noopt,x Hardening=-all hardening=+all,,+pie=x',
    DEB_BUILD_MAINT_OPTIONS: 'qa=+bug qa=+canary foo=+bar',
  },
];

interface Case {
  readonly label: string;
  readonly env: Readonly<Record<string, string>>;
  /** Variables only the reference gets (the vendor, when ours is chosen with --vendor). */
  readonly refEnv?: Readonly<Record<string, string>>;
  /** Use our --vendor option instead of DEB_VENDOR (compared on the flags only). */
  readonly vendorOption?: string;
}

function withNoopt(env: Readonly<Record<string, string>>): Record<string, string> {
  const opts = env['DEB_BUILD_OPTIONS'];
  return { ...env, DEB_BUILD_OPTIONS: opts === undefined ? 'noopt' : `${opts} noopt` };
}

function buildCases(): Case[] {
  const cases: Case[] = [];
  const add = (vendor: string, arches: readonly string[], sets: number, vendorOption?: string): void => {
    for (const arch of arches) {
      OPTION_SETS.slice(0, sets).forEach((set, i) => {
        for (const noopt of [false, true]) {
          const env: Record<string, string> = { ...(noopt ? withNoopt(set) : set), DEB_HOST_ARCH: arch };
          const label = `${vendorOption ? `--vendor ${vendorOption}` : vendor} ${arch} set ${i}${noopt ? ' +noopt' : ''}`;
          if (vendorOption === undefined) cases.push({ label, env: { ...env, DEB_VENDOR: vendor } });
          else cases.push({ label, env, refEnv: { DEB_VENDOR: vendor }, vendorOption });
        }
      });
    }
  };
  add('Debian', DEBIAN_ARCHES, OPTION_SETS.length);
  add('Ubuntu', UBUNTU_ARCHES, UBUNTU_SETS);
  add('Ubuntu', ['ppc64el'], 1, 'ubuntu');
  // Cross builds: the _FOR_BUILD flags get the base values only.
  cases.push({ label: 'Debian cross armhf on i386', env: { DEB_HOST_ARCH: 'armhf', DEB_BUILD_ARCH: 'i386' } });
  cases.push({ label: 'Ubuntu cross ppc64el on amd64', env: { DEB_HOST_ARCH: 'ppc64el', DEB_BUILD_ARCH: 'amd64', DEB_VENDOR: 'Ubuntu' } });
  // Build paths a prefix map cannot carry turn the reproducible path features off.
  cases.push({ label: 'unsafe build path', env: { DEB_BUILD_PATH: '/build/a b' } });
  cases.push({ label: 'unusual safe build path', env: { DEB_BUILD_PATH: '/build/pkg-1.0+dfsg~1:x_y' } });
  return cases;
}

/** What the reference prints for one case: the three outputs compared. */
interface Outputs {
  readonly exportSh: RunResult;
  readonly hardening: RunResult;
  readonly query: RunResult | undefined;
}

const CASES = buildCases();

function wantsQuery(c: Case, index: number): boolean {
  return c.vendorOption === undefined && (index % 4 === 0 || !c.label.includes(' set '));
}

describe.skipIf(missing !== undefined)('harden flags matches dpkg-buildflags-newest', () => {
  let sandbox: Sandbox;
  const reference = new Map<string, Outputs>();

  const caseEnv = (c: Case, configHome: string): Record<string, string> => ({
    ...sandbox.env,
    XDG_CONFIG_HOME: configHome,
    ...c.env,
  });

  const ours = (c: Case, configHome: string): BuildFlagsResult => {
    const env = caseEnv(c, configHome);
    const read = (path: string): string | undefined => (existsSync(path) ? readFileSync(path, 'utf8') : undefined);
    const vendor = c.vendorOption === undefined ? undefined : namedVendor(c.vendorOption);
    return computeBuildFlags(
      systemInputs({ env, cwd: sandbox.cwd, nativeArch: 'amd64', read, ...(vendor ? { vendor } : {}) }),
    );
  };

  beforeAll(async () => {
    sandbox = makeSandbox();
    const cache = new ReferenceCache();
    // One config home for the whole matrix would hide config bugs behind env ones and vice
    // versa: every other case reads the test-made user config. The full --query (features of
    // every area, origins, environment) is compared on every fourth case to bound the run time.
    const jobs = CASES.map((c, i) => async () => {
      const env = { ...caseEnv(c, i % 2 === 0 ? sandbox.emptyConfigHome : sandbox.configHome), ...c.refEnv };
      const ask = (args: readonly string[]): Promise<RunResult> => cache.run(args, env, sandbox.cwd, USER_CONFIG);
      const exportSh = await ask(['--export=sh']);
      const hardening = await ask(['--query-features', 'hardening']);
      const query = wantsQuery(c, i) ? await ask(['--query']) : undefined;
      reference.set(c.label, { exportSh, hardening, query });
    });
    await inPool(jobs, 2);
    cache.save();
  });

  afterAll(() => sandbox?.cleanup());

  it('covers at least 12 architectures and 8 option sets, with and without noopt', () => {
    expect(DEBIAN_ARCHES.length).toBeGreaterThanOrEqual(12);
    expect(OPTION_SETS.length).toBeGreaterThanOrEqual(8);
    const debianNoopt = CASES.filter((c) => c.label.startsWith('Debian ') && c.label.endsWith('+noopt'));
    expect(debianNoopt.length).toBe(DEBIAN_ARCHES.length * OPTION_SETS.length);
  });

  it.each(CASES.map((c, i) => [c.label, i] as const))('%s', (label, i) => {
    const c = CASES[i] as Case;
    const ref = reference.get(label) as Outputs;
    const result = ours(c, i % 2 === 0 ? sandbox.emptyConfigHome : sandbox.configHome);

    expect(ref.exportSh.status).toBe(0);
    const sh = formatExport('sh', { flags: result.flags, vendor: result.vendor.name, hostArch: result.hostArch, profile: 'dpkg' });
    expect(normaliseCanary(sh)).toBe(normaliseCanary(ref.exportSh.stdout));
    expect(formatQueryFeatures(result, 'hardening')).toBe(ref.hardening.stdout);
    if (ref.query !== undefined) expect(normaliseCanary(formatQuery(result))).toBe(normaliseCanary(ref.query.stdout));
  });
});

const HARDEN = fileURLToPath(new URL('../../bin/harden', import.meta.url));
const DIST = fileURLToPath(new URL('../../dist/src/cli/flags-command.js', import.meta.url));
const cliMissing = missing ?? (existsSync(DIST) ? undefined : `${DIST} is not built (npm run build)`);
if (missing === undefined && cliMissing !== undefined) console.log(`skipping the CLI comparison: ${cliMissing}`);

describe.skipIf(cliMissing !== undefined)('the harden flags command line matches dpkg-buildflags-newest', () => {
  let sandbox: Sandbox;
  let cache: ReferenceCache;
  beforeAll(() => {
    sandbox = makeSandbox();
    cache = new ReferenceCache();
  });
  afterAll(() => {
    cache?.save();
    sandbox?.cleanup();
  });

  const invocations: readonly (readonly string[])[] = [
    ['--export=sh'],
    ['--export'],
    ['--export=make'],
    ['--export=cmdline'],
    ['--export=configure'],
    ['--dump'],
    ['--list'],
    ['--get', 'CFLAGS'],
    ['--get', 'NOSUCHFLAG'],
    ['--origin', 'LDFLAGS'],
    ['--query-features', 'hardening'],
    ['--query-features', 'abi'],
    ['--query-features', 'nosucharea'],
    ['--get'],
    ['--export=nosuchformat'],
    ['--dump', '--list'],
    ['NOTANOPTION'],
  ];
  const envs: readonly Readonly<Record<string, string>>[] = [
    { DEB_HOST_ARCH: 'amd64', DEB_BUILD_MAINT_OPTIONS: 'hardening=+all', DEB_CFLAGS_MAINT_APPEND: '-DDOLLAR=$x' },
    { DEB_HOST_ARCH: 'armhf', DEB_VENDOR: 'Ubuntu', DEB_BUILD_OPTIONS: 'noopt' },
  ];

  it.each(envs.flatMap((env) => invocations.map((args) => [args.join(' '), args, env] as const)))(
    '%s (same stdout and exit status)',
    async (_label, args, env) => {
      const full = { ...sandbox.env, ...env };
      const [ref, ours] = await Promise.all([
        cache.run(args, full, sandbox.cwd, ''),
        runTool(HARDEN, ['flags', ...args], full, sandbox.cwd),
      ]);
      expect(ours.status).toBe(ref.status);
      expect(ours.stdout).toBe(ref.stdout);
    },
  );

  it('--status says the same as dpkg-buildflags, under its own name', async () => {
    const env = { ...sandbox.env, DEB_HOST_ARCH: 'arm64', DEB_CFLAGS_MAINT_APPEND: '-DX' };
    const [ref, ours] = await Promise.all([
      cache.run(['--status'], env, sandbox.cwd, ''),
      runTool(HARDEN, ['flags', '--status'], env, sandbox.cwd),
    ]);
    expect(ours.stdout.replaceAll('harden flags: status: ', 'P: ')).toBe(
      ref.stdout.replaceAll('dpkg-buildflags: status: ', 'P: '),
    );
    expect(ours.stdout).toContain('harden flags: status: CFLAGS [vendor+maintainer]: ');
  });

  it('--vendor ubuntu --arch ppc64el gives what DEB_VENDOR=Ubuntu DEB_HOST_ARCH=ppc64el gives', async () => {
    const [ref, ours] = await Promise.all([
      cache.run(['--export=sh'], { ...sandbox.env, DEB_VENDOR: 'Ubuntu', DEB_HOST_ARCH: 'ppc64el' }, sandbox.cwd, ''),
      runTool(HARDEN, ['flags', '--vendor', 'ubuntu', '--arch=ppc64el', '--export=sh'], sandbox.env, sandbox.cwd),
    ]);
    expect(ours.stdout).toBe(ref.stdout);
    expect(ours.stdout).toContain('export CFLAGS="-g -O3 ');
  });
});
