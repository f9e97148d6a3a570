import { describe, expect, it } from 'vitest';
import { BufferSource } from '../../src/io/byte-source.js';
import { CpioFormatError, CpioReader, type CpioEntry, isCpioMagic } from '../../src/io/cpio.js';
import { sequentialFromSource, TruncatedError } from '../../src/io/sequential.js';
import { DEFAULT_LIMITS, LimitError } from '../../src/limits.js';
import { enc } from './helpers.js';

const hex = (v: number) => v.toString(16).padStart(8, '0');
const pad = (n: number) => new Uint8Array((4 - (n % 4)) % 4);

/** One newc record; `fields` overrides header fields by index (0 = ino ... 12 = check). */
function rec(name: string, mode: number, data: string, opts: { nlink?: number; ino?: number; raw?: Record<number, string>; magic?: string } = {}): Uint8Array {
  const nameBytes = enc.encode(name + '\0');
  const body = enc.encode(data);
  const f = [opts.ino ?? 1, mode, 0, 0, opts.nlink ?? 1, 1700000000, body.length, 0, 0, 0, 0, nameBytes.length, 0].map(hex);
  for (const [i, v] of Object.entries(opts.raw ?? {})) f[Number(i)] = v;
  return Buffer.concat([enc.encode((opts.magic ?? '070701') + f.join('')), nameBytes, pad(110 + nameBytes.length), body, pad(body.length)]);
}
const trailer = () => rec('TRAILER!!!', 0, '');

function readAll(bytes: Uint8Array, limits = DEFAULT_LIMITS): Array<[CpioEntry, string | null]> {
  const c = new CpioReader(sequentialFromSource(new BufferSource(bytes, 'a.cpio')), limits);
  const out: Array<[CpioEntry, string | null]> = [];
  for (let e = c.next(); e !== null; e = c.next()) {
    out.push([e, e.type === 'file' ? new TextDecoder().decode(c.takeData(e.path).read(0, e.size)) : null]);
  }
  return out;
}

function errorOf(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('cpio newc', () => {
  it('reads files, symlinks, directories, hard links and the trailer', () => {
    const bytes = Buffer.concat([
      rec('.', 0o40755, ''),
      rec('./bin', 0o40755, ''),
      rec('./bin/a', 0o100755, 'hello', { ino: 7 }),
      rec('./bin/l', 0o120777, 'a'),
      rec('./bin/h1', 0o100755, '', { nlink: 2, ino: 9 }),
      rec('./bin/h2', 0o100755, 'xy', { nlink: 2, ino: 9, magic: '070702' }),
      trailer(),
    ]);
    expect(isCpioMagic(bytes)).toBe(true);
    expect(readAll(bytes).map(([e, d]) => [e.path, e.type, e.size, e.linkTarget, d])).toEqual([
      ['.', 'dir', 0, undefined, null],
      ['bin', 'dir', 0, undefined, null],
      ['bin/a', 'file', 5, undefined, 'hello'],
      ['bin/l', 'symlink', 0, 'a', null],
      ['bin/h1', 'hardlink', 0, undefined, null],
      ['bin/h2', 'file', 2, undefined, 'xy'],
    ]);
  });

  it('rejects a non-hex field, naming it', () => {
    const e = errorOf(() => readAll(Buffer.concat([rec('a', 0o100644, 'x', { raw: { 6: '0000000g' } }), trailer()]))) as CpioFormatError;
    expect(e).toBeInstanceOf(CpioFormatError);
    expect(e.field).toBe('filesize');
  });

  it('rejects a zero or huge name size', () => {
    for (const v of ['00000000', '7fffffff']) {
      const e = errorOf(() => readAll(rec('a', 0o100644, 'x', { raw: { 11: v } }))) as CpioFormatError;
      expect(e.field).toBe('namesize');
    }
  });

  it('rejects a bad magic and a missing trailer', () => {
    expect((errorOf(() => readAll(enc.encode('070707' + '0'.repeat(200)))) as CpioFormatError).field).toBe('magic');
    expect((errorOf(() => readAll(rec('a', 0o100644, 'x'))) as CpioFormatError).field).toBe('trailer');
  });

  it('a size past the end is a TruncatedError', () => {
    const e = errorOf(() => readAll(rec('a', 0o100644, 'x', { raw: { 6: '7fffffff' } })));
    expect(e).toBeInstanceOf(TruncatedError);
  });

  it('stops at maxMembers', () => {
    const e = errorOf(() => readAll(Buffer.concat([rec('a', 0o100644, ''), rec('b', 0o100644, ''), trailer()]), { ...DEFAULT_LIMITS, maxMembers: 1 })) as LimitError;
    expect(e.limit).toBe('maxMembers');
  });

  it("resolves rpm's stripped 07070X entries through the package file list", () => {
    const stripped = (i: number) => Buffer.concat([enc.encode('07070X' + hex(i)), pad(14)]);
    const bytes = Buffer.concat([stripped(1), enc.encode('data'), stripped(0), trailer()]);
    const files = [
      { path: '/usr/bin/l', size: 0, mode: 0o120777, mtime: 0, linkTarget: 'x' },
      { path: '/usr/bin/x', size: 4, mode: 0o100755, mtime: 0 },
    ];
    const c = new CpioReader(sequentialFromSource(new BufferSource(bytes, 's.cpio')), DEFAULT_LIMITS, (i) => files[i] ?? null);
    const seen: string[] = [];
    for (let e = c.next(); e !== null; e = c.next()) {
      seen.push(`${e.path}:${e.type}:${e.type === 'file' ? new TextDecoder().decode(c.takeData(e.path).read(0, e.size)) : e.linkTarget}`);
    }
    expect(seen).toEqual(['usr/bin/x:file:data', 'usr/bin/l:symlink:x']);
    const bad = Buffer.concat([stripped(5), trailer()]);
    const e = errorOf(() => new CpioReader(sequentialFromSource(new BufferSource(bad, 'b')), DEFAULT_LIMITS, (i) => files[i] ?? null).next()) as CpioFormatError;
    expect(e.field).toBe('file index');
  });
});
