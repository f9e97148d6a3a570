import { getopt, type OptionSpec } from './getopt.js';

/** Options of the drop-in, with the names and aliases of the reference. */
export const OPTION_SPECS: readonly OptionSpec[] = [
  { key: 'nopie', long: ['nopie'], short: ['p'], kind: 'count' },
  { key: 'nostackprotector', long: ['nostackprotector'], short: ['s'], kind: 'count' },
  { key: 'nofortify', long: ['nofortify'], short: ['f'], kind: 'count' },
  { key: 'norelro', long: ['norelro'], short: ['r'], kind: 'count' },
  { key: 'nobindnow', long: ['nobindnow'], short: ['b'], kind: 'count' },
  { key: 'nocfprotection', long: ['nocfprotection'], short: ['x'], kind: 'count' },
  { key: 'nobranchprotection', long: ['nobranchprotection'], short: ['B'], kind: 'count' },
  { key: 'reportFunctions', long: ['report-functions'], short: ['R'], kind: 'negatable' },
  { key: 'findLibcFunctions', long: ['find-libc-functions'], short: ['F'], kind: 'negatable' },
  { key: 'color', long: ['color'], short: ['c'], kind: 'negatable' },
  { key: 'lintian', long: ['lintian'], short: ['l'], kind: 'negatable' },
  { key: 'verbose', long: ['verbose'], short: ['v'], kind: 'negatable' },
  { key: 'debug', long: ['debug'], short: [], kind: 'negatable' },
  { key: 'quiet', long: ['quiet'], short: ['q'], kind: 'negatable' },
  { key: 'help', long: ['help'], short: ['h', '?'], kind: 'flag' },
  { key: 'man', long: ['man'], short: ['H'], kind: 'flag' },
];

/** Which failures are reported as "(ignored)". */
export interface Skips {
  readonly pie: boolean;
  readonly stackProtector: boolean;
  readonly fortify: boolean;
  readonly relro: boolean;
  readonly bindNow: boolean;
  readonly cfProtection: boolean;
  readonly branchProtection: boolean;
}

export interface HardeningCheckOptions {
  readonly skip: Skips;
  readonly reportFunctions: boolean;
  readonly findLibcFunctions: boolean;
  readonly color: boolean;
  readonly lintian: boolean;
  readonly verbose: boolean;
  readonly debug: boolean;
  readonly quiet: boolean;
  readonly help: boolean;
  readonly man: boolean;
  readonly files: readonly string[];
}

/** Parses the command line; throws `GetoptError` on a bad option. */
export function parseOptions(argv: readonly string[]): HardeningCheckOptions {
  const { values, operands } = getopt(argv, OPTION_SPECS);
  const on = (k: string): boolean => (values.get(k) ?? 0) > 0;
  return {
    skip: {
      pie: on('nopie'),
      stackProtector: on('nostackprotector'),
      fortify: on('nofortify'),
      relro: on('norelro'),
      bindNow: on('nobindnow'),
      cfProtection: on('nocfprotection'),
      branchProtection: on('nobranchprotection'),
    },
    reportFunctions: on('reportFunctions'),
    findLibcFunctions: on('findLibcFunctions'),
    color: on('color'),
    lintian: on('lintian'),
    verbose: on('verbose'),
    debug: on('debug'),
    quiet: on('quiet'),
    help: on('help'),
    man: on('man'),
    files: operands,
  };
}
