/**
 * The drop-in's per-file task (runs in a worker or in-process): open the path, compute the
 * reference facts, and return them or the reason the file cannot be read. Never throws for a
 * bad file: every failure is a value.
 */
import { FileSource } from '../io/file-source.js';
import { type Limits } from '../limits.js';
import { type ReferenceFacts, referenceFacts, UnreadableInput } from './reference-facts.js';

export interface FactsRequest {
  readonly path: string;
  readonly stackClash: boolean;
  /** Caps for this file (HARDEN_LIMITS); the defaults when absent. */
  readonly limits?: Limits;
}

export type FactsResult = { readonly facts: ReferenceFacts } | { readonly unreadable: string };

export function factsForPath(req: FactsRequest): FactsResult {
  let src: FileSource;
  try {
    src = FileSource.open(req.path);
  } catch (e) {
    return { unreadable: describeOpenError(req.path, e) };
  }
  try {
    return { facts: referenceFacts(src, req.limits === undefined ? { stackClash: req.stackClash } : { stackClash: req.stackClash, limits: req.limits }) };
  } catch (e) {
    if (e instanceof UnreadableInput) return { unreadable: e.message };
    return { unreadable: `${req.path}: ${(e as Error).message}` };
  } finally {
    src.close();
  }
}

/** Worker entry point (see src/run/tasks.ts). */
export function referenceFactsTask(input: unknown): FactsResult {
  return factsForPath(input as FactsRequest);
}

function describeOpenError(path: string, e: unknown): string {
  const code = (e as { code?: string }).code;
  switch (code) {
    case 'ENOENT':
      return `'${path}': No such file`;
    case 'EACCES':
      return `'${path}': Permission denied`;
    case 'EISDIR':
    case 'ENOTREG':
      return `'${path}' is not an ordinary file`;
    default:
      return `'${path}': ${(e as Error).message}`;
  }
}
