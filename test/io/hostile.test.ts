/**
 * Damaged containers must fail with one of the readers' typed errors: never a TypeError,
 * RangeError, hang or crash. Each fixture is built with the real tools, then bytes are flipped,
 * zeroed or cut at deterministic pseudo-random places.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { ShortReadError, BufferSource } from '../../src/io/byte-source.js';
import { ArFormatError } from '../../src/io/ar.js';
import { ContainerError, openContainer } from '../../src/io/container.js';
import { CpioFormatError } from '../../src/io/cpio.js';
import { DebFormatError } from '../../src/io/deb.js';
import { DecompressError } from '../../src/io/decompress.js';
import { RpmFormatError } from '../../src/io/rpm.js';
import { TruncatedError } from '../../src/io/sequential.js';
import { TarFormatError } from '../../src/io/tar.js';
import { DEFAULT_LIMITS, LimitError, type Limits } from '../../src/limits.js';
import { hasTool, run, scratch, writeTree } from './helpers.js';

const TYPED = [ArFormatError, ContainerError, CpioFormatError, DebFormatError, DecompressError, RpmFormatError, TruncatedError, TarFormatError, LimitError, ShortReadError];
const s = scratch('hostile');
// Small caps so a damaged size field cannot make a test allocate much.
const LIMITS: Limits = { ...DEFAULT_LIMITS, maxMemberBytes: 1 << 20, maxDecompressedBytes: 8 << 20, maxTableBytes: 1 << 20, maxWindowBytes: 8 << 20 };

function consume(bytes: Uint8Array): void {
  const c = openContainer(new BufferSource(bytes, 'fuzz'), LIMITS);
  for (const e of c.entries()) if (e.source !== undefined && e.size > 0) e.source.read(0, Math.min(16, e.size));
}

function mutations(whole: Uint8Array, count: number, seed: number): Uint8Array[] {
  let x = seed;
  const rnd = (n: number) => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x % n;
  };
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const b = Uint8Array.from(whole);
    switch (i % 4) {
      case 0:
        b[rnd(b.length)] ^= 1 << rnd(8);
        break;
      case 1:
        for (let k = 0, at = rnd(b.length); k < 4 && at + k < b.length; k++) b[at + k] = 0xff;
        break;
      case 2:
        b.fill(0, rnd(b.length), b.length);
        break;
      default:
        out.push(b.subarray(0, rnd(b.length)));
        continue;
    }
    out.push(b);
  }
  return out;
}

const fixtures: Record<string, Uint8Array> = {};

beforeAll(() => {
  writeTree(s.path('pkg'), { 'usr/bin/a': '\x7fELF' + 'a'.repeat(3000), 'usr/lib/b': 'b', 'usr/lib/c': { link: 'b' } });
  mkdirSync(s.path('pkg/DEBIAN'));
  writeFileSync(s.path('pkg/DEBIAN/control'), 'Package: fz\nVersion: 1\nArchitecture: all\nMaintainer: x <x@x>\nDescription: x\n');
  const sh = (c: string) => run('sh', ['-c', c], s.dir);
  sh('dpkg-deb -Zxz --build pkg p-xz.deb >/dev/null && dpkg-deb -Zgzip --build pkg p-gz.deb >/dev/null && dpkg-deb -Zzstd --build pkg p-zst.deb >/dev/null');
  sh('tar -cf t.tar -C pkg usr && gzip -k t.tar && xz -k t.tar');
  sh('cp pkg/usr/bin/a a.o && cp pkg/usr/lib/b b.o && ar rcs lib.a a.o b.o');
  for (const f of ['p-xz.deb', 'p-gz.deb', 'p-zst.deb', 't.tar', 't.tar.gz', 't.tar.xz', 'lib.a']) fixtures[f] = readFileSync(s.path(f));
});
afterAll(() => s.cleanup());

describe('damaged containers fail with typed errors', () => {
  it.each(['p-xz.deb', 'p-gz.deb', 'p-zst.deb', 't.tar', 't.tar.gz', 't.tar.xz', 'lib.a'])('%s', (f) => {
    consume(fixtures[f]!); // the undamaged file reads cleanly
    let failures = 0;
    for (const bad of mutations(fixtures[f]!, 60, f.length * 7919)) {
      try {
        consume(bad);
      } catch (e) {
        failures++;
        const typed = TYPED.some((T) => e instanceof T);
        expect(typed, `${f}: ${(e as Error).name}: ${(e as Error).message}\n${(e as Error).stack}`).toBe(true);
      }
    }
    // Not every flip matters (padding, timestamps), but most damage is noticed.
    expect(failures).toBeGreaterThan(10);
  });
});

describe.skipIf(!hasTool('rpmbuild'))('damaged rpm', () => {
  it('fails with typed errors', () => {
    mkdirSync(s.path('rpm/SPECS'), { recursive: true });
    writeFileSync(s.path('rpm/SPECS/t.spec'), 'Name: fz\nVersion: 1\nRelease: 1\nSummary: x\nLicense: MIT\nBuildArch: noarch\n%description\nx\n%install\nmkdir -p %{buildroot}/usr/bin\nprintf abc > %{buildroot}/usr/bin/a\n%files\n/usr/bin/a\n');
    run('sh', ['-c', 'rpmbuild -bb --define "_topdir $PWD/rpm" --define "_build_id_links none" --define "__os_install_post %{nil}" rpm/SPECS/t.spec >/dev/null 2>&1 && mv rpm/RPMS/noarch/*.rpm fz.rpm'], s.dir);
    const whole = readFileSync(s.path('fz.rpm'));
    consume(whole);
    for (const bad of mutations(whole, 80, 4242)) {
      try {
        consume(bad);
      } catch (e) {
        expect(TYPED.some((T) => e instanceof T), `${(e as Error).name}: ${(e as Error).message}\n${(e as Error).stack}`).toBe(true);
      }
    }
  });
});
