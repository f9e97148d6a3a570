import { fstatSync, mkdtempSync, openSync, readlinkSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ShortReadError } from '../../src/io/byte-source.js';
import { FileSource } from '../../src/io/file-source.js';

const dir = mkdtempSync(join(tmpdir(), 'file-source-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** 200 KiB where every byte says where it is (offset mod 251), so any misplaced read shows. */
function patterned(name: string, size = 200 * 1024): { path: string; bytes: Uint8Array } {
  const bytes = Uint8Array.from({ length: size }, (_, i) => i % 251);
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return { path, bytes };
}

/** Opens a fresh patterned file, runs `body` on it and closes it (even on failure); returns the closed source. */
function withPatterned(name: string, body: (src: FileSource, bytes: Uint8Array, path: string) => void): FileSource {
  const { path, bytes } = patterned(name);
  const src = FileSource.open(path);
  try {
    body(src, bytes, path);
  } finally {
    src.close();
  }
  return src;
}

/** Byte-for-byte equality, naming the first difference (a Buffer and a Uint8Array compare equal). */
function expectBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual.length).toBe(expected.length);
  const at = actual.findIndex((b, i) => b !== expected[i]);
  expect(at, `first difference at ${at}`).toBe(-1);
}

describe('FileSource', () => {
  it('serves small reads from several cached blocks, each exactly the bytes asked for', () => {
    withPatterned('blocks', (src, bytes) => {
      // Back and forth between six places: more than the cache holds, so blocks are dropped
      // and read again; every answer must still be right.
      const offsets = [0, 190_000, 40, 100_000, 60_000, 150_000, 8, 190_100, 120_000, 5, 199_000];
      for (let round = 0; round < 3; round++) {
        for (const o of offsets) expectBytes(src.read(o, 64), bytes.subarray(o, o + 64));
      }
      // A read that straddles a cached block's end is read afresh, not cut short.
      expectBytes(src.read(16 * 1024 - 10, 100), bytes.subarray(16 * 1024 - 10, 16 * 1024 + 90));
      expectBytes(src.read(199 * 1024, 1024), bytes.subarray(199 * 1024));
    });
  });

  it('over a descriptor handed to it: reads the file through it and closes it', () => {
    const { path, bytes } = patterned('descriptor');
    const fd = openSync(path, 'r');
    const src = FileSource.fromDescriptor(fd, fstatSync(fd).size, 'shown-name');
    expect(src.size).toBe(bytes.length);
    expect(src.name).toBe('shown-name');
    expectBytes(src.read(150_000, 4096), bytes.subarray(150_000, 154_096));
    expectBytes(src.readWindow(0, 100_000), bytes.subarray(0, 100_000));
    src.close();
    // Closed: the number no longer names this file (another thread may have reused it since).
    let now: string | undefined;
    try {
      now = readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      now = undefined;
    }
    expect(now).not.toBe(path);
    expect(() => src.read(0, 4)).toThrow(/read after close/);
  });

  it('takes the first bytes a caller read as its first block only when they are exactly that block', () => {
    for (const size of [40_000, 200 * 1024]) {
      const { path, bytes } = patterned(`first-${size}`, size);
      const length = FileSource.firstBlockLength(size);
      expect(length).toBe(size <= 64 * 1024 ? size : 16 * 1024);
      // The bytes handed over are served as they are, even after the file changes on disk.
      const fd = openSync(path, 'r');
      const src = FileSource.fromDescriptor(fd, size, path, bytes.slice(0, length));
      writeFileSync(path, new Uint8Array(size));
      expectBytes(src.read(0, 64), bytes.subarray(0, 64));
      expectBytes(src.read(length - 100, 100), bytes.subarray(length - 100, length));
      src.close();
      // One byte short (the file shrank between fstat and the read): read again from the file.
      writeFileSync(path, bytes);
      const fd2 = openSync(path, 'r');
      const src2 = FileSource.fromDescriptor(fd2, size, path, new Uint8Array(length - 1).fill(0xee));
      expectBytes(src2.read(0, 64), bytes.subarray(0, 64));
      src2.close();
    }
  });

  it('never reuses a block for other bytes: views handed out earlier stay valid', () => {
    withPatterned('views', (src, bytes) => {
      const early = src.read(100, 32);
      for (let o = 0; o < bytes.length - 64; o += 9_000) src.read(o, 64);
      expectBytes(early, bytes.subarray(100, 132));
    });
  });

  it('gives windows from one scratch buffer and large reads of their own', () => {
    withPatterned('windows', (src, bytes) => {
      const big = src.read(1000, 50_000);
      expectBytes(big, bytes.subarray(1000, 51_000));
      const w1 = src.readWindow(0, 70_000);
      expectBytes(w1, bytes.subarray(0, 70_000));
      const w2 = src.readWindow(100_000, 70_000);
      expectBytes(w2, bytes.subarray(100_000, 170_000));
      // The scratch window was overwritten; the large read was not.
      expect(w1.buffer).toBe(w2.buffer);
      expectBytes(big, bytes.subarray(1000, 51_000));
    });
  });

  it('reads a small file whole, once, and serves every read and window from it', () => {
    const { path, bytes } = patterned('small', 40_000);
    const src = FileSource.open(path);
    try {
      const head = src.read(0, 64);
      // Rewritten on disk after the first read: the answers still come from that one read.
      writeFileSync(path, new Uint8Array(40_000));
      expectBytes(head, bytes.subarray(0, 64));
      expectBytes(src.read(39_000, 1000), bytes.subarray(39_000));
      expectBytes(src.read(5, 30_000), bytes.subarray(5, 30_005));
      expectBytes(src.readWindow(8_000, 20_000), bytes.subarray(8_000, 28_000));
      expect(() => src.read(39_990, 20)).toThrow(ShortReadError);
      expect(() => src.readWindow(-1, 4)).toThrow(ShortReadError);
    } finally {
      src.close();
    }
    expect(() => src.read(0, 4)).toThrow(/read after close/);
  });

  it('reports a small file that shrank before its first read as a short read', () => {
    const { path } = patterned('small-shrinks', 40_000);
    const src = FileSource.open(path);
    try {
      truncateSync(path, 1000);
      expect(() => src.read(0, 64)).toThrow(ShortReadError);
    } finally {
      src.close();
    }
  });

  it('reports a read past the end, and a file that shrank, as short reads', () => {
    const closed = withPatterned('shrinks', (src, _bytes, path) => {
      expect(() => src.read(200 * 1024 - 10, 20)).toThrow(ShortReadError);
      truncateSync(path, 1000);
      expect(() => src.read(50_000, 64)).toThrow(ShortReadError);
      expect(() => src.readWindow(10_000, 40_000)).toThrow(ShortReadError);
    });
    expect(() => closed.read(0, 4)).toThrow(/read after close/);
  });
});
