/**
 * What the scan pipeline hands to the analysis: one entry of the walk (a file, a link that was
 * not followed, a special file, or an error), plus, when the bytes live somewhere other than
 * the path shown to the user, where to read them (`/proc/PID/exe`, `/proc/PID/map_files/…`).
 * Targets cross the worker boundary, so they are plain data.
 */
import { type WalkEntry } from '../io/walk.js';

export type ScanTarget = WalkEntry & {
  /** Read the bytes from here instead of `path` (which stays the name in the report). */
  readonly open?: string;
};

/**
 * Names of files that usually hold many members (static archives, packages, tarballs). Their
 * results, a row per member, come back in one message: a batch of a few dozen of them (a
 * directory of cross-compiler libraries) would hold hundreds of thousands of rows at once.
 */
const CONTAINER_NAME = /\.(a|rlib|deb|udeb|ddeb|rpm|tar|tgz|tbz2?|txz|tzst|tar\.(gz|bz2|xz|zst|lz4|lzma))$/;

/** A target that should travel in a batch of its own. */
export function travelsAlone(t: ScanTarget): boolean {
  return t.kind === 'file' && CONTAINER_NAME.test(t.path);
}

/**
 * What a target weighs when batches are balanced between workers: a file its size, when the
 * walk knew it (size -1 when the walk did not stat it: counted as nothing, so such batches
 * close on their count); anything else nothing.
 */
export function targetWeight(t: ScanTarget): number {
  return t.kind === 'file' && t.size > 0 ? t.size : 0;
}
