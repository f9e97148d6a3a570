/**
 * The messages between the page and its scan workers. A File crosses as a File (a handle: the
 * browser shares its bytes, nothing is copied); results come back as plain FileResult objects.
 */
import { type FileResult } from '../src/scan/result.js';

export interface ScanRequest {
  readonly id: number;
  readonly file: File;
  /** The name the report shows: the dropped file's name, or `dir/sub/name` inside a dropped folder. */
  readonly path: string;
  /** Dropped by name (a non-ELF file is reported), or met inside a dropped folder (skipped). */
  readonly explicit: boolean;
}

export type ScanReply =
  | { readonly id: number; readonly ok: true; readonly results: readonly FileResult[] }
  | { readonly id: number; readonly ok: false; readonly error: string };
