/**
 * Where a report goes: standard output or a file. Writes are gathered and flushed in chunks
 * (after each batch of results, or when 64 KiB are pending), so a scan of 100,000 files does
 * not make 100,000 system calls, yet output still streams. A closed pipe (`| head`) sets
 * `closed` so the scan can stop instead of failing.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { type Writable } from 'node:stream';
import { type Sink } from './report-types.js';

const FLUSH_AT = 64 * 1024;

export class OutputSink implements Sink {
  private pending: string[] = [];
  private size = 0;
  private failure: Error | undefined;
  closed = false;

  private constructor(
    private readonly stream: Writable | undefined,
    private readonly fd: number | undefined,
  ) {
    stream?.on('error', (e: NodeJS.ErrnoException) => {
      this.closed = true;
      if (e.code !== 'EPIPE') this.failure = e;
    });
  }

  static stdout(stream: Writable = process.stdout): OutputSink {
    return new OutputSink(stream, undefined);
  }

  /** Opens (creates or truncates) `path`. Throws the fs error. */
  static file(path: string): OutputSink {
    return new OutputSink(undefined, openSync(path, 'w'));
  }

  write(text: string): void {
    if (this.closed) return;
    this.pending.push(text);
    this.size += text.length;
    if (this.size >= FLUSH_AT) this.flush();
  }

  flush(): void {
    if (this.pending.length === 0 || this.closed) return;
    const chunk = this.pending.join('');
    this.pending = [];
    this.size = 0;
    if (this.fd !== undefined) {
      try {
        writeSync(this.fd, chunk);
      } catch (e) {
        this.closed = true;
        this.failure = e instanceof Error ? e : new Error(String(e));
      }
    } else {
      this.stream?.write(chunk);
    }
  }

  /** Flushes, waits until the bytes are handed to the OS, closes a file. Throws a write error. */
  async close(): Promise<void> {
    this.flush();
    if (this.fd !== undefined) {
      closeSync(this.fd);
    } else if (this.stream !== undefined && !this.closed) {
      const s = this.stream;
      await new Promise<void>((resolve) => s.write('', () => resolve()));
    }
    if (this.failure !== undefined) throw this.failure;
  }
}
