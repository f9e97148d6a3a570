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

/** Size used to balance work between workers: files by their size, anything else as nothing. */
export function targetWeight(t: ScanTarget): number {
  return t.kind === 'file' ? t.size : 0;
}
