/**
 * A set of build flags (CFLAGS, LDFLAGS, …) with, for each, where its value last came from.
 * The four operations are those of buildflags.conf and the DEB_<FLAG>_<OP> variables, with
 * dpkg-buildflags' exact spacing rules: SET and APPEND keep the given text as is, STRIP
 * rebuilds the value from its words.
 */

/** Where a flag's value was last changed, in increasing precedence. */
export type Origin = 'vendor' | 'system' | 'user' | 'env';

export type FlagOperation = 'SET' | 'STRIP' | 'APPEND' | 'PREPEND';

export const FLAG_OPERATIONS: readonly FlagOperation[] = ['SET', 'STRIP', 'APPEND', 'PREPEND'];

/** The host flags every vendor defines; each also has a `_FOR_BUILD` twin. */
export const HOST_FLAGS = [
  'ASFLAGS',
  'CFLAGS',
  'CPPFLAGS',
  'CXXFLAGS',
  'DFLAGS',
  'FCFLAGS',
  'FFLAGS',
  'LDFLAGS',
  'OBJCFLAGS',
  'OBJCXXFLAGS',
] as const;

export type HostFlag = (typeof HOST_FLAGS)[number];

/** Every flag dpkg-buildflags lists, sorted as it sorts them. */
export const ALL_FLAGS: readonly string[] = HOST_FLAGS.flatMap((f) => [f, `${f}_FOR_BUILD`]).sort();

export class FlagSet {
  private readonly values = new Map<string, string>();
  private readonly origins = new Map<string, Origin>();
  private readonly maintainer = new Set<string>();
  /** Flags that are part of the vendor's list (as opposed to created by a config file). */
  private readonly listed = new Set<string>();

  constructor(flags: readonly string[] = ALL_FLAGS) {
    for (const f of flags) {
      this.values.set(f, '');
      this.origins.set(f, 'vendor');
      this.listed.add(f);
    }
  }

  has(flag: string): boolean {
    return this.values.has(flag);
  }

  get(flag: string): string | undefined {
    return this.values.get(flag);
  }

  origin(flag: string): Origin | undefined {
    return this.origins.get(flag);
  }

  /** True when a DEB_<FLAG>_MAINT_* variable touched the flag. */
  isMaintainerModified(flag: string): boolean {
    return this.maintainer.has(flag);
  }

  /** The flags of the vendor's list, sorted. */
  listedFlags(): string[] {
    return [...this.listed].sort();
  }

  /** Every flag with a value, including those a config file created, sorted. */
  allFlags(): string[] {
    return [...this.values.keys()].sort();
  }

  /** Vendor-level append: adds words after the current value. */
  append(flag: string, text: string): void {
    const current = this.values.get(flag) ?? '';
    this.values.set(flag, current === '' ? text : `${current} ${text}`);
  }

  /** Vendor-level prepend. */
  prepend(flag: string, text: string): void {
    const current = this.values.get(flag) ?? '';
    this.values.set(flag, current === '' ? text : `${text} ${current}`);
  }

  /** Replaces a value without touching its origin (vendor computation). */
  setVendor(flag: string, text: string): void {
    if (!this.values.has(flag)) this.origins.set(flag, 'vendor');
    this.values.set(flag, text);
  }

  /**
   * Applies one user-level operation. `origin` is recorded unless the change comes from the
   * maintainer, which is recorded as a mark instead (so `--origin` still says who set it).
   */
  apply(op: FlagOperation, flag: string, value: string, origin: Origin, maintainer = false): void {
    const current = this.values.get(flag) ?? '';
    let next: string;
    switch (op) {
      case 'SET':
        next = value;
        break;
      case 'STRIP': {
        const drop = new Set(value.split(/\s+/).filter((w) => w !== ''));
        next = current
          .split(/\s+/)
          .filter((w) => w !== '' && !drop.has(w))
          .join(' ');
        break;
      }
      case 'APPEND':
        next = current === '' ? value : `${current} ${value}`;
        break;
      case 'PREPEND':
        next = current === '' ? value : `${value} ${current}`;
        break;
    }
    this.values.set(flag, next);
    if (maintainer) {
      this.maintainer.add(flag);
      if (!this.origins.has(flag)) this.origins.set(flag, 'vendor');
    } else {
      this.origins.set(flag, origin);
    }
  }

  /** The value, origin and maintainer mark of every flag, for reporting. */
  entries(): { flag: string; value: string; origin: Origin; maintainer: boolean }[] {
    return this.allFlags().map((flag) => ({
      flag,
      value: this.values.get(flag) ?? '',
      origin: this.origins.get(flag) ?? 'vendor',
      maintainer: this.maintainer.has(flag),
    }));
  }
}
