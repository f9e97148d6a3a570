import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { BufferSource } from '../../src/io/byte-source.js';
import { FileSource } from '../../src/io/file-source.js';
import { type ContainerEntry, ContainerError, detectContainer, openContainer } from '../../src/io/container.js';
import { readRpm, RpmFormatError } from '../../src/io/rpm.js';
import { DEFAULT_LIMITS, LimitError, type Limits } from '../../src/limits.js';
import { enc, hasTool, run, scratch, writeTree } from './helpers.js';

const s = scratch('cont');
const ELF_HEAD = '\x7fELF\x02\x01\x01';
const TREE = {
  'usr/bin/tool': ELF_HEAD + 'tool body\n'.repeat(50),
  'usr/lib/x86_64-linux-gnu/libz.so.1.2.13': ELF_HEAD + 'lib body',
  'usr/lib/x86_64-linux-gnu/libz.so.1': { link: 'libz.so.1.2.13' },
  'usr/share/doc/pkg/README': 'not elf\n',
  'usr/share/pkg/a-long-directory-name-to-pass-the-limit/another-long-directory-name-here/file-name-long-enough.txt': 'deep',
};

function load(path: string, limits: Limits = DEFAULT_LIMITS, opts = {}) {
  const src = FileSource.open(path);
  const c = openContainer(src, limits, opts);
  const entries: ContainerEntry[] = [...c.entries()];
  return { c, entries, byPath: new Map(entries.map((e) => [e.path, e])) };
}

const text = (e: ContainerEntry | undefined): string => new TextDecoder('latin1').decode(e!.source!.read(0, e!.source!.size));

beforeAll(() => {
  writeTree(s.path('pkg'), TREE);
  mkdirSync(s.path('pkg/DEBIAN'));
  writeFileSync(s.path('pkg/DEBIAN/control'), 'Package: hc-test\nVersion: 1:2.3-4\nArchitecture: amd64\nMaintainer: T <t@example.org>\nDescription: test\n two lines\n');
  for (const z of ['gzip', 'xz', 'zstd', 'none']) run('dpkg-deb', ['--root-owner-group', `-Z${z}`, '--build', 'pkg', `p-${z}.deb`], s.dir);
  for (const [f, flag] of [['t.tar.gz', '-z'], ['t.tar.xz', '-J'], ['t.tar.zst', '--zstd'], ['t.tar.bz2', '-j'], ['t.tar', '']] as const) {
    run('sh', ['-c', `tar ${flag} -cf ${f} -C pkg usr`], s.dir);
  }
  run('sh', ['-c', 'cp pkg/usr/share/doc/pkg/README one.txt && xz -k one.txt'], s.dir);
});
afterAll(() => s.cleanup());

describe('.deb (dpkg-deb --build)', () => {
  it.each(['gzip', 'xz', 'zstd', 'none'])('-Z%s: metadata, entries as dpkg-deb -c lists them, file bytes', (z) => {
    const f = s.path(`p-${z}.deb`);
    expect(detectContainer(readFileSync(f).subarray(0, 512))).toBe('deb');
    const { c, entries, byPath } = load(f);
    expect(c.kind).toBe('deb');
    expect(c.meta).toEqual({ format: 'deb', name: 'hc-test', version: '1:2.3-4', arch: 'amd64' });
    expect(c.compression).toBe(z === 'none' ? null : z);
    const listed = run('dpkg-deb', ['-c', f])
      .trim()
      .split('\n')
      .map((l) => l.split(/\s+/).slice(5).join(' ').split(' -> ')[0]!.replace(/^\.\//, '').replace(/\/$/, '') || '.');
    expect(entries.map((e) => e.path)).toEqual(listed);
    expect(text(byPath.get('usr/bin/tool'))).toBe(TREE['usr/bin/tool']);
    expect(byPath.get('usr/bin/tool')!.source!.name).toBe(`${f}!usr/bin/tool`);
    expect(byPath.get('usr/lib/x86_64-linux-gnu/libz.so.1')).toMatchObject({ type: 'symlink', linkTarget: 'libz.so.1.2.13' });
    expect(byPath.get('usr/share/doc')).toMatchObject({ type: 'dir' });
  });

  it('want() declines non-ELF files: they come out without bytes', () => {
    const seen: string[] = [];
    const { byPath } = load(s.path('p-xz.deb'), DEFAULT_LIMITS, {
      want: (h: { path: string }, head: Uint8Array) => {
        seen.push(h.path);
        return head[0] === 0x7f && head[1] === 0x45;
      },
    });
    expect(byPath.get('usr/bin/tool')!.source).toBeDefined();
    expect(byPath.get('usr/share/doc/pkg/README')!.source).toBeUndefined();
    expect(seen).toContain('usr/share/doc/pkg/README');
    expect(seen).not.toContain('usr/share/doc');
  });

  it('a member over maxMemberBytes is an error entry and the rest still comes', () => {
    const { entries, byPath } = load(s.path('p-zstd.deb'), { ...DEFAULT_LIMITS, maxMemberBytes: 100 });
    const big = byPath.get('usr/bin/tool')!;
    expect(big.source).toBeUndefined();
    expect(big.error).toBeInstanceOf(LimitError);
    expect((big.error as LimitError).limit).toBe('maxMemberBytes');
    expect(text(byPath.get('usr/lib/x86_64-linux-gnu/libz.so.1.2.13'))).toBe(TREE['usr/lib/x86_64-linux-gnu/libz.so.1.2.13']);
    expect(entries.length).toBeGreaterThan(5);
  });

  it('a bomb inside a package ends the iteration with the ratio limit, not a truncation', () => {
    run('sh', ['-c', 'mkdir -p bomb/DEBIAN bomb/usr && cp pkg/DEBIAN/control bomb/DEBIAN/ && head -c 200000 /dev/urandom > bomb/usr/a-random && head -c 20000000 /dev/zero > bomb/usr/zeros && dpkg-deb -Zgzip --build bomb bomb.deb >/dev/null'], s.dir);
    const c = openContainer(FileSource.open(s.path('bomb.deb')), { ...DEFAULT_LIMITS, maxCompressionRatio: 30 });
    const e = (() => {
      try {
        for (const _ of c.entries());
      } catch (err) {
        return err;
      }
    })() as LimitError;
    expect(e).toBeInstanceOf(LimitError);
    expect(e.limit).toBe('maxCompressionRatio');
  });

  it('is also an AsyncIterable', async () => {
    const c = openContainer(FileSource.open(s.path('p-gzip.deb')));
    const paths: string[] = [];
    for await (const e of c) paths.push(e.path);
    expect(paths).toContain('usr/bin/tool');
  });

  it('a truncated .deb fails with a typed error, not a crash', () => {
    const whole = readFileSync(s.path('p-xz.deb'));
    const cut = new BufferSource(whole.subarray(0, whole.length - 200), 'cut.deb');
    expect(() => [...openContainer(cut).entries()]).toThrow(/past the end|truncated/);
  });
});

describe('tarballs and compressed files', () => {
  it.each(['t.tar', 't.tar.gz', 't.tar.xz', 't.tar.zst', 't.tar.bz2'])('%s lists like tar tf', (f) => {
    const { c, entries, byPath } = load(s.path(f));
    expect(c.kind).toBe('tar');
    const listed = run('tar', ['tf', f], s.dir).trim().split('\n').map((p) => p.replace(/\/$/, ''));
    expect(entries.map((e) => e.path)).toEqual(listed);
    expect(text(byPath.get('usr/bin/tool'))).toBe(TREE['usr/bin/tool']);
  });

  it('a compressed single file is one entry named without the suffix', () => {
    const { c, entries } = load(s.path('one.txt.xz'));
    expect(c.kind).toBe('compressed');
    expect(entries.map((e) => [e.path, e.size])).toEqual([['one.txt', 8]]);
    expect(text(entries[0])).toBe('not elf\n');
  });

  it('a static archive gives zero-copy members', () => {
    writeFileSync(s.path('m.o'), ELF_HEAD + 'object');
    run('ar', ['rcS', 'lib.a', 'm.o'], s.dir);
    const { c, entries } = load(s.path('lib.a'));
    expect(c.kind).toBe('ar');
    expect(entries.map((e) => [e.path, e.type, text(e)])).toEqual([['m.o', 'file', ELF_HEAD + 'object']]);
  });

  it('a thin archive lists external members without bytes', () => {
    writeFileSync(s.path('t.o'), ELF_HEAD);
    run('ar', ['rcT', 'thin.a', 't.o'], s.dir);
    const { c, entries } = load(s.path('thin.a'));
    expect(c.kind).toBe('ar');
    expect(entries.map((e) => [e.path, e.external, e.source])).toEqual([['t.o', true, undefined]]);
  });

  it('rejects what is not a container, and too deep nesting', () => {
    expect(() => openContainer(new BufferSource(enc.encode('hello world'), 'x'))).toThrow(ContainerError);
    const e = (() => {
      try {
        openContainer(FileSource.open(s.path('t.tar')), DEFAULT_LIMITS, { depth: 5 });
      } catch (err) {
        return err;
      }
    })() as LimitError;
    expect(e.limit).toBe('maxDepth');
  });
});

describe.skipIf(!hasTool('rpmbuild'))('.rpm (rpmbuild)', () => {
  const payloads = { 'w9.gzdio': 'gzip', 'w6.xzdio': 'xz', 'w3.zstdio': 'zstd', 'w6.lzdio': 'lzma', 'w.ufdio': null } as const;
  beforeAll(() => {
    mkdirSync(s.path('rpm/SPECS'), { recursive: true });
    writeFileSync(
      s.path('rpm/SPECS/t.spec'),
      `Name: hctest
Version: 1.2
Release: 3
Summary: test
License: MIT
BuildArch: x86_64
%description
test
%install
mkdir -p %{buildroot}/usr/bin %{buildroot}/usr/lib/hctest/a-rather-long-directory-name-for-the-test
printf '\\177ELF\\002\\001\\001tool' > %{buildroot}/usr/bin/tool
ln -s tool %{buildroot}/usr/bin/tool-link
ln %{buildroot}/usr/bin/tool %{buildroot}/usr/bin/tool-hard
printf 'data' > %{buildroot}/usr/lib/hctest/a-rather-long-directory-name-for-the-test/file.dat
%files
/usr/bin/tool
/usr/bin/tool-link
/usr/bin/tool-hard
/usr/lib/hctest
`,
    );
    for (const p of Object.keys(payloads)) {
      run('sh', ['-c', `rpmbuild -bb --define "_topdir $PWD/rpm" --define "_binary_payload ${p}" --define "_build_id_links none" --define "__os_install_post %{nil}" rpm/SPECS/t.spec > rpmbuild.log 2>&1 && mv rpm/RPMS/x86_64/*.rpm ${p}.rpm`], s.dir);
    }
  });

  it.each(Object.entries(payloads))('payload %s: metadata, rpm -qlp files, bytes', (p, comp) => {
    const f = s.path(`${p}.rpm`);
    expect(detectContainer(readFileSync(f).subarray(0, 512))).toBe('rpm');
    const { c, entries, byPath } = load(f);
    expect(c.meta).toEqual({ format: 'rpm', name: 'hctest', version: '1.2', release: '3', arch: 'x86_64' });
    expect(c.compression).toBe(comp);
    const listed = run('rpm', ['-qlp', f]).trim().split('\n').map((l) => l.replace(/^\//, ''));
    expect(entries.map((e) => e.path).sort()).toEqual(listed.sort());
    const tool = [byPath.get('usr/bin/tool')!, byPath.get('usr/bin/tool-hard')!];
    // Hard links: only one of the pair carries the bytes in newc.
    expect(tool.map((e) => e.type).sort()).toEqual(['file', 'hardlink']);
    expect(text(tool.find((e) => e.type === 'file'))).toBe(`${ELF_HEAD}tool`);
    expect(byPath.get('usr/bin/tool-link')).toMatchObject({ type: 'symlink', linkTarget: 'tool' });
    expect(readRpm(FileSource.open(f), DEFAULT_LIMITS).files.map((x) => x.path).sort()).toEqual(listed.map((l) => `/${l}`).sort());
  });
});

// ---- An RPM written from the format description, so the reader is tested without rpmbuild ----

type Tag = [tag: number, type: number, value: string | string[] | number[]];

function rpmHeader(tags: Tag[], fix?: (index: DataView) => void): Uint8Array {
  const store: number[] = [];
  const index = new DataView(new ArrayBuffer(16 * tags.length));
  tags.forEach(([tag, type, value], i) => {
    const align = type === 4 ? 4 : type === 3 ? 2 : 1;
    while (store.length % align) store.push(0);
    const offset = store.length;
    let count = 1;
    if (type === 6) store.push(...enc.encode(value as string), 0);
    else if (type === 8) {
      for (const v of value as string[]) store.push(...enc.encode(v), 0);
      count = (value as string[]).length;
    } else {
      const size = type === 4 ? 4 : 2;
      for (const v of value as number[]) for (let k = size - 1; k >= 0; k--) store.push((v >>> (8 * k)) & 0xff);
      count = (value as number[]).length;
    }
    index.setUint32(i * 16, tag);
    index.setUint32(i * 16 + 4, type);
    index.setUint32(i * 16 + 8, offset);
    index.setUint32(i * 16 + 12, count);
  });
  fix?.(index);
  const intro = new DataView(new ArrayBuffer(16));
  intro.setUint32(0, 0x8eade801);
  intro.setUint32(8, tags.length);
  intro.setUint32(12, store.length);
  return Buffer.concat([new Uint8Array(intro.buffer), new Uint8Array(index.buffer), Uint8Array.from(store)]);
}

function newc(name: string, mode: number, data: string, ino: number): Uint8Array {
  const nameBytes = enc.encode(name + '\0');
  const body = enc.encode(data);
  const hex = (v: number) => v.toString(16).padStart(8, '0');
  const h = '070701' + [ino, mode, 0, 0, 1, 0, body.length, 0, 0, 0, 0, nameBytes.length, 0].map(hex).join('');
  const pad = (n: number) => new Uint8Array((4 - (n % 4)) % 4);
  return Buffer.concat([enc.encode(h), nameBytes, pad(110 + nameBytes.length), body, pad(body.length)]);
}

function craftRpm(fixMain?: (index: DataView) => void): Buffer {
  const lead = new Uint8Array(96);
  lead.set([0xed, 0xab, 0xee, 0xdb, 3, 0]);
  lead[79] = 5;
  const sig = rpmHeader([[1000, 4, [1234]]]);
  const sigPad = new Uint8Array((8 - ((sig.length - 16) % 8)) % 8);
  const main = rpmHeader(
    [
      [1000, 6, 'crafted'],
      [1001, 6, '9.9'],
      [1002, 6, '1'],
      [1022, 6, 'aarch64'],
      [1028, 4, [5, 0]],
      [1030, 3, [0o100755, 0o120777]],
      [1036, 8, ['', 'prog']],
      [1116, 4, [0, 0]],
      [1117, 8, ['prog', 'link']],
      [1118, 8, ['/usr/bin/']],
      [1124, 6, 'cpio'],
      [1125, 6, 'gzip'],
    ],
    fixMain,
  );
  const cpio = Buffer.concat([newc('./usr/bin/prog', 0o100755, 'hello', 1), newc('./usr/bin/link', 0o120777, 'prog', 2), newc('TRAILER!!!', 0, '', 0)]);
  return Buffer.concat([lead, sig, sigPad, main, gzipSync(cpio)]);
}

describe('a crafted .rpm', () => {
  it('reads metadata, the header file list and the gzip cpio payload', () => {
    const c = openContainer(new BufferSource(craftRpm(), 'crafted.rpm'));
    expect(c.meta).toEqual({ format: 'rpm', name: 'crafted', version: '9.9', release: '1', arch: 'aarch64' });
    const entries = [...c.entries()];
    expect(entries.map((e) => [e.path, e.type, e.size, e.linkTarget])).toEqual([
      ['usr/bin/prog', 'file', 5, undefined],
      ['usr/bin/link', 'symlink', 0, 'prog'],
    ]);
    expect(text(entries[0])).toBe('hello');
    expect(readRpm(new BufferSource(craftRpm(), 'c.rpm'), DEFAULT_LIMITS).files.map((f) => [f.path, f.size, f.linkTarget])).toEqual([
      ['/usr/bin/prog', 5, undefined],
      ['/usr/bin/link', 0, 'prog'],
    ]);
  });

  it.each<[string, (ix: DataView) => void, RegExp]>([
    ['a string offset past the store', (ix) => ix.setUint32(8, 1 << 20), /outside the .*store/],
    ['a huge int32 count', (ix) => ix.setUint32(4 * 16 + 12, 0x7fffffff), /run past the store/],
    ['a huge string-array count', (ix) => ix.setUint32(8 * 16 + 12, 0x7fffffff), /cannot fit|runs past/],
    ['an unknown type', (ix) => ix.setUint32(4, 77), /unknown type/],
    ['a dir index out of range', (ix) => ix.setUint32(7 * 16 + 8, 0), /DIRINDEXES|DIRNAMES|files but/],
  ])('rejects %s with RpmFormatError', (_what, fix, msg) => {
    const e = (() => {
      try {
        openContainer(new BufferSource(craftRpm(fix), 'bad.rpm'));
      } catch (err) {
        return err;
      }
    })() as Error;
    expect(e).toBeInstanceOf(RpmFormatError);
    expect(e.message).toMatch(msg);
  });

  it('rejects a header whose declared sizes run past the file', () => {
    const whole = craftRpm();
    const intro = 96;
    const bad = Buffer.from(whole);
    bad.writeUInt32BE(0xfffff, intro + 12);
    expect(() => openContainer(new BufferSource(bad, 'b.rpm'))).toThrow(/run past the end/);
    const many = Buffer.from(whole);
    many.writeUInt32BE(0x7fffffff, intro + 8);
    expect(() => openContainer(new BufferSource(many, 'm.rpm'))).toThrow(LimitError);
    expect(() => openContainer(new BufferSource(whole.subarray(0, 100), 't.rpm'))).toThrow(/truncated/);
  });
});
