/**
 * `harden cmake`: prints or installs the CMake module (cmake/Hardening.cmake).
 */
import { resolve } from 'node:path';
import { Command, CommanderError } from 'commander';
import { installCMakeModule, readCMakeModule } from '../build/cmake-module.js';
import type { Subcommand } from './harden.js';

export const command: Subcommand = {
  summary: 'print (--print) or install (--install DIR) the Hardening.cmake module',
  async run(argv: string[]): Promise<number> {
    let status = 0;
    const program = new Command('harden cmake')
      .description('The CMake module that applies a hardening profile, PIC for every target and -pie for executables.')
      .option('--print', 'print the module to standard output')
      .option('--install <dir>', 'copy the module into DIR (for list(APPEND CMAKE_MODULE_PATH DIR) and include(Hardening))')
      .exitOverride()
      .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) })
      .action((opts: { print?: boolean; install?: string }) => {
        if (opts.print === true) {
          process.stdout.write(readCMakeModule());
        } else if (opts.install !== undefined) {
          const path = installCMakeModule(resolve(opts.install));
          process.stdout.write(`${path}\n`);
        } else {
          process.stderr.write('harden cmake: give --print or --install DIR (see --help)\n');
          status = 2;
        }
      });
    try {
      await program.parseAsync(argv, { from: 'user' });
      return status;
    } catch (e) {
      if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
      throw e;
    }
  },
};
