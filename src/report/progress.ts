/**
 * The progress bar of long scans, on standard error (cli-progress). It appears only after a
 * delay, so short scans never flash one, and only where the caller decided it may (a terminal
 * that is not also receiving the streamed report).
 */
import cliProgress from 'cli-progress';
import { type Writable } from 'node:stream';

export class ScanProgress {
  private bar: cliProgress.SingleBar | undefined;
  private done = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly total: number,
    stream: Writable,
    delayMs = 1000,
  ) {
    this.timer = setTimeout(() => {
      this.bar = new cliProgress.SingleBar(
        {
          stream,
          format: 'harden scan [{bar}] {percentage}% | {value}/{total} files | ETA {eta_formatted}',
          hideCursor: true,
          clearOnComplete: true,
          etaBuffer: 200,
          fps: 5,
        },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(this.total, this.done);
    }, delayMs);
    this.timer.unref();
  }

  advance(n: number): void {
    this.done += n;
    this.bar?.update(this.done);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.bar?.stop();
  }
}
