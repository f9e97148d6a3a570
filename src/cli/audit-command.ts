/**
 * `harden audit BUILD_DIR`: reads a build tree (CMake File API, else compile_commands.json)
 * and checks every compile unit and link step against the PIC/PIE rules and a hardening
 * profile. Exit status: 0 clean, 1 findings, 2 usage, 3 unreadable build.
 */
import { writeFileSync } from 'node:fs';
import { endianness } from 'node:os';
import { resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
// Node's zlib for the compressed debug sections of the objects audited (fflate stays for the page).
import '../io/native-zlib.js';
import { auditBuild, formatAudit, loadBuild, type AuditFormat } from '../build/index.js';
import { nodeBuildFiles } from '../build/node-build-files.js';
import { debianArchForNode, isProfileName, parseCompiler, PROFILE_NAMES, profileFlags, type Compiler } from '../flags/index.js';
import { packageVersion } from '../io/package-files.js';
import type { Subcommand } from './harden.js';

interface AuditOptions {
  profile: string;
  compiler?: string;
  arch?: string;
  format: AuditFormat;
  output?: string;
  config?: string;
  writeQuery: boolean;
}

class UsageError extends Error {}

function run(buildDirArg: string, opts: AuditOptions): number {
  if (!isProfileName(opts.profile)) throw new UsageError(`unknown profile '${opts.profile}' (${PROFILE_NAMES.join(', ')})`);
  let compilerOverride: Compiler | undefined;
  if (opts.compiler !== undefined) {
    compilerOverride = parseCompiler(opts.compiler);
    if (compilerOverride === undefined) throw new UsageError(`unknown compiler '${opts.compiler}'`);
  }
  const buildDir = resolve(buildDirArg);
  const outcome = loadBuild(nodeBuildFiles, buildDir, { writeQuery: opts.writeQuery });
  if (outcome.kind === 'unreadable') {
    for (const n of outcome.notes) process.stderr.write(`harden audit: note: ${n}\n`);
    process.stderr.write(`harden audit: ${outcome.message}\n`);
    return 3;
  }
  const { model } = outcome;
  const tc = model.toolchain;
  const compiler: Compiler =
    compilerOverride ?? (tc.family !== undefined ? { family: tc.family, ...(tc.version !== undefined ? { version: tc.version } : {}) } : { family: 'gcc' });
  const arch = opts.arch ?? tc.arch ?? debianArchForNode(process.platform, process.arch, endianness()) ?? 'amd64';
  const profile = profileFlags(opts.profile, { arch, compiler });
  const result = auditBuild(model, profile, opts.config !== undefined ? { configuration: opts.config } : {});
  const text = formatAudit(opts.format, {
    model,
    profile,
    result,
    notes: outcome.notes,
    tool: { name: 'harden audit', version: packageVersion() },
  });
  if (opts.output !== undefined) writeFileSync(opts.output, text);
  else process.stdout.write(text);
  return result.findings.length > 0 ? 1 : 0;
}

export const command: Subcommand = {
  summary: 'audit a build tree (CMake File API or compile_commands.json) for PIC/PIE and hardening flags',
  async run(argv: string[]): Promise<number> {
    let status = 0;
    const program = new Command('harden audit')
      .description(
        'Checks that every compile unit and link step of a build follows the PIC/PIE rules and carries the hardening profile, before anything is built.',
      )
      .argument('<build-dir>', 'a CMake build directory, or a directory with compile_commands.json')
      .addOption(new Option('--profile <name>', 'hardening profile to require').choices([...PROFILE_NAMES]).default('debian'))
      .option('--compiler <id[-version]>', 'compiler the profile is for (default: the build\'s own)')
      .option('--arch <arch>', 'Debian architecture of the build (default: the build\'s own)')
      .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'sarif']).default('text'))
      .option('-o, --output <file>', 'write the report to a file')
      .option('--config <name>', 'audit one configuration of a multi-configuration build')
      .option('--no-write-query', 'do not create the CMake File API query when it is missing')
      .exitOverride()
      .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) })
      .action((dir: string, opts: AuditOptions) => {
        status = run(dir, opts);
      });
    try {
      await program.parseAsync(argv, { from: 'user' });
      return status;
    } catch (e) {
      if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
      if (e instanceof UsageError) {
        process.stderr.write(`harden audit: ${e.message}\n`);
        return 2;
      }
      throw e;
    }
  },
};
