/**
 * The package's own files are found from wherever the code runs: the sources (this test), the
 * compiled tree and the commands' bundle (bin/ runs dist/bundle/), each at another depth.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageFile, packageRoot, packageVersion } from '../../src/io/package-files.js';
import { REPO } from '../helpers/gcc.js';

const VERSION = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;

function run(bin: string, args: string[]): string {
  const r = spawnSync(join(REPO, 'bin', bin), args, { encoding: 'utf8' });
  expect(r.status).toBe(0);
  return r.stdout;
}

describe('package files', () => {
  it('finds the root, its version and the CMake module from the sources', () => {
    expect(packageRoot()).toBe(REPO);
    expect(packageVersion()).toBe(VERSION);
    expect(existsSync(packageFile('cmake', 'Hardening.cmake') ?? '')).toBe(true);
  });

  it('the bundled commands report the package version and find the CMake module', () => {
    expect(run('harden', ['--version'])).toBe(`harden ${VERSION}\n`);
    expect(run('harden', ['flags', '--version'])).toContain(` ${VERSION} `);
    expect(run('harden', ['cmake', '--print'])).toContain('Hardening');
    const scan = JSON.parse(run('harden', ['scan', '-f', 'json', '--no-config', '/bin/true'])) as { tool: { version: string } };
    expect(scan.tool.version).toBe(VERSION);
  });
});
