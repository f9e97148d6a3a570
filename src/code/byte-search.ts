/**
 * Finding a short byte string in a large code section, fast.
 *
 * The recognisers never decode a whole section: they look for a distinctive byte string (an
 * "anchor", e.g. the `sub rsp,0x1000` immediate) and decode only around each hit. The search
 * therefore dominates the cost, and a JavaScript loop over 50 MB of code takes ~100 ms where
 * Node's native `Buffer.prototype.indexOf` takes ~5 ms. Node is the main runtime, but the
 * library must also run in a browser, so `Buffer` is reached only through `globalThis` and
 * only here; without it we fall back to `Uint8Array.prototype.indexOf` on the needle's first
 * byte (still native) and compare the rest in JavaScript. Either way the cost grows with how
 * often the needle's first byte occurs, so callers start their needles with a rare byte.
 */

/** The subset of Node's `Buffer` that we use, so the code type-checks without Node's types. */
interface NativeBytes {
  indexOf(value: Uint8Array, byteOffset: number): number;
}
interface NativeBytesCtor {
  from(buffer: ArrayBufferLike, byteOffset: number, length: number): NativeBytes;
}

function isNativeCtor(v: unknown): v is NativeBytesCtor {
  return typeof v === 'function' && 'from' in v && typeof v.from === 'function';
}

function nativeCtor(): NativeBytesCtor | undefined {
  const b: unknown = Reflect.get(globalThis, 'Buffer');
  return isNativeCtor(b) ? b : undefined;
}

const NATIVE: NativeBytesCtor | undefined = nativeCtor();

/**
 * A reusable searcher over one haystack. Creating the native view once per section (rather
 * than per call) matters: a section may produce thousands of hits.
 */
export class ByteSearcher {
  private readonly native: NativeBytes | undefined;

  constructor(
    readonly haystack: Uint8Array,
    useNative = true,
  ) {
    // A zero-copy view: Buffer.from(arrayBuffer, offset, length) shares the memory.
    this.native = useNative && NATIVE !== undefined ? NATIVE.from(haystack.buffer, haystack.byteOffset, haystack.byteLength) : undefined;
  }

  /**
   * Index of the first occurrence of `needle` at or after `from`, or -1. An empty needle is
   * never found (a caller looping on hits would otherwise never advance).
   */
  indexOf(needle: Uint8Array, from: number): number {
    const hay = this.haystack;
    if (needle.length === 0 || from < 0 || from + needle.length > hay.length) return -1;
    if (this.native !== undefined) return this.native.indexOf(needle, from);
    return indexOfFallback(hay, needle, from);
  }
}

/** Portable search: native `indexOf` on the needle's first byte, the rest compared here. */
export function indexOfFallback(hay: Uint8Array, needle: Uint8Array, from: number): number {
  const n = needle.length;
  if (n === 0) return -1;
  const last = hay.length - n;
  const first = needle[0] ?? 0;
  let i = from;
  while (i <= last) {
    i = hay.indexOf(first, i);
    if (i === -1 || i > last) return -1;
    let k = 1;
    while (k < n && hay[i + k] === needle[k]) k++;
    if (k === n) return i;
    i++;
  }
  return -1;
}
