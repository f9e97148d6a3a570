/**
 * Every check of `harden scan`, in the order of the columns of tables and reports. Adding a
 * check is adding its module and one line here.
 */
import { bindnowCheck } from './bindnow.js';
import { btiCheck, pacCheck } from './branch-protection.js';
import { cetIbtCheck, cetShstkCheck } from './cet.js';
import { compileFlagsCheck } from './compile-flags.js';
import { type CheckContext } from './context.js';
import { debuginfoCheck } from './debuginfo.js';
import { fortifyCheck } from './fortify.js';
import { nxCheck } from './nx.js';
import { picCheck } from './pic.js';
import { pieCheck } from './pie.js';
import { relroCheck } from './relro.js';
import { rpathCheck } from './rpath.js';
import { rwxCheck } from './rwx.js';
import { safestackCfiCheck } from './safestack-cfi.js';
import { sanitizersCheck } from './sanitizers.js';
import { stackClashCheck } from './stack-clash.js';
import { stackProtectorCheck } from './stack-protector.js';
import { strippedCheck } from './stripped.js';
import { textrelCheck } from './textrel.js';
import { toolchainCheck } from './toolchain.js';
import { type CheckDefinition, type CheckId } from './types.js';

export type Check = CheckDefinition<CheckContext>;

export const CHECKS: readonly Check[] = Object.freeze([
  pieCheck,
  relroCheck,
  bindnowCheck,
  nxCheck,
  rwxCheck,
  textrelCheck,
  rpathCheck,
  stackProtectorCheck,
  fortifyCheck,
  stackClashCheck,
  cetIbtCheck,
  cetShstkCheck,
  btiCheck,
  pacCheck,
  picCheck,
  strippedCheck,
  debuginfoCheck,
  sanitizersCheck,
  safestackCfiCheck,
  toolchainCheck,
  compileFlagsCheck,
]);

const BY_ID: ReadonlyMap<CheckId, Check> = new Map(CHECKS.map((c) => [c.id, c]));

/** The check with this id, or undefined when it is not registered. */
export function checkById(id: CheckId): Check | undefined {
  return BY_ID.get(id);
}

/** Ids of all registered checks, in column order. */
export const CHECK_IDS: readonly CheckId[] = Object.freeze(CHECKS.map((c) => c.id));
