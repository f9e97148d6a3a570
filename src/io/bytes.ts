/** Small helpers for byte arrays that may be Node Buffers (whose `.slice()` is a view). */

/** A DataView over exactly the bytes of `b`, wherever they sit in their buffer. */
export function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

/** A copy of `b` that owns its buffer (Uint8Array.prototype.slice, also for Buffers). */
export function copy(b: Uint8Array): Uint8Array {
  return Uint8Array.prototype.slice.call(b);
}

/** The bytes of `parts` one after the other, in a new array. */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
