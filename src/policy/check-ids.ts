/**
 * Every check id at run time, for validating config files and profiles. The record makes the
 * compiler refuse a build where `CheckId` gained an id this list lacks (or the reverse).
 */
import { type CheckId } from '../checks/types.js';

const IDS: Readonly<Record<CheckId, true>> = {
  pie: true,
  relro: true,
  bindnow: true,
  nx: true,
  rwx: true,
  textrel: true,
  rpath: true,
  'stack-protector': true,
  fortify: true,
  'stack-clash': true,
  'cet-ibt': true,
  'cet-shstk': true,
  bti: true,
  pac: true,
  pic: true,
  stripped: true,
  debuginfo: true,
  sanitizers: true,
  'safestack-cfi': true,
  toolchain: true,
  'compile-flags': true,
};

export const CHECK_IDS: readonly CheckId[] = Object.keys(IDS) as CheckId[];

export function isCheckId(s: string): s is CheckId {
  return Object.prototype.hasOwnProperty.call(IDS, s);
}
