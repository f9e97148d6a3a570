/**
 * How many targets the next batch should hold. Files met while walking come without a size, so
 * the pipeline cannot weigh them; instead it watches how long batches take and aims each at
 * about `targetMs`: a tree of small text files (/usr/share) grows to hundreds of targets a
 * batch, so messages stay few, and a tree of large libraries shrinks to a handful, so the last
 * batches do not leave one worker busy while the others wait.
 */
export class BatchSizer {
  private perTarget: number | undefined;
  private current: number;

  constructor(
    initial: number,
    private readonly min = 8,
    private readonly max = 1024,
    private readonly targetMs = 50,
  ) {
    this.current = initial;
  }

  /** The count the next batch should close at. */
  get count(): number {
    return this.current;
  }

  /** A batch of `targets` took `ms` to analyse. */
  observe(targets: number, ms: number): void {
    if (targets <= 0 || !(ms >= 0)) return;
    const per = ms / targets;
    // A moving average: one slow file does not swing the size, a new kind of directory does.
    this.perTarget = this.perTarget === undefined ? per : 0.7 * this.perTarget + 0.3 * per;
    const want = this.perTarget > 0 ? this.targetMs / this.perTarget : this.max;
    this.current = Math.max(this.min, Math.min(this.max, Math.round(want)));
  }
}
