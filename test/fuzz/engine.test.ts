/**
 * The fuzzer's parts do what the campaign's figures rely on: fields are found where the
 * formats put them, mutated containers still parse far enough to reach the inner readers,
 * the oracle tells a typed error from a bug, a run is repeatable, and a bug is reported with
 * the input that shows it.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BufferSource } from '../../src/io/byte-source.js';
import { openContainer } from '../../src/io/container.js';
import { isTarHeader } from '../../src/io/tar.js';
import { runFuzz, type Finding } from '../../fuzz/engine.js';
import { locateFields } from '../../fuzz/fields.js';
import { nodes, raw, replaceAt, toLayer } from '../../fuzz/layers.js';
import { fixTarChecksums, mutate } from '../../fuzz/mutate.js';
import { checkInput, isSuspicious, isTypedError } from '../../fuzz/oracle.js';
import { Rng } from '../../fuzz/rng.js';
import { loadSeeds } from '../../fuzz/seeds.js';
import { ElfFormatError } from '../../src/elf/errors.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const read = (p: string): Uint8Array => new Uint8Array(readFileSync(new URL(`../../${p}`, import.meta.url)));

describe('field locator', () => {
  it('finds the ELF header, program and section header fields of an x86-64 executable', () => {
    const map = locateFields(read('test/fixtures/cross/x86-64/hardened'));
    const names = map.fields.map((f) => f.what);
    expect(names).toEqual(expect.arrayContaining(['e_shnum', 'e_phoff', 'e_shstrndx', 'phdr[0].filesz', 'shdr[1].offset']));
    // e_shnum of ELF64 is the 2-byte field at 60.
    expect(map.fields.find((f) => f.what === 'e_shnum')).toMatchObject({ kind: 'bin', at: 60, width: 2, le: true });
    expect(names.some((n) => /note\[0\]\.descsz/.test(n))).toBe(true);
    expect(names.some((n) => /\.dynamic\[\d+\]\.d_tag/.test(n))).toBe(true);
  });

  it('finds big-endian 32-bit fields (mips) at the ELF32 offsets', () => {
    const map = locateFields(read('test/fixtures/cross/mips/plain'));
    expect(map.fields.find((f) => f.what === 'e_shnum')).toMatchObject({ at: 48, width: 2, le: false });
  });

  it('finds tar sizes and the ELF members inside an uncompressed tar', () => {
    const map = locateFields(read('fuzz/seeds/tar/gnu.tar'));
    expect(map.tarHeaders.length).toBeGreaterThan(3);
    expect(map.fields.some((f) => f.kind === 'text' && f.radix === 8 && /\.size$/.test(f.what))).toBe(true);
    expect(map.fields.some((f) => f.what === 'e_phnum' && f.at > 512)).toBe(true);
  });

  it('finds rpm header counts and the ar member sizes of a .deb', () => {
    expect(locateFields(read('fuzz/seeds/rpm/fuzz-gzip.rpm')).fields.map((f) => f.what)).toEqual(expect.arrayContaining(['rpm signature index count', 'rpm header store size']));
    expect(locateFields(read('fuzz/seeds/deb/fuzz-none.deb')).fields.some((f) => f.kind === 'text' && f.what.endsWith('.ar_size'))).toBe(true);
  });

  it('never throws, whatever the bytes', () => {
    const rng = new Rng(7);
    for (let i = 0; i < 200; i++) expect(() => locateFields(rng.bytes(rng.below(2000)))).not.toThrow();
  });
});

describe('mutations', () => {
  it('keep tar headers valid after a field mutation (checksums recomputed)', () => {
    const tar = read('fuzz/seeds/tar/pax-small.tar');
    const map = locateFields(tar);
    const b = tar.slice();
    b[124] = 0x37; // size field changed
    expect(isTarHeader(b.subarray(0, 512))).toBe(false);
    fixTarChecksums(b, map.tarHeaders);
    expect(isTarHeader(b.subarray(0, 512))).toBe(true);
  });

  it('are repeatable for a seed', () => {
    const elf = read('test/fixtures/cross/x86-64/hardened');
    const map = locateFields(elf);
    const run = (): string[] => {
      const rng = new Rng(99);
      return Array.from({ length: 50 }, () => mutate(elf, map, rng, undefined).what);
    };
    expect(run()).toEqual(run());
  });
});

describe('layers', () => {
  it('split a .deb into ar members and their compressed tarballs, and rebuild it readable', () => {
    const deb = toLayer(read('fuzz/seeds/deb/fuzz-gzip.deb'));
    expect(deb.kind).toBe('ar');
    const inner = nodes(deb).find((n) => n.layer.kind === 'raw' && n.path.length === 2 && isTarHeader(n.layer.bytes.subarray(0, 512)) && n.path[0] === 2);
    expect(inner).toBeDefined();
    // Put another tarball in its place: the .deb must open, with that tarball's members.
    const other = read('fuzz/seeds/tar/gnu.tar');
    const rebuilt = replaceAt(deb, inner!.path, raw(other), () => false);
    const paths = (b: Uint8Array, name: string): string[] => [...openContainer(new BufferSource(b, name)).entries()].map((e) => e.path);
    expect(paths(rebuilt.bytes, 'x.deb')).toEqual(paths(other, 'gnu.tar'));
    expect(paths(rebuilt.bytes, 'x.deb')).not.toEqual(paths(deb.bytes, 'x.deb'));
  });

  it('split an rpm into headers and a compressed cpio payload', () => {
    const rpm = toLayer(read('fuzz/seeds/rpm/fuzz-xz.rpm'));
    expect(rpm.kind).toBe('rpm');
    expect(nodes(rpm).some((n) => n.layer.kind === 'compressed')).toBe(true);
  });
});

describe('oracle', () => {
  it('accepts every seed as it is', () => {
    for (const s of loadSeeds(['elf', 'archive', 'deb', 'rpm', 'tar'], { root: ROOT, system: false })) {
      expect(checkInput(s.target, s.bytes), s.name).toBeNull();
    }
  });

  it('tells typed errors from engine errors', () => {
    expect(isTypedError(new ElfFormatError(4, 'e_shoff', 9, 'outside the file'))).toBe(true);
    expect(isTypedError(new TypeError("Cannot read properties of undefined (reading 'x')"))).toBe(false);
    expect(isTypedError(new RangeError('Invalid typed array length: -1'))).toBe(false);
  });

  it('finds engine errors in result text, but not in quoted bytes of the file', () => {
    expect(isSuspicious("could not be decided: internal error (TypeError): Cannot read properties of undefined (reading 'size')")).toBe(true);
    expect(isSuspicious('bad ar date "NaN         " in header at byte 0x15a: not a decimal number')).toBe(false);
    expect(isSuspicious("R_386_32 against undefined 'obj_extern' in .text at 0x1")).toBe(false);
  });
});

describe('engine', () => {
  const seeds = [{ name: 'hardened', target: 'elf' as const, bytes: read('test/fixtures/cross/x86-64/hardened') }];

  it('reports a bug once, with an input that shows it', () => {
    // A planted bug: inputs shorter than the seed "crash".
    const planted = (_t: string, bytes: Uint8Array) => ({
      violation: bytes.length < 16416 ? { kind: 'exception' as const, where: 'scan', message: 'RangeError: planted' } : null,
      signature: '',
      analysed: 0,
    });
    const found: Finding[] = [];
    const stats = runFuzz({ seeds, targets: ['elf'], seed: 3, runs: 300, run: planted, slowMs: Infinity, onFinding: (f) => found.push(f) });
    expect(found).toHaveLength(1);
    expect(found[0]!.input.length).toBeLessThan(16416);
    expect(found[0]!.origin).toMatch(/^hardened <- /);
    expect(Object.values(stats.findingKeys)[0]).toBeGreaterThan(1);
  });

  it('is repeatable: the same seed runs the same inputs', () => {
    const trace = (): string[] => {
      const seen: string[] = [];
      runFuzz({ seeds, targets: ['elf'], seed: 5, runs: 100, slowMs: Infinity, beforeExec: (_t, _b, origin) => seen.push(origin) });
      return seen;
    };
    expect(trace()).toEqual(trace());
  });
});
