/**
 * The files the browser tests drop on the page and scan with the CLI: gcc-built executables
 * and archives (test/scan/fixtures.ts), committed cross-architecture fixtures, a non-ELF file,
 * a truncated ELF, and real packages (.deb, .rpm, .tar.gz from test/packages/fixtures.ts) when
 * their tools are present. All in one folder under short names, so that the CLI, run there
 * with the names as arguments, reports the paths the page shows for the dropped files.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { have, REPO } from '../helpers/gcc.js';
import { buildDeb, buildRpm, buildTarball, buildTree as buildPackageTree } from '../packages/fixtures.js';
import { buildTree } from '../scan/fixtures.js';

export interface WebFixtures {
  readonly dir: string;
  /** File names in `dir`, in the order they are given to the CLI and dropped on the page. */
  readonly names: readonly string[];
}

const CROSS: readonly [string, string][] = [
  ['aarch64/hardened', 'aarch64-hardened'],
  ['armhf/rwx', 'armhf-rwx'],
  ['riscv64/libtextrel.so', 'riscv64-libtextrel.so'],
  ['s390x/static', 's390x-static'],
  ['i386/libnopic.a', 'i386-libnopic.a'],
  ['ppc64el/rpath', 'ppc64el-rpath'],
];

export function buildWebFixtures(): WebFixtures {
  const dir = mkdtempSync(join(tmpdir(), 'harden-web-'));
  const names: string[] = [];
  const put = (from: string, name: string): void => {
    copyFileSync(from, join(dir, name));
    names.push(name);
  };
  const t = buildTree();
  put(t.hardened, 'hardened');
  put(t.lazy, 'lazy');
  put(t.weak, 'weak');
  put(t.archive, 'libpair.a');
  put(t.broken, 'libbroken.a');
  put(t.text, 'notes.txt');
  writeFileSync(join(dir, 'truncated'), readFileSync(t.hardened).subarray(0, 300));
  names.push('truncated');
  for (const [from, name] of CROSS) put(join(REPO, 'test', 'fixtures', 'cross', from), name);
  const w = buildPackageTree();
  if (have('dpkg-deb')) put(buildDeb(w, 'xz'), 'hc-test_amd64.deb');
  if (have('rpmbuild')) put(buildRpm(w, 'zstd'), 'hc-test.x86_64.rpm');
  put(buildTarball(w, 'tar.gz'), 'hc-test-2.3.tar.gz');
  return { dir, names };
}
