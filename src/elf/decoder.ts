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
  constructor(
    readonly is64: boolean,
    readonly littleEndian: boolean,
  ) {}

  /** Size of one record of `layout` for this class. */
  sizeOf<F extends string>(layout: Layout<F>): number {
    return this.is64 ? layout.size64 : layout.size32;
  }

  u8(b: Uint8Array, o: number): number {
    return b[o] ?? 0;
  }

  u16(b: Uint8Array, o: number): number {
    const x = b[o] ?? 0;
    const y = b[o + 1] ?? 0;
    return this.littleEndian ? x | (y << 8) : (x << 8) | y;
  }

  u32(b: Uint8Array, o: number): number {
    const b0 = b[o] ?? 0;
    const b1 = b[o + 1] ?? 0;
    const b2 = b[o + 2] ?? 0;
    const b3 = b[o + 3] ?? 0;
    return this.littleEndian
      ? (b0 | (b1 << 8) | (b2 << 16) | (b3 << 24)) >>> 0
      : ((b0 << 24) | (b1 << 16) | (b2 << 8) | b3) >>> 0;
  }

  /**
   * Unsigned 64-bit value as a number. Exact up to 2^53; above that (only addresses and
   * hostile sizes get there) it is rounded, and `isExact` says so. Offsets and sizes are
   * validated against the file size by the callers, so rounding never reaches a read.
   */
  u64(b: Uint8Array, o: number): number {
    const lo = this.u32(b, this.littleEndian ? o : o + 4);
    const hi = this.u32(b, this.littleEndian ? o + 4 : o);
    return hi * TWO32 + lo;
  }

  /** Signed 64-bit value as a number (relocation addends, dynamic tags). */
  i64(b: Uint8Array, o: number): number {
    const lo = this.u32(b, this.littleEndian ? o : o + 4);
    const hi = this.u32(b, this.littleEndian ? o + 4 : o) | 0;
    return hi * TWO32 + lo;
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
    return this.is64 ? this.uint(b, base + spec.o64, spec.w64) : this.uint(b, base + spec.o32, spec.w32);
  }

  /** Reads field `f` as a signed value (d_tag, r_addend). */
  signedField<F extends string>(b: Uint8Array, base: number, layout: Layout<F>, f: F): number {
    const spec = layout.fields[f];
    const [o, w] = this.is64 ? [spec.o64, spec.w64] : [spec.o32, spec.w32];
    if (w === 8) return this.i64(b, base + o);
    if (w === 4) return this.i32(b, base + o);
    return this.uint(b, base + o, w);
  }
}

/** Shorthand to declare a field: offsets and widths in ELF32 and ELF64. */
export function f(o32: number, w32: FieldWidth, o64: number, w64: FieldWidth): FieldSpec {
  return { o32, w32, o64, w64 };
}
