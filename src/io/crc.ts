/**
 * The two checksums container formats use to prove integrity: CRC-32 (IEEE 802.3, reflected
 * polynomial 0xEDB88320; xz headers and checks, gzip, cpio "crc" sums are simpler) and
 * CRC-64/XZ (ECMA-182, reflected polynomial 0xC96C5795D7870F42; xz checks). CRC-64 is kept as
 * two 32-bit halves so no BigInt arithmetic runs per byte. Tables and running values are int32
 * bit patterns (Int32Array, no `>>> 0` inside loops): uint32 values above 2^31 would become
 * doubles in the JIT and make the loops several times slower.
 */

const CRC32_TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

/** Continues a CRC-32 over `data`; start with crc = 0. Returns an unsigned value. */
export function crc32(data: Uint8Array, crc = 0): number {
  let c = ~crc;
  for (let i = 0; i < data.length; i++) c = CRC32_TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

const POLY64_HI = 0xc96c5795;
const POLY64_LO = 0xd7870f42;
const CRC64_HI = new Int32Array(256);
const CRC64_LO = new Int32Array(256);
for (let n = 0; n < 256; n++) {
  let hi = 0;
  let lo = n;
  for (let k = 0; k < 8; k++) {
    const lsb = lo & 1;
    lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
    hi = hi >>> 1;
    if (lsb) {
      hi = (hi ^ POLY64_HI) >>> 0;
      lo = (lo ^ POLY64_LO) >>> 0;
    }
  }
  CRC64_HI[n] = hi;
  CRC64_LO[n] = lo;
}

/** A running CRC-64/XZ; `value()` gives the 8 check bytes as stored (little-endian). */
export class Crc64 {
  private hi = -1;
  private lo = -1;

  update(data: Uint8Array): void {
    let hi = this.hi;
    let lo = this.lo;
    for (let i = 0; i < data.length; i++) {
      const idx = (lo ^ data[i]!) & 0xff;
      lo = ((lo >>> 8) | (hi << 24)) ^ CRC64_LO[idx]!;
      hi = (hi >>> 8) ^ CRC64_HI[idx]!;
    }
    this.hi = hi;
    this.lo = lo;
  }

  /** The final value as 8 little-endian bytes, the way xz stores it. */
  bytes(): Uint8Array {
    const out = new Uint8Array(8);
    const dv = new DataView(out.buffer);
    dv.setUint32(0, ~this.lo >>> 0, true);
    dv.setUint32(4, ~this.hi >>> 0, true);
    return out;
  }
}
