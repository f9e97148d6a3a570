/**
 * Mutations of one input's bytes. Two families:
 * - structure-aware: pick a field `locateFields` found (a count, offset, size, alignment,
 *   index, tag) and give it a value a careless reader mishandles: 0, 1, -1, max, the old value
 *   ±1, the file size ±1, a value just past a limit, a misaligned offset, another structure's
 *   offset. Text fields (ar, tar, cpio) get those numbers written as text, and malformed text.
 * - generic: bit flips, random bytes, interesting integers anywhere, byte insertion and
 *   deletion, block copies, splicing with another input, truncation (often at a structure
 *   boundary), appended garbage.
 * Tar header checksums are recomputed afterwards (most of the time) so that mutations reach
 * past the checksum into the reader.
 */
import { type BinField, type Field, type FieldMap, type Role, type TextField } from './fields.js';
import { type Rng } from './rng.js';

export interface Mutation {
  readonly bytes: Uint8Array;
  /** What was done, for the finding's description. */
  readonly what: string;
}

/** The largest input a mutation may produce (inserts and appends stop growing past it). */
export const MAX_INPUT = 8 * 1024 * 1024;

const DYN_AND_RPM_TAGS = [
  0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 32, 33, 34, 0x6ffffef5, 0x6ffffff0,
  0x6ffffff9, 0x6ffffffa, 0x6ffffffb, 0x6ffffffc, 0x6ffffffd, 0x6ffffffe, 0x6fffffff, 0x7ffffffd, 62, 63, 100, 1000, 1001, 1002, 1003, 1021, 1022, 1027,
  1028, 1030, 1034, 1036, 1037, 1116, 1117, 1118, 1124, 1125, 5008,
];

const TYPES = [
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16, 17, 18, 19, 0x30, 0x78, 0x67, 0x4c, 0x4b, 0x35, 0x32, 0x31, 62, 183, 40, 243, 22, 21, 20, 8, 0xfe00,
  0x6474e550, 0x6474e551, 0x6474e552, 0x6474e553, 0x6ffffff6, 0x6ffffffd, 0x6ffffffe, 0x6fffffff, 0x70000001, 0x70000003, 0xc0000000, 0xc0000002, 0xc0008002,
  0xc0010001, 0xc0010002, 0xffffffff,
];

const TWO64 = 1n << 64n;

function maxOf(width: number): bigint {
  return (1n << BigInt(width * 8)) - 1n;
}

function readBin(b: Uint8Array, f: BinField): bigint {
  let v = 0n;
  for (let i = 0; i < f.width; i++) {
    const byte = b[f.le ? f.at + f.width - 1 - i : f.at + i] ?? 0;
    v = (v << 8n) | BigInt(byte);
  }
  return v;
}

function writeBin(b: Uint8Array, at: number, width: number, le: boolean, value: bigint): void {
  let v = ((value % TWO64) + TWO64) % TWO64;
  for (let i = 0; i < width; i++) {
    const pos = le ? at + i : at + width - 1 - i;
    if (pos >= 0 && pos < b.length) b[pos] = Number(v & 0xffn);
    v >>= 8n;
  }
}

/** Values worth trying in a field with this role and current value. */
function candidates(role: Role, cur: bigint, width: number, size: number, map: FieldMap, rng: Rng): bigint[] {
  const max = maxOf(width);
  const n = BigInt(size);
  const out: bigint[] = [0n, 1n, cur + 1n, cur - 1n, max, max >> 1n, (max >> 1n) + 1n, BigInt(rng.u32())];
  if (map.landmarks.length > 0) out.push(BigInt(Math.max(0, Math.floor(rng.pick(map.landmarks)))));
  switch (role) {
    case 'offset':
    case 'size':
      out.push(n, n - 1n, n + 1n, n - BigInt(rng.small(64)), cur + BigInt(rng.small(64)), cur | 1n, cur + 3n, cur * 2n, cur / 2n, 1n << 31n, (1n << 32n) - 1n, 1n << 32n);
      out.push((1n << 53n) - 1n, (1n << 53n) + 1n, 1n << 63n, max - BigInt(rng.small(16)), 0x10000000n, 0x7ffffff0n);
      break;
    case 'count':
      out.push(2n, cur * 2n, 0xffn, 0x100n, 0xff00n, 0xffffn, 0x10000n, 1n << 20n, (1n << 24n) + 1n, 0x7fffffffn, n, n / 4n);
      break;
    case 'align':
      out.push(2n, 3n, 4n, 5n, 7n, 8n, 16n, 0x1000n, 0x200000n, 1n << 31n, 1n << 63n);
      break;
    case 'index':
      out.push(2n, 0xff00n, 0xfff1n, 0xfff2n, 0xfffen, 0xffffn, 0x10000n, 1n << 24n, cur + BigInt(rng.small(16)));
      break;
    case 'entsize':
      out.push(2n, 4n, 8n, 12n, 16n, 20n, 24n, 32n, 40n, 56n, 64n, cur * 2n, 0xffffn);
      break;
    case 'tag':
      for (let i = 0; i < 6; i++) out.push(BigInt(rng.pick(DYN_AND_RPM_TAGS)));
      break;
    case 'type':
      for (let i = 0; i < 6; i++) out.push(BigInt(rng.pick(TYPES)));
      break;
    case 'flags':
      out.push(cur ^ (1n << BigInt(rng.below(width * 8))), cur | 0x800n, cur | 7n, 0x3n);
      break;
    case 'value':
    case 'checksum':
      out.push(cur + BigInt(rng.small(255)), cur - BigInt(rng.small(255)));
      break;
  }
  return out;
}

function mutateBinField(b: Uint8Array, f: BinField, map: FieldMap, rng: Rng): string {
  const cur = readBin(b, f);
  const v = rng.pick(candidates(f.role, cur, f.width, b.length, map, rng));
  writeBin(b, f.at, f.width, f.le, v);
  return `${f.what} := 0x${(((v % TWO64) + TWO64) % TWO64 & maxOf(f.width)).toString(16)}`;
}

function readText(b: Uint8Array, f: TextField): bigint {
  let s = '';
  for (let i = f.at; i < f.at + f.width && i < b.length; i++) s += String.fromCharCode(b[i]!);
  const digits = s.replace(/[\0 ].*$/s, '').trim();
  const v = Number.parseInt(digits, f.radix);
  return Number.isFinite(v) && v >= 0 ? BigInt(v) : 0n;
}

function mutateTextField(b: Uint8Array, f: TextField, map: FieldMap, rng: Rng): string {
  const cur = readText(b, f);
  let text: string;
  const form = rng.below(10);
  if (form === 0) {
    // Malformed text: a sign, a digit of the wrong base, embedded spaces, nothing at all.
    text = rng.pick(['-1', '-0', ' ', '', '+5', '1 2', '0x10', '9', '8', 'g', 'z', '\0', ' 1', '99999999999999999999', '1e3', 'Inf', '٣']);
  } else if (form === 1 && f.width === 12 && f.radix === 8) {
    // tar's base-256 form: 0x80 then a big-endian binary number.
    const v = rng.pick(candidates(f.role, cur, 8, b.length, map, rng));
    for (let i = 0; i < 12; i++) if (f.at + i < b.length) b[f.at + i] = 0;
    if (f.at < b.length) b[f.at] = rng.chance(0.8) ? 0x80 : 0xff;
    writeBin(b, f.at + 4, 8, false, v);
    return `${f.what} := base-256 ${v}`;
  } else {
    const v = rng.pick(candidates(f.role, cur, 8, b.length, map, rng));
    const positive = v < 0n ? 0n : v;
    text = positive.toString(f.radix);
    if (f.radix === 16 && rng.chance(0.5)) text = text.toUpperCase();
  }
  const pad = rng.below(3);
  let out = text.length >= f.width ? text.slice(0, f.width) : pad === 0 ? text.padStart(f.width, '0') : pad === 1 ? text.padEnd(f.width, ' ') : text + '\0'.repeat(f.width - text.length);
  if (f.radix === 8 && pad === 0 && out.length === f.width && rng.chance(0.5)) out = out.slice(1) + '\0';
  for (let i = 0; i < f.width; i++) if (f.at + i < b.length) b[f.at + i] = out.charCodeAt(i) & 0xff;
  return `${f.what} := ${JSON.stringify(out)}`;
}

function mutateField(b: Uint8Array, f: Field, map: FieldMap, rng: Rng): string {
  return f.kind === 'bin' ? mutateBinField(b, f, map, rng) : mutateTextField(b, f, map, rng);
}

/** The generic mutations, each on a copy; `donor` is another input for splicing. */
function generic(input: Uint8Array, map: FieldMap, rng: Rng, donor: Uint8Array | undefined): Mutation {
  const len = input.length;
  const at = (): number => rng.below(Math.max(1, len));
  const span = (): number => 1 + rng.small(Math.max(1, Math.min(4096, len >> 2)));
  const op = rng.below(14);
  switch (op) {
    case 0: {
      const b = input.slice();
      const n = 1 + rng.small(7);
      for (let i = 0; i < n && len > 0; i++) {
        const p = at();
        b[p]! ^= 1 << rng.below(8);
      }
      return { bytes: b, what: `flip ${n} bit(s)` };
    }
    case 1: {
      const b = input.slice();
      const p = at();
      if (len > 0) b[p] = rng.pick([0, 1, 0x7f, 0x80, 0xff, rng.u32() & 0xff]);
      return { bytes: b, what: `set byte at ${p}` };
    }
    case 2: {
      const b = input.slice();
      const width = rng.pick([1, 2, 4, 8] as const);
      const p = rng.chance(0.5) ? at() & ~(width - 1) : at();
      const v = rng.pick(candidates(rng.pick(['offset', 'size', 'count', 'index'] as const), 0n, width, len, map, rng));
      writeBin(b, p, width, rng.chance(0.7), v);
      return { bytes: b, what: `interesting ${width}-byte value at ${p}` };
    }
    case 3: {
      const b = input.slice();
      const width = rng.pick([1, 2, 4, 8] as const);
      const p = at() & ~(width - 1);
      const le = rng.chance(0.7);
      const field: BinField = { kind: 'bin', at: p, width, le, role: 'value', what: '' };
      writeBin(b, p, width, le, readBin(b, field) + BigInt(rng.chance(0.5) ? 1 + rng.small(35) : -(1 + rng.small(35))));
      return { bytes: b, what: `add/sub at ${p}` };
    }
    case 4: {
      const p = at();
      const n = Math.min(span(), len - p);
      const b = new Uint8Array(len - n);
      b.set(input.subarray(0, p));
      b.set(input.subarray(p + n), p);
      return { bytes: b, what: `delete ${n} bytes at ${p}` };
    }
    case 5: {
      if (len >= MAX_INPUT) break;
      const p = at();
      const n = span();
      const ins = rng.chance(0.5) ? rng.bytes(n) : new Uint8Array(n).fill(rng.pick([0, 0xff, 0x41]));
      const b = new Uint8Array(len + n);
      b.set(input.subarray(0, p));
      b.set(ins, p);
      b.set(input.subarray(p), p + n);
      return { bytes: b, what: `insert ${n} bytes at ${p}` };
    }
    case 6: {
      const b = input.slice();
      const from = at();
      const to = at();
      const n = Math.min(span(), len - from, len - to);
      b.copyWithin(to, from, from + n);
      return { bytes: b, what: `copy ${n} bytes ${from} -> ${to}` };
    }
    case 7: {
      if (len >= MAX_INPUT) break;
      const from = at();
      const n = Math.min(span(), len - from);
      const to = at();
      const b = new Uint8Array(len + n);
      b.set(input.subarray(0, to));
      b.set(input.subarray(from, from + n), to);
      b.set(input.subarray(to), to + n);
      return { bytes: b, what: `duplicate ${n} bytes of ${from} at ${to}` };
    }
    case 8: {
      if (donor === undefined || donor.length === 0) break;
      const cut = at();
      const from = rng.below(donor.length);
      const tail = donor.subarray(from, Math.min(donor.length, from + MAX_INPUT - cut));
      const b = new Uint8Array(cut + tail.length);
      b.set(input.subarray(0, cut));
      b.set(tail, cut);
      return { bytes: b, what: `splice at ${cut} with another input from ${from}` };
    }
    case 9:
    case 10: {
      // Truncation, half the time at a structure boundary (where a table or member starts/ends).
      let cut = at();
      if (op === 10 && map.landmarks.length > 0) cut = Math.max(0, Math.min(len, Math.floor(rng.pick(map.landmarks)) + rng.pick([-1, 0, 1, 4])));
      return { bytes: input.slice(0, cut), what: `truncate to ${cut}` };
    }
    case 11: {
      const b = input.slice();
      const p = at();
      const n = Math.min(span(), len - p);
      b.fill(rng.chance(0.8) ? 0 : 0xff, p, p + n);
      return { bytes: b, what: `fill ${n} bytes at ${p}` };
    }
    case 12: {
      if (len >= MAX_INPUT) break;
      const n = span();
      const b = new Uint8Array(len + n);
      b.set(input);
      if (rng.chance(0.5)) b.set(rng.bytes(n), len);
      return { bytes: b, what: `append ${n} bytes` };
    }
    case 13: {
      // Overwrite a run with a copy from another input (a header from a different seed).
      if (donor === undefined || donor.length === 0) break;
      const b = input.slice();
      const from = rng.below(donor.length);
      const to = at();
      const n = Math.min(span(), donor.length - from, len - to);
      b.set(donor.subarray(from, from + n), to);
      return { bytes: b, what: `overwrite ${n} bytes at ${to} from another input` };
    }
  }
  const b = input.slice();
  if (len > 0) b[at()]! ^= 0x01;
  return { bytes: b, what: 'flip a bit' };
}

/**
 * One mutated child of `input`: one to several stacked mutations, most of them on fields when
 * the input has any. `map` describes `input` (its offsets go stale after an insertion or a
 * deletion, which only makes later field mutations less precise).
 */
export function mutate(input: Uint8Array, map: FieldMap, rng: Rng, donor: Uint8Array | undefined): Mutation {
  let bytes = input;
  const steps: string[] = [];
  const rounds = rng.chance(0.5) ? 1 : 1 + rng.small(7);
  let checksumTouched = false;
  for (let r = 0; r < rounds; r++) {
    if (map.fields.length > 0 && rng.chance(0.6)) {
      if (bytes === input) bytes = input.slice();
      const f = rng.pick(map.fields);
      if (f.role === 'checksum') checksumTouched = true;
      steps.push(mutateField(bytes, f, map, rng));
    } else {
      const m = generic(bytes, map, rng, donor);
      bytes = m.bytes;
      steps.push(m.what);
    }
  }
  if (map.tarHeaders.length > 0 && !(checksumTouched && rng.chance(0.7)) && rng.chance(0.9)) fixTarChecksums(bytes, map.tarHeaders);
  return { bytes, what: steps.join('; ') };
}

/** Rewrites the checksum of each tar header block (at the offsets the seed had them). */
export function fixTarChecksums(b: Uint8Array, headers: readonly number[]): void {
  for (const at of headers) {
    if (at + 512 > b.length) continue;
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : b[at + i]!;
    const text = sum.toString(8).padStart(6, '0').slice(-6);
    for (let i = 0; i < 6; i++) b[at + 148 + i] = text.charCodeAt(i);
    b[at + 154] = 0;
    b[at + 155] = 0x20;
  }
}
