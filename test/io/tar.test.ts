import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { BufferSource } from '../../src/io/byte-source.js';
import { FileSource } from '../../src/io/file-source.js';
import { decompressStream } from '../../src/io/decompress.js';
import { sequentialFromSource, sequentialFromStream, TruncatedError } from '../../src/io/sequential.js';
import { TarFormatError, TarReader, type TarEntry, isTarHeader } from '../../src/io/tar.js';
import { DEFAULT_LIMITS, LimitError } from '../../src/limits.js';
import { run, scratch, writeTree } from './helpers.js';

const s = scratch('tar');
const LONG_DIR = 'a-directory-name-that-is-quite-long/another-rather-long-directory-name-here';
const LONG_FILE = `${LONG_DIR}/and-a-file-name-that-pushes-the-path-well-past-one-hundred-bytes.bin`;
const TREE = {
  'usr/bin/tool': 'ELF-ish bytes\n'.repeat(100),
  'usr/lib/libx.so.1.2': 'library',
  'usr/lib/libx.so.1': { link: 'libx.so.1.2' },
  'usr/share/doc/x/empty': '',
  [LONG_FILE]: 'long',
  'usr/share/unicodé.txt': 'ü',
};

function list(src: BufferSource | FileSource, stream = false): { entries: TarEntry[]; data: Map<string, string> } {
  const reader = stream ? sequentialFromStream(decompressStream(src, 'gzip')) : sequentialFromSource(src);
  const t = new TarReader(reader, DEFAULT_LIMITS);
  const entries: TarEntry[] = [];
  const data = new Map<string, string>();
  for (let e = t.next(); e !== null; e = t.next()) {
    entries.push(e);
    if (e.type === 'file' && e.size > 0 && e.path.endsWith('libx.so.1.2')) {
      expect(new TextDecoder().decode(t.peekData(3))).toBe('lib');
    }
    if (e.type === 'file') data.set(e.path, new TextDecoder().decode(t.takeData(`x!${e.path}`).read(0, e.size)));
  }
  return { entries, data };
}

function tarList(file: string): string[] {
  return run('tar', ['tf', file], s.dir)
    .trim()
    .split('\n')
    .map((p) => p.replace(/^\.\//, '').replace(/\/$/, '') || '.');
}

beforeAll(() => {
  writeTree(s.path('root'), TREE);
  run('tar', ['--format=gnu', '-cf', 'gnu.tar', '-C', 'root', '.'], s.dir);
  run('tar', ['--format=pax', '-cf', 'pax.tar', '-C', 'root', '.'], s.dir);
  run('tar', ['--format=ustar', '-cf', 'ustar.tar', '-C', 'root', 'usr'], s.dir);
  run('tar', ['--format=v7', '-cf', 'v7.tar', '-C', 'root', 'usr/bin', 'usr/lib'], s.dir);
  run('tar', ['--format=gnu', '-czf', 'gnu.tar.gz', '-C', 'root', '.'], s.dir);
  run('sh', ['-c', 'cd root && ln usr/bin/tool usr/bin/tool-hard && tar --format=gnu -cf ../hard.tar usr/bin'], s.dir);
});
afterAll(() => s.cleanup());

describe('tar formats, checked against `tar tf`', () => {
  it.each(['gnu.tar', 'pax.tar', 'ustar.tar', 'v7.tar'])('%s: same entries, types, link targets and data', (f) => {
    const { entries, data } = list(FileSource.open(s.path(f)));
    expect(entries.map((e) => e.path)).toEqual(tarList(f));
    const byPath = new Map(entries.map((e) => [e.path, e]));
    expect(byPath.get('usr/lib/libx.so.1')).toMatchObject({ type: 'symlink', linkTarget: 'libx.so.1.2', size: 0 });
    expect(byPath.get('usr/lib')).toMatchObject({ type: 'dir' });
    expect(data.get('usr/bin/tool')).toBe(TREE['usr/bin/tool']);
    expect(byPath.get('usr/bin/tool')!.mode & 0o777).toBe(0o644);
    if (f !== 'v7.tar') {
      expect(data.get('usr/share/doc/x/empty')).toBe('');
      expect(data.get('usr/share/unicodé.txt')).toBe('ü');
    }
    if (f === 'gnu.tar' || f === 'pax.tar') expect(data.get(LONG_FILE)).toBe('long');
  });

  it('ustar splits long paths into prefix and name', () => {
    const { entries } = list(FileSource.open(s.path('ustar.tar')));
    expect(entries.some((e) => e.path === 'usr/share/doc/x/empty')).toBe(true);
  });

  it('gives zero-copy slices over a file and copies over a stream, with the same bytes', () => {
    const a = list(FileSource.open(s.path('gnu.tar')));
    const b = list(FileSource.open(s.path('gnu.tar.gz')), true);
    expect([...b.data]).toEqual([...a.data]);
    expect(b.entries.map((e) => e.path)).toEqual(a.entries.map((e) => e.path));
  });

  it('reports hard links with their target', () => {
    const { entries } = list(FileSource.open(s.path('hard.tar')));
    expect(entries.find((e) => e.path === 'usr/bin/tool-hard')).toMatchObject({ type: 'hardlink', linkTarget: 'usr/bin/tool', size: 0 });
  });

  it('skips the map extension blocks of an old GNU sparse entry and reads the entries after it', () => {
    // 30 data regions among holes: more than the 4 map entries a header holds, so GNU tar
    // writes extension blocks (Go's testdata/gnu-sparse-big.tar has them too).
    run('sh', ['-c', 'mkdir -p sp && for i in $(seq 0 29); do printf x | dd of=sp/holes bs=1 seek=$((i * 65536)) conv=notrunc status=none; done && echo after > sp/z-after'], s.dir);
    run('tar', ['--format=oldgnu', '--sparse', '-cf', 'sparse.tar', '-C', 'sp', 'holes', 'z-after'], s.dir);
    const raw = readFileSync(s.path('sparse.tar'));
    expect(String.fromCharCode(raw[156]!)).toBe('S');
    expect(raw[482]).toBe(1);
    const { entries, data } = list(FileSource.open(s.path('sparse.tar')));
    expect(entries.map((e) => [e.path, e.type, e.typeflag])).toEqual([
      ['holes', 'other', 'S'],
      ['z-after', 'file', '0'],
    ]);
    expect(data.get('z-after')).toBe('after\n');
  });

  it('recognises a header block', () => {
    const b = readFileSync(s.path('gnu.tar'));
    expect(isTarHeader(b.subarray(0, 512))).toBe(true);
    expect(isTarHeader(new Uint8Array(512))).toBe(false);
  });
});

/** One header block with a valid checksum. */
function header(name: string, size: string, typeflag = '0', fix?: (b: Uint8Array) => void): Uint8Array {
  const b = new Uint8Array(512);
  const put = (at: number, text: string) => b.set(new TextEncoder().encode(text), at);
  put(0, name);
  put(100, '0000644\0');
  put(124, size);
  put(156, typeflag);
  put(257, 'ustar\x0000');
  fix?.(b);
  b.fill(0x20, 148, 156);
  let sum = 0;
  for (const x of b) sum += x;
  put(148, sum.toString(8).padStart(6, '0') + '\0 ');
  return b;
}

function errorOf(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

function readAll(bytes: Uint8Array, limits = DEFAULT_LIMITS): string[] {
  const t = new TarReader(sequentialFromSource(new BufferSource(bytes, 'crafted.tar')), limits);
  const out: string[] = [];
  for (let e = t.next(); e !== null; e = t.next()) out.push(`${e.path}:${e.size}`);
  return out;
}

describe('malformed tar', () => {
  const data = new Uint8Array(512).fill(0x41);
  const end = new Uint8Array(1024);

  it('reads a crafted archive', () => {
    expect(readAll(Buffer.concat([header('a', '00000000001'), data, end]))).toEqual(['a:1']);
  });

  it('rejects a bad checksum with the offset', () => {
    const h = header('a', '00000000001');
    h[0] = 0x62;
    const e = errorOf(() => readAll(Buffer.concat([h, data, end]))) as TarFormatError;
    expect(e).toBeInstanceOf(TarFormatError);
    expect([e.field, e.offset]).toEqual(['checksum', 0]);
  });

  it('rejects a non-octal size', () => {
    const e = errorOf(() => readAll(Buffer.concat([header('a', '0000000009x'), data, end]))) as TarFormatError;
    expect(e.field).toBe('size');
  });

  it('a size past the end is TruncatedError when the data is skipped', () => {
    const e = errorOf(() => readAll(Buffer.concat([header('a', '77777777777'), data])));
    expect(e).toBeInstanceOf(TruncatedError);
  });

  it('a truncated header is TruncatedError', () => {
    const e = errorOf(() => readAll(Buffer.concat([header('a', '00000000001'), data, header('b', '0').subarray(0, 100)])));
    expect(e).toBeInstanceOf(TruncatedError);
  });

  it('rejects a GNU long name bigger than the metadata cap, and a bad pax record', () => {
    const e = errorOf(() => readAll(Buffer.concat([header('././@LongLink', '77777777', 'L'), data]))) as TarFormatError;
    expect(e.field).toBe('GNU long name');
    const pax = new TextEncoder().encode('99 path=x\n');
    const paxBlock = new Uint8Array(512);
    paxBlock.set(pax);
    const e2 = errorOf(() => readAll(Buffer.concat([header('PaxHeader', pax.length.toString(8).padStart(11, '0'), 'x'), paxBlock, header('a', '0'), end]))) as TarFormatError;
    expect(e2.field).toBe('pax record');
  });

  it('pax size overrides the header size', () => {
    const pax = new TextEncoder().encode('12 size=600\n');
    const paxBlock = new Uint8Array(512);
    paxBlock.set(pax);
    const out = readAll(Buffer.concat([header('P', '00000000014', 'x'), paxBlock, header('big', '0'), new Uint8Array(1024), end]));
    expect(out).toEqual(['big:600']);
  });

  it('GNU base-256 sizes are read', () => {
    const h = header('b256', '', '0', (b) => {
      b[124] = 0x80;
      b[135] = 1;
    });
    expect(readAll(Buffer.concat([h, data, end]))).toEqual(['b256:1']);
  });

  it('stops at maxMembers, and a member over maxMemberBytes can be skipped', () => {
    const two = Buffer.concat([header('a', '00000000001'), data, header('b', '00000000001'), data, end]);
    const e = errorOf(() => readAll(two, { ...DEFAULT_LIMITS, maxMembers: 1 })) as LimitError;
    expect(e.limit).toBe('maxMembers');
    const gz = Buffer.from(run('sh', ['-c', `cd ${s.dir} && gzip -c gnu.tar | base64 -w0`]), 'base64');
    const t = new TarReader(sequentialFromStream(decompressStream(new BufferSource(gz, 'g.tar.gz'), 'gzip')), { ...DEFAULT_LIMITS, maxMemberBytes: 100 });
    const seen: string[] = [];
    for (let en = t.next(); en !== null; en = t.next()) {
      if (en.type !== 'file') continue;
      const err = errorOf(() => t.takeData(en.path));
      seen.push(`${en.path}:${err instanceof LimitError ? err.limit : 'ok'}`);
    }
    expect(seen).toContain('usr/bin/tool:maxMemberBytes');
    expect(seen).toContain('usr/lib/libx.so.1.2:ok');
  });
});
