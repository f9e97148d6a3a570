import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { BufferSource } from '../../src/io/byte-source.js';
import { FileSource } from '../../src/io/file-source.js';
import {
  ArFormatError,
  arMemberSource,
  isArArchive,
  isThinArArchive,
  readArMembers,
  readArSymbolIndex,
} from '../../src/io/ar.js';
import { DEFAULT_LIMITS, LimitError } from '../../src/limits.js';
import { enc, hasTool, run, scratch } from './helpers.js';

const s = scratch('ar');
const LONG = 'this_is_a_very_long_member_name.o';

beforeAll(() => {
  writeFileSync(s.path('a.c'), 'int f(void){return 1;}\n');
  writeFileSync(s.path('b.c'), 'int g_longer_function_name(void){return 2;}\nint h(void){return 3;}\n');
  run('gcc', ['-c', 'a.c', '-o', 'a.o'], s.dir);
  run('gcc', ['-c', 'b.c', '-o', LONG], s.dir);
  writeFileSync(s.path('odd.txt'), 'odd'); // 3 bytes: forces a pad byte
  run('ar', ['rcs', 'gnu.a', 'a.o', LONG, 'odd.txt'], s.dir);
  run('ar', ['rcT', 'thin.a', 'a.o', LONG], s.dir);
  run('ar', ['rcS', 'noindex.a', 'a.o', 'odd.txt'], s.dir);
});
afterAll(() => s.cleanup());

function names(path: string): string[] {
  const src = FileSource.open(path);
  try {
    return [...readArMembers(src)].map((m) => m.name);
  } finally {
    src.close();
  }
}

describe('GNU archives', () => {
  it('lists the same members as `ar t`, long names resolved through the // table', () => {
    const expected = run('ar', ['t', 'gnu.a'], s.dir).trim().split('\n');
    expect(expected).toEqual(['a.o', LONG, 'odd.txt']);
    expect(names(s.path('gnu.a'))).toEqual(expected);
  });

  it('gives each member as a zero-copy slice with the exact bytes and metadata', () => {
    const src = FileSource.open(s.path('gnu.a'));
    const members = [...readArMembers(src)];
    for (const m of members) {
      const bytes = arMemberSource(src, m).read(0, m.size);
      expect(Buffer.from(bytes).equals(readFileSync(s.path(m.name)))).toBe(true);
      expect(m.external).toBe(false);
    }
    expect(members[2]).toMatchObject({ name: 'odd.txt', size: 3, mode: 0o644 });
    expect(arMemberSource(src, members[1]!).name).toBe(`${src.name}!${LONG}`);
    src.close();
  });

  it('reads the symbol index and maps symbols to member header offsets', () => {
    const src = FileSource.open(s.path('gnu.a'));
    const idx = readArSymbolIndex(src);
    expect(idx?.format).toBe('gnu');
    const byOffset = new Map([...readArMembers(src)].map((m) => [m.headerOffset, m.name]));
    const syms = idx!.symbols.map((x) => `${x.name}@${byOffset.get(x.memberHeaderOffset)}`);
    expect(syms).toEqual(['f@a.o', `g_longer_function_name@${LONG}`, `h@${LONG}`]);
    src.close();
  });

  it('returns null for an archive without an index', () => {
    const src = FileSource.open(s.path('noindex.a'));
    expect(readArSymbolIndex(src)).toBeNull();
    expect([...readArMembers(src)].map((m) => m.name)).toEqual(['a.o', 'odd.txt']);
    src.close();
  });
});

describe.skipIf(!hasTool('llvm-ar'))('BSD archives (llvm-ar --format=bsd)', () => {
  beforeAll(() => {
    run('llvm-ar', ['rcs', '--format=bsd', 'bsd.a', 'a.o', LONG, 'odd.txt'], s.dir);
  });

  it('resolves #1/len names and shifts the data offset past them', () => {
    const src = FileSource.open(s.path('bsd.a'));
    const members = [...readArMembers(src)];
    expect(members.map((m) => m.name)).toEqual(['a.o', LONG, 'odd.txt']);
    for (const m of members) {
      expect(Buffer.from(arMemberSource(src, m).read(0, m.size)).equals(readFileSync(s.path(m.name)))).toBe(true);
    }
    src.close();
  });

  it('reads the __.SYMDEF index', () => {
    const src = FileSource.open(s.path('bsd.a'));
    const idx = readArSymbolIndex(src)!;
    expect(idx.format).toBe('bsd');
    const byOffset = new Map([...readArMembers(src)].map((m) => [m.headerOffset, m.name]));
    expect(idx.symbols.map((x) => `${x.name}@${byOffset.get(x.memberHeaderOffset)}`).sort()).toEqual(
      ['f@a.o', `g_longer_function_name@${LONG}`, `h@${LONG}`].sort(),
    );
    src.close();
  });
});

describe('thin archives', () => {
  it('reports members as external files and reads no data', () => {
    const src = FileSource.open(s.path('thin.a'));
    expect(isArArchive(src)).toBe(true);
    expect(isThinArArchive(src)).toBe(true);
    const members = [...readArMembers(src)];
    expect(members.map((m) => [m.name, m.external, m.size])).toEqual([
      ['a.o', true, readFileSync(s.path('a.o')).length],
      [LONG, true, readFileSync(s.path(LONG)).length],
    ]);
    expect(run('ar', ['t', 'thin.a'], s.dir).trim().split('\n')).toEqual(['a.o', LONG]);
    expect(readArSymbolIndex(src)?.symbols.map((x) => x.name)).toEqual(['f', 'g_longer_function_name', 'h']);
    src.close();
  });
});

/** Builds an archive from hand-written headers: [name, size field, data]. */
function craft(members: Array<[string, string, Uint8Array | string]>, magic = '!<arch>\n'): BufferSource {
  const parts: Uint8Array[] = [enc.encode(magic)];
  for (const [name, size, data] of members) {
    const d = typeof data === 'string' ? enc.encode(data) : data;
    const h = name.padEnd(16) + '0'.padEnd(12) + '0'.padEnd(6) + '0'.padEnd(6) + '644'.padEnd(8) + size.padEnd(10) + '`\n';
    parts.push(enc.encode(h), d);
    if (d.length & 1) parts.push(enc.encode('\n'));
  }
  return new BufferSource(Buffer.concat(parts), 'crafted.a');
}

function errorOf(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('crafted variants', () => {
  it('reads BSD #1/len names and a __.SYMDEF index without llvm-ar', () => {
    const name = 'a_long_bsd_member_name.o';
    const nameField = name.padEnd(28, '\0'); // BSD pads the name to a multiple of 4
    // ranlib: 8 bytes of records (1 record), then the string table size and strings.
    const sym = new Uint8Array(4 + 8 + 4 + 4);
    const dv = new DataView(sym.buffer);
    dv.setUint32(0, 8, true);
    dv.setUint32(4, 0, true); // string offset
    dv.setUint32(8, 8 + 60 + 20 + 20 + (20 & 1), true); // header offset of the next member
    dv.setUint32(12, 4, true);
    sym.set(enc.encode('fn\0\0'), 16);
    const src = craft([
      ['#1/20', String(20 + sym.length), Buffer.concat([enc.encode('__.SYMDEF\0\0\0\0\0\0\0\0\0\0\0'), sym])],
      [`#1/${nameField.length}`, String(nameField.length + 3), nameField + 'abc'],
    ]);
    const members = [...readArMembers(src)];
    expect(members.map((m) => [m.name, m.size])).toEqual([[name, 3]]);
    expect(new TextDecoder().decode(arMemberSource(src, members[0]!).read(0, 3))).toBe('abc');
    const idx = readArSymbolIndex(src)!;
    expect(idx.format).toBe('bsd');
    expect(idx.symbols).toEqual([{ name: 'fn', memberHeaderOffset: members[0]!.headerOffset }]);
  });

  it('reads a /SYM64/ index (64-bit offsets)', () => {
    const idx = new Uint8Array(8 + 8 + 3);
    const dv = new DataView(idx.buffer);
    dv.setBigUint64(0, 1n);
    dv.setBigUint64(8, 0x1_0000_0000n);
    idx.set(enc.encode('big\0'.slice(0, 3)), 16);
    const withNul = Buffer.concat([idx, new Uint8Array([0])]);
    const src = craft([['/SYM64/', String(withNul.length), withNul]]);
    expect(readArSymbolIndex(src)).toEqual({ format: 'gnu64', symbols: [{ name: 'big', memberHeaderOffset: 0x1_0000_0000 }] });
  });
});

describe('malformed archives', () => {
  it('rejects a non-archive with a magic error', () => {
    const e = errorOf(() => [...readArMembers(new BufferSource(enc.encode('\x7fELF....'), 'x'))]);
    expect(e).toBeInstanceOf(ArFormatError);
    expect((e as ArFormatError).field).toBe('magic');
  });

  it('reports a bad header terminator with its offset', () => {
    const good = craft([['a.o/', '2', 'ab']]);
    const bytes = Buffer.from(good.bytes);
    bytes[8 + 58] = 0x21;
    const gen = readArMembers(new BufferSource(bytes, 'bad.a'));
    const e = errorOf(() => [...gen]) as ArFormatError;
    expect(e).toBeInstanceOf(ArFormatError);
    expect([e.field, e.offset, e.value]).toEqual(['header magic', 8, '!\n']);
  });

  it('rejects a non-decimal size', () => {
    const e = errorOf(() => [...readArMembers(craft([['a.o/', '1x', 'ab']]))]) as ArFormatError;
    expect([e.field, e.value.trim()]).toEqual(['size', '1x']);
  });

  it('rejects a size that runs past the end, after yielding the members before it', () => {
    const src = craft([['a.o/', '2', 'ab'], ['b.o/', '9999', 'cd']]);
    const seen: string[] = [];
    const e = errorOf(() => {
      for (const m of readArMembers(src)) seen.push(m.name);
    }) as ArFormatError;
    expect(seen).toEqual(['a.o']);
    expect([e.field, e.offset]).toEqual(['size', 8 + 60 + 2]);
    expect(e.message).toContain('past the end');
  });

  it('rejects a truncated header', () => {
    const src = craft([['a.o/', '2', 'ab']]);
    const bytes = Buffer.concat([src.bytes, enc.encode('b.o/      0   ')]);
    const e = errorOf(() => [...readArMembers(new BufferSource(bytes, 't.a'))]) as ArFormatError;
    expect(e.field).toBe('header');
    expect(e.message).toContain('truncated');
  });

  it('rejects a long-name reference outside the name table, and one with no table', () => {
    const withTable = craft([['//', '6', 'x.o/\n\n'], ['/40', '2', 'ab']]);
    const e1 = errorOf(() => [...readArMembers(withTable)]) as ArFormatError;
    expect([e1.field, e1.value]).toEqual(['long name offset', '/40']);
    const e2 = errorOf(() => [...readArMembers(craft([['/0', '2', 'ab']]))]) as ArFormatError;
    expect(e2.message).toContain('no "//" name table');
    expect([...readArMembers(craft([['//', '6', 'x.o/\n\n'], ['/0', '2', 'ab']]))].map((m) => m.name)).toEqual(['x.o']);
  });

  it('rejects a BSD name longer than its member', () => {
    const e = errorOf(() => [...readArMembers(craft([['#1/20', '4', 'abcd']]))]) as ArFormatError;
    expect(e.field).toBe('BSD name length');
  });

  it('rejects a GNU symbol index whose count exceeds its size', () => {
    const idx = new Uint8Array(8);
    new DataView(idx.buffer).setUint32(0, 0x7fffffff);
    const e = errorOf(() => readArSymbolIndex(craft([['/', '8', idx]]))) as ArFormatError;
    expect(e).toBeInstanceOf(ArFormatError);
    expect(e.message).toContain('offsets need');
    const two = new Uint8Array([0, 0, 0, 2, 0, 0, 0, 8, 0, 0, 0, 8, 0x61, 0, 0x62, 0]);
    expect(readArSymbolIndex(craft([['/', '16', two]]))?.symbols.map((x) => x.name)).toEqual(['a', 'b']);
    const e2 = errorOf(() => readArSymbolIndex(craft([['/', '16', two]]), { ...DEFAULT_LIMITS, maxEntries: 1 })) as LimitError;
    expect(e2).toBeInstanceOf(LimitError);
    expect(e2.limit).toBe('maxEntries');
  });

  it('rejects a symbol name that is not NUL-terminated', () => {
    const idx = new Uint8Array([0, 0, 0, 1, 0, 0, 0, 8, 0x61, 0x62]);
    const e = errorOf(() => readArSymbolIndex(craft([['/', '10', idx]]))) as ArFormatError;
    expect(e.message).toContain('not NUL-terminated');
  });

  it('stops at maxMembers with a LimitError', () => {
    const src = craft([['a/', '0', ''], ['b/', '0', ''], ['c/', '0', '']]);
    const e = errorOf(() => [...readArMembers(src, { ...DEFAULT_LIMITS, maxMembers: 2 })]) as LimitError;
    expect(e).toBeInstanceOf(LimitError);
    expect(e.limit).toBe('maxMembers');
  });
});
