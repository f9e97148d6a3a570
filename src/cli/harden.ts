/**
 * `harden`: the modern tool. This file only dispatches to one module per subcommand; each is
 * loaded on demand so that `harden flags` never pays for the ELF code and vice versa.
 */
// First: engine settings for every function compiled and every worker started after it.
import '../run/engine-tuning.js';
import { packageVersion } from '../io/package-files.js';

/** A subcommand: parses its own arguments and returns the exit status. */
export interface Subcommand {
  readonly summary: string;
  run(argv: string[]): Promise<number>;
}

type Loader = () => Promise<{ command: Subcommand }>;

// One line per subcommand: adding a subcommand means adding its module and one line here.
const SUBCOMMANDS: Record<string, Loader> = {
  flags: () => import('./flags-command.js'),
  audit: () => import('./audit-command.js'),
  cmake: () => import('./cmake-command.js'),
  scan: () => import('./scan-command.js'),
  serve: () => import('./serve-command.js'),
};

async function usage(): Promise<string> {
  const lines = ['Usage: harden <command> [options]', '', 'Commands:'];
  for (const [name, load] of Object.entries(SUBCOMMANDS)) {
    const { command } = await load();
    lines.push(`  ${name.padEnd(8)} ${command.summary}`);
  }
  lines.push('', 'Run `harden <command> --help` for the options of a command.');
  return lines.join('\n') + '\n';
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    process.stdout.write(await usage());
    return name === undefined ? 2 : 0;
  }
  if (name === '-V' || name === '--version') {
    process.stdout.write(`harden ${packageVersion()}\n`);
    return 0;
  }
  const load = SUBCOMMANDS[name];
  if (load === undefined) {
    process.stderr.write(`harden: unknown command '${name}'\n` + (await usage()));
    return 2;
  }
  const { command } = await load();
  return command.run(rest);
}
