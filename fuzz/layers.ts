/**
 * Inputs as layers, so mutations reach the readers inside compressed containers. A .deb is an
 * ar archive whose members are compressed tarballs; an .rpm is headers plus a compressed cpio;
 * a .tar.xz is a compressed tar. Flipping bits in compressed bytes mostly tests the
 * decompressor; to test the tar, cpio and ELF readers behind it, the fuzzer mutates the inner
 * bytes and compresses them again, then rebuilds the outer layers with the right sizes.
 *
 * Compression uses node:zlib for gzip and the system's xz, zstd and bzip2 for the others
 * (the fuzzer is a dev tool; the product never shells out). Without the tool a layer is
 * recompressed with gzip instead, which every reader that sniffs magic bytes accepts.
 */
import { spawnSync } from 'node:child_process';
import { gunzipSync, gzipSync } from 'node:zlib';
import { BufferSource } from '../src/io/byte-source.js';
import { concat } from '../src/io/bytes.js';
import { type Compression, detectCompression } from '../src/io/decompress.js';
import { isDebHead } from '../src/io/deb.js';
import { isRpm, readRpm } from '../src/io/rpm.js';
import { DEFAULT_LIMITS } from '../src/limits.js';

export type Layer =
  | { readonly kind: 'raw'; readonly bytes: Uint8Array }
  | { readonly kind: 'compressed'; readonly codec: Compression; readonly inner: Layer; readonly bytes: Uint8Array }
  | { readonly kind: 'ar'; readonly magic: Uint8Array; readonly members: readonly ArPart[]; readonly bytes: Uint8Array }
  | { readonly kind: 'rpm'; readonly head: Uint8Array; readonly payload: Layer; readonly bytes: Uint8Array };

export interface ArPart {
  /** The 60-byte header; its size field is rewritten when the body changes. */
  readonly header: Uint8Array;
  readonly body: Layer;
}

export function raw(bytes: Uint8Array): Layer {
  return { kind: 'raw', bytes };
}

/** Largest inner stream unpacked when a seed is split into layers. */
const MAX_INNER = 64 * 1024 * 1024;

const TOOL: Partial<Record<Compression, { cmd: string; compress: string[]; decompress: string[] }>> = {
  xz: { cmd: 'xz', compress: ['-c', '-0', '-T1'], decompress: ['-dc'] },
  lzma: { cmd: 'xz', compress: ['--format=lzma', '-c', '-0'], decompress: ['--format=lzma', '-dc'] },
  zstd: { cmd: 'zstd', compress: ['-c', '-q', '-1'], decompress: ['-dcq'] },
  bzip2: { cmd: 'bzip2', compress: ['-c', '-1'], decompress: ['-dc'] },
};

const missingTools = new Set<string>();

function runTool(cmd: string, args: string[], input: Uint8Array): Uint8Array | null {
  if (missingTools.has(cmd)) return null;
  const r = spawnSync(cmd, args, { input, maxBuffer: MAX_INNER * 2 });
  if (r.error !== undefined) {
    if ((r.error as NodeJS.ErrnoException).code === 'ENOENT') missingTools.add(cmd);
    return null;
  }
  if (r.status !== 0) return null;
  return new Uint8Array(r.stdout.buffer, r.stdout.byteOffset, r.stdout.length);
}

function decompress(codec: Compression, data: Uint8Array): Uint8Array | null {
  try {
    if (codec === 'gzip') return new Uint8Array(gunzipSync(data, { maxOutputLength: MAX_INNER }));
  } catch {
    return null;
  }
  const t = TOOL[codec];
  return t === undefined ? null : runTool(t.cmd, t.decompress, data);
}

/**
 * Compresses `data` with `codec` when `exact`, else with gzip (in-process, a hundred times
 * cheaper than starting xz or zstd; the readers behind the decompressor are the same). The
 * codec also falls back to gzip when its tool is missing.
 */
function compress(codec: Compression, data: Uint8Array, exact: boolean): { codec: Compression; bytes: Uint8Array } {
  const t = TOOL[codec];
  if (t !== undefined && exact) {
    const out = runTool(t.cmd, t.compress, data);
    if (out !== null) return { codec, bytes: out };
  }
  const gz = gzipSync(data, { level: 1 });
  return { codec: 'gzip', bytes: new Uint8Array(gz.buffer, gz.byteOffset, gz.length) };
}

/** Splits a seed into layers (compressed streams, .deb members, rpm payload). */
export function toLayer(bytes: Uint8Array, depth = 0): Layer {
  if (depth > 3) return raw(bytes);
  const c = detectCompression(bytes.subarray(0, 16));
  if (c !== null) {
    const inner = decompress(c, bytes);
    return inner === null ? raw(bytes) : { kind: 'compressed', codec: c, inner: toLayer(inner, depth + 1), bytes };
  }
  if (bytes.length >= 24 && isDebHead(bytes.subarray(0, 24))) {
    const members = splitAr(bytes);
    if (members !== null) return { kind: 'ar', magic: bytes.slice(0, 8), members: members.map((m) => ({ header: m.header, body: toLayer(m.body, depth + 1) })), bytes };
  }
  if (isRpm(bytes)) {
    try {
      const pkg = readRpm(new BufferSource(bytes, 'seed'), DEFAULT_LIMITS);
      return { kind: 'rpm', head: bytes.slice(0, pkg.payloadOffset), payload: toLayer(bytes.slice(pkg.payloadOffset), depth + 1), bytes };
    } catch {
      return raw(bytes);
    }
  }
  return raw(bytes);
}

function splitAr(bytes: Uint8Array): { header: Uint8Array; body: Uint8Array }[] | null {
  const out: { header: Uint8Array; body: Uint8Array }[] = [];
  let at = 8;
  while (at + 60 <= bytes.length) {
    const header = bytes.slice(at, at + 60);
    const size = Number.parseInt(String.fromCharCode(...header.subarray(48, 58)).trim(), 10);
    if (!Number.isSafeInteger(size) || size < 0 || at + 60 + size > bytes.length) return null;
    out.push({ header, body: bytes.slice(at + 60, at + 60 + size) });
    at += 60 + size + (size & 1);
  }
  return out;
}

function arBytes(magic: Uint8Array, members: readonly ArPart[]): Uint8Array {
  const parts: Uint8Array[] = [magic];
  for (const m of members) {
    const h = m.header.slice();
    const size = String(m.body.bytes.length).padEnd(10, ' ');
    for (let i = 0; i < 10; i++) h[48 + i] = size.charCodeAt(i);
    parts.push(h, m.body.bytes);
    if (m.body.bytes.length & 1) parts.push(Uint8Array.of(0x0a));
  }
  return concat(parts);
}

/** A node of the layer tree and the path of child indexes that leads to it. */
export interface LayerNode {
  readonly path: readonly number[];
  readonly layer: Layer;
}

export function nodes(root: Layer): LayerNode[] {
  const out: LayerNode[] = [];
  const walk = (l: Layer, path: number[]): void => {
    out.push({ path, layer: l });
    for (const [i, c] of children(l).entries()) walk(c, [...path, i]);
  };
  walk(root, []);
  return out;
}

function children(l: Layer): Layer[] {
  switch (l.kind) {
    case 'raw':
      return [];
    case 'compressed':
      return [l.inner];
    case 'ar':
      return l.members.map((m) => m.body);
    case 'rpm':
      return [l.payload];
  }
}

/**
 * `root` with the node at `path` replaced, every layer above it rebuilt (recompressed, resized).
 * `exact()` says, per compressed layer, whether to keep its codec or recompress with gzip.
 */
export function replaceAt(root: Layer, path: readonly number[], replacement: Layer, exact: () => boolean): Layer {
  if (path.length === 0) return replacement;
  const [i, ...rest] = path as [number, ...number[]];
  switch (root.kind) {
    case 'raw':
      return replacement;
    case 'compressed': {
      const inner = replaceAt(root.inner, rest, replacement, exact);
      const c = compress(root.codec, inner.bytes, root.codec === 'gzip' || exact());
      return { kind: 'compressed', codec: c.codec, inner, bytes: c.bytes };
    }
    case 'ar': {
      const members = root.members.map((m, k) => (k === i ? { header: m.header, body: replaceAt(m.body, rest, replacement, exact) } : m));
      return { kind: 'ar', magic: root.magic, members, bytes: arBytes(root.magic, members) };
    }
    case 'rpm': {
      const payload = replaceAt(root.payload, rest, replacement, exact);
      return { kind: 'rpm', head: root.head, payload, bytes: concat([root.head, payload.bytes]) };
    }
  }
}
