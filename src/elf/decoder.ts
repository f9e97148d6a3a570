/**
 * Class (32/64-bit) and byte order are handled here once. Every structure is described by a
 * layout (field → offset and width per class) and read through one `ElfDecoder`, so there are
 * no 32/64 twins of any parser.
 */

/** Width in bytes of a field; 'w' is the class word (4 on ELF32, 8 on ELF64). */
export type FieldWidth = 1 | 2 | 4 | 8;

/** One field: its offset in the record and its width, for ELF32 and ELF64. */
export interface FieldSpec {
  readonly o32: number;
  readonly w32: FieldWidth;
  readonly o64: number;
  readonly w64: FieldWidth;
}

/** A record layout: its size per class and its fields. */
export interface Layout<F extends string> {
  readonly size32: number;
  readonly size64: number;
  readonly fields: Readonly<Record<F, FieldSpec>>;
}

const TWO32 = 2 ** 32;

/** Where one field sits in a record of the decoder's class. */
export interface FieldPlace {
  readonly o: number;
  readonly w: FieldWidth;
}

/** Field places per layout, for each class (built once per layout). */
const places: [WeakMap<object, object>, WeakMap<object, object>] = [new WeakMap(), new WeakMap()];

export class ElfDecoder {
  /*
   * Where each byte of a value sits, least significant first, so the readers below run the same
   * operations for either byte order. A branch per byte order would be compiled for the order
   * seen first and thrown away at the first file of the other (V8 optimises a function for the
   * paths it has run): in a scan of /usr, whose cross-compiler directories hold big-endian
   * files, that recompiled the symbol, dynamic and relocation readers in every worker.
   */
  private readonly b16: readonly [number, number];
  private readonly b32: readonly [number, number, number, number];
  /** Offsets of the low and the high 32-bit half of a 64-bit value. */
  private readonly lo64: number;
  private readonly hi64: number;
  /**
   * 1 for ELF64, 0 for ELF32: `sizeOf` and `offsetOf` compute with it instead of choosing a
   * property by class, for the same reason as the byte positions above (a property read only
   * on one side of a branch has no type feedback for the other class, and the first file of
   * that class threw away the optimised symbol-table reader).
   */
  private readonly c64: number;
  /** Offsets of the class word's low and high 32-bit halves (both 0 on ELF32: see `word`). */
  private readonly wordLo: number;
  private readonly wordHi: number;

  constructor(
    readonly is64: boolean,
    readonly littleEndian: boolean,
  ) {
    this.b16 = littleEndian ? [0, 1] : [1, 0];
    this.b32 = littleEndian ? [0, 1, 2, 3] : [3, 2, 1, 0];
    this.lo64 = littleEndian ? 0 : 4;
    this.hi64 = littleEndian ? 4 : 0;
    this.c64 = is64 ? 1 : 0;
    this.wordLo = is64 ? this.lo64 : 0;
    this.wordHi = is64 ? this.hi64 : 0;
  }

  /** Size of one record of `layout` for this class. */
  sizeOf<F extends string>(layout: Layout<F>): number {
    return layout.size32 + this.c64 * (layout.size64 - layout.size32);
  }

  /** Offset of a field in a record of this class. */
  offsetOf(spec: FieldSpec): number {
    return spec.o32 + this.c64 * (spec.o64 - spec.o32);
  }

  /** Width of a field in this class. */
  widthOf(spec: FieldSpec): FieldWidth {
    return (spec.w32 + this.c64 * (spec.w64 - spec.w32)) as FieldWidth;
  }

  u8(b: Uint8Array, o: number): number {
    return b[o] ?? 0;
  }

  u16(b: Uint8Array, o: number): number {
    const p = this.b16;
    return (b[o + p[0]] ?? 0) | ((b[o + p[1]] ?? 0) << 8);
  }

  u32(b: Uint8Array, o: number): number {
    const p = this.b32;
    return ((b[o + p[0]] ?? 0) | ((b[o + p[1]] ?? 0) << 8) | ((b[o + p[2]] ?? 0) << 16) | ((b[o + p[3]] ?? 0) << 24)) >>> 0;
  }

  /**
   * Unsigned 64-bit value as a number. Exact up to 2^53; above that (only addresses and
   * hostile sizes get there) it is rounded, and `isExact` says so. Offsets and sizes are
   * validated against the file size by the callers, so rounding never reaches a read.
   */
  u64(b: Uint8Array, o: number): number {
    return this.u32(b, o + this.hi64) * TWO32 + this.u32(b, o + this.lo64);
  }

  /**
   * The class word at `o` (4 bytes on ELF32, 8 on ELF64), unsigned. Both halves are read in
   * either class (on ELF32 the one word twice, the second time weighted 0), so the operations
   * are the same for both, as in `sizeOf`.
   */
  word(b: Uint8Array, o: number): number {
    return this.u32(b, o + this.wordLo) + this.c64 * TWO32 * this.u32(b, o + this.wordHi);
  }

  /** The low 32 bits of the 64-bit value at `o` (r_info's type). */
  lo32(b: Uint8Array, o: number): number {
    return this.u32(b, o + this.lo64);
  }

  /** The high 32 bits of the 64-bit value at `o` (r_info's symbol). */
  hi32(b: Uint8Array, o: number): number {
    return this.u32(b, o + this.hi64);
  }

  /** Signed 64-bit value as a number (relocation addends, dynamic tags). */
  i64(b: Uint8Array, o: number): number {
    return (this.u32(b, o + this.hi64) | 0) * TWO32 + this.u32(b, o + this.lo64);
  }

  i32(b: Uint8Array, o: number): number {
    return this.u32(b, o) | 0;
  }

  /** Reads an unsigned field of the given width. */
  uint(b: Uint8Array, o: number, width: FieldWidth): number {
    switch (width) {
      case 1:
        return this.u8(b, o);
      case 2:
        return this.u16(b, o);
      case 4:
        return this.u32(b, o);
      case 8:
        return this.u64(b, o);
    }
  }

  /**
   * Every field's offset and width in this class, for loops over many records: `field` looks
   * the field up by name on each call, which showed in scans of thousands of files, while
   * `uint(b, base + p.type.o, p.type.w)` on these places does not.
   */
  placesOf<F extends string>(layout: Layout<F>): Readonly<Record<F, FieldPlace>> {
    const cache = places[this.is64 ? 1 : 0];
    let p = cache.get(layout) as Record<F, FieldPlace> | undefined;
    if (p === undefined) {
      const built: Partial<Record<F, FieldPlace>> = {};
      for (const f of Object.keys(layout.fields) as F[]) {
        const spec = layout.fields[f];
        built[f] = this.is64 ? { o: spec.o64, w: spec.w64 } : { o: spec.o32, w: spec.w32 };
      }
      p = built as Record<F, FieldPlace>;
      cache.set(layout, p);
    }
    return p;
  }

  /** Reads field `f` of a record of `layout` that starts at `base` in `b`. */
  field<F extends string>(b: Uint8Array, base: number, layout: Layout<F>, f: F): number {
    const spec = layout.fields[f];
    return this.uint(b, base + this.offsetOf(spec), this.widthOf(spec));
  }

  /** Reads field `f` as a signed value (d_tag, r_addend). */
  signedField<F extends string>(b: Uint8Array, base: number, layout: Layout<F>, f: F): number {
    const spec = layout.fields[f];
    const o = this.offsetOf(spec);
    const w = this.widthOf(spec);
    if (w === 8) return this.i64(b, base + o);
    if (w === 4) return this.i32(b, base + o);
    return this.uint(b, base + o, w);
  }
}

/** Shorthand to declare a field: offsets and widths in ELF32 and ELF64. */
export function f(o32: number, w32: FieldWidth, o64: number, w64: FieldWidth): FieldSpec {
  return { o32, w32, o64, w64 };
}
