/**
 * `harden serve`: serves the browser checker (dist/web/, built by `npm ci`) on localhost and
 * prints its URL. Wiring only: the server is src/serve/static-server.ts. Runs until interrupted
 * (Ctrl-C, SIGTERM), then exits 0. The page itself also works opened from its folder.
 *
 * Exit status: 0 stopped by a signal; 2 usage error, page not built, or the address is taken.
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type StaticServer, startStaticServer } from '../serve/static-server.js';
import { packageFile } from '../io/package-files.js';
import type { Subcommand } from './harden.js';

export const DEFAULT_PORT = 8347;

function port(value: string): number {
  if (!/^[0-9]+$/.test(value) || Number(value) > 65535) throw new InvalidArgumentError('--port must be a number from 0 to 65535');
  return Number(value);
}

/** dist/web of this package, when it was built. */
function pageDir(): string | undefined {
  const dir = packageFile('dist', 'web');
  return dir !== undefined && existsSync(join(dir, 'index.html')) ? dir : undefined;
}

async function run(argv: string[]): Promise<number> {
  const cmd = new Command('harden serve')
    .description('Serve the in-browser hardening checker on this machine and print its URL. Files dropped on the page are checked in the browser; nothing is uploaded.')
    .option('-p, --port <n>', `port (0 picks a free one)`, port, DEFAULT_PORT)
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .exitOverride()
    .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });
  try {
    cmd.parse(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    throw e;
  }
  const opts = cmd.opts<{ port: number; host: string }>();
  const root = pageDir();
  if (root === undefined) {
    process.stderr.write('harden serve: the page is not built (dist/web/index.html is missing): run `npm run build`\n');
    return 2;
  }
  let server: StaticServer;
  try {
    server = await startStaticServer({ root, host: opts.host, port: opts.port });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'EADDRINUSE' ? 'address in use (try --port 0)' : code === 'EADDRNOTAVAIL' ? 'address not available' : (e as Error).message;
    process.stderr.write(`harden serve: cannot listen on ${opts.host}:${opts.port}: ${why}\n`);
    return 2;
  }
  process.stdout.write(`Serving the hardening checker at ${server.url} (Ctrl-C to stop)\n`);
  return new Promise<number>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void server.close().then(() => resolve(0));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export const command: Subcommand = {
  summary: 'serve the in-browser checker (drop files, see the scan) on localhost',
  run,
};
