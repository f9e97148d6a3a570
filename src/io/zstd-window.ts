/**
 * A sliding window for fzstd's streaming decoder that costs O(block) per block instead of
 * O(window).
 *
 * Why: after every block, fzstd's `Decompress` shifts its whole window left by the block's
 * length (`copyWithin` over the window) and appends the block. The cost of a block is thus
 * the window size, whatever the block's: a hostile stream of one-byte blocks under an 8 MiB
 * window costs 8 MiB of copying per input byte (an 8 KiB file took 17 s; a fuzzing finding),
 * and large legitimate windows pay it on every block too.
 *
 * How: the frame state fzstd keeps (`Decompress#s`: window `w`, window size `e`, repeat
 * offsets `o`, last-block flag `l`) is taken over when fzstd creates it. The window becomes a
 * view of a larger buffer that moves forward as output arrives, compacted once per `slack`
 * bytes (amortised O(1) per byte). Around fzstd's own shift, `w` is swapped for a scratch
 * array the size of the block, so the shift and append cost O(block); the real window is put
 * back when fzstd next reads `l`, which it does right after its append and before it decodes
 * another block. These are fzstd 0.1.1 internals (the version is pinned); the decompression
 * tests compare multi-block streams with the zstd tool's output, so a change would show.
 */

/** fzstd's per-frame state, the fields this module relies on. */
interface FrameState {
  w: Uint8Array;
  e: number;
  o: Int32Array;
  l: number;
}

function isFrameState(v: unknown): v is FrameState {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as Partial<Record<keyof FrameState, unknown>>;
  return s.w instanceof Uint8Array && typeof s.e === 'number' && s.o instanceof Int32Array && s.w.length === s.e;
}

class SlidingFrame {
  private readonly size: number;
  private ring: Uint8Array;
  private end: number;
  private shifted = false;
  private scratch = new Uint8Array(0);

  constructor(private readonly st: FrameState) {
    this.size = st.e;
    // A quarter of the window (at least one largest block) between compactions.
    const slack = Math.max(128 * 1024, Math.ceil(this.size / 4));
    this.ring = new Uint8Array(this.size + slack);
    // The window starts as zeros, as fzstd's does.
    this.end = this.size;
    // Own copies, so fzstd's window buffer (which also held these) can be collected.
    st.o = Int32Array.from(st.o);
    st.w = this.view();
    let last = st.l;
    Object.defineProperty(st, 'l', {
      configurable: true,
      enumerable: true,
      get: () => {
        if (this.shifted) {
          this.shifted = false;
          st.w = this.view();
        }
        return last;
      },
      set: (v: number) => {
        last = v;
      },
    });
  }

  private view(): Uint8Array {
    return this.ring.subarray(this.end - this.size, this.end);
  }

  /** A block came out: keep it in the window, and let fzstd shift a scratch array instead. */
  append(block: Uint8Array): void {
    const n = block.length;
    if (n === 0) return;
    if (n >= this.size) {
      this.ring.set(block.subarray(n - this.size), 0);
      this.end = this.size;
    } else {
      if (this.end + n > this.ring.length) {
        this.ring.copyWithin(0, this.end - (this.size - n), this.end);
        this.end = this.size - n;
      }
      this.ring.set(block, this.end);
      this.end += n;
    }
    if (this.scratch.length < n) this.scratch = new Uint8Array(Math.max(n, 2 * this.scratch.length));
    this.st.w = this.scratch.subarray(0, n);
    this.shifted = true;
  }
}

/**
 * Takes over the frame state of a fzstd `Decompress` as it is created. Returns the function
 * to call with every block the decoder emits, before anything else sees it.
 */
export function slideWindows(decoder: object): (block: Uint8Array) => void {
  let state: unknown;
  let frame: SlidingFrame | null = null;
  Object.defineProperty(decoder, 's', {
    configurable: true,
    enumerable: true,
    get: () => state,
    set: (v: unknown) => {
      state = v;
      frame = isFrameState(v) ? new SlidingFrame(v) : null;
    },
  });
  return (block) => frame?.append(block);
}
