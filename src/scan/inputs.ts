/**
 * Turns what the user named into the stream of targets to scan, lazily and in a stable order:
 * the paths on the command line, then those listed by `--files-from`, then each `--pid`.
 * Directories are walked by `walk` (sorted, links reported and followed only with `follow`,
 * special files never opened).
 */
import { createReadStream } from 'node:fs';
import { type Readable } from 'node:stream';
import { walk } from '../io/walk.js';
import { pidTargets } from './pid-targets.js';
import { type ScanTarget } from './target.js';

export interface InputSpec {
  readonly paths: readonly string[];
  /** A file listing paths, one a line (or NUL-separated), or `-` for standard input. */
  readonly filesFrom?: string;
  readonly pids: readonly number[];
  readonly follow: boolean;
}

/** The targets of `spec`, in order. `stdin` is where `--files-from -` reads. */
export async function* scanTargets(spec: InputSpec, stdin: Readable = process.stdin): AsyncGenerator<ScanTarget> {
  // The workers stat what they open: the walk only reads directories.
  const opts = { follow: spec.follow, statFiles: false };
  yield* walk(spec.paths, opts);
  if (spec.filesFrom !== undefined) {
    const stream = spec.filesFrom === '-' ? stdin : createReadStream(spec.filesFrom);
    // A chunk's paths are walked together (walk takes each root on its own): one generator per
    // chunk read rather than an async step and a walk per path. V8 compiled the per-path loop
    // on the main thread (~45 ms of compiling in a scan of /usr's 3,590-line list), taking CPU
    // from the workers it feeds.
    for await (const paths of listedPaths(stream)) yield* walk(paths, opts);
  }
  for (const pid of spec.pids) yield* pidTargets(pid);
}

/**
 * The paths in a list, streamed (a `find … | harden scan --files-from -` pipeline starts
 * scanning before find ends): the complete paths of each chunk read, as one array, in order.
 * Lines end in LF (CR LF tolerated); when the first chunk holds a NUL, NUL is the separator
 * (`find -print0`), so paths may contain newlines. Empty entries are skipped. A read error
 * (missing file) is thrown to the caller: it is a usage error.
 */
export async function* listedPaths(stream: Readable): AsyncGenerator<string[]> {
  let sep: '\n' | '\0' | undefined;
  let rest = '';
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    sep ??= text.includes('\0') ? '\0' : '\n';
    const parts = (rest + text).split(sep);
    rest = parts.pop() ?? '';
    const paths: string[] = [];
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i] ?? '';
      const path = sep === '\n' ? withoutCR(p) : p;
      if (path !== '') paths.push(path);
    }
    if (paths.length > 0) yield paths;
  }
  rest += decoder.decode();
  const last = sep === '\0' ? rest : withoutCR(rest);
  if (last !== '') yield [last];
}

/** A line without the CR of a CR LF ending. */
function withoutCR(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
