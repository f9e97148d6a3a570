/**
 * The JSON row contract written as an object (docs/scan.md "The JSON contract"), for tests: the
 * writer (src/report/json-row.ts) builds the text directly, and must give exactly
 * `JSON.stringify(rowObject(f, order))`.
 */
import { type CheckId } from '../../src/checks/types.js';
import { type JudgedCheck, type JudgedFile } from '../../src/policy/policy.js';

function checkObject(c: JudgedCheck): Record<string, unknown> {
  const o: Record<string, unknown> = { status: c.status };
  if (c.value !== undefined) o['value'] = c.value;
  o['evidence'] = c.evidence;
  if (c.remedy !== undefined) o['remedy'] = c.remedy;
  if (c.required === true) o['required'] = true;
  if (c.waiver !== undefined) o['waiver'] = c.waiver;
  return o;
}

/** One file as the JSON shows it: keys in the documented order, checks in report order first. */
export function rowObject(f: JudgedFile, order: readonly CheckId[]): Record<string, unknown> {
  const o: Record<string, unknown> = { path: f.path, kind: f.kind };
  if (f.machine !== undefined) o['machine'] = f.machine;
  o['verdict'] = f.verdict;
  o['failed'] = f.failed;
  o['unknown'] = f.unknown;
  if (f.error !== undefined) o['error'] = f.error;
  if (f.note !== undefined) o['note'] = f.note;
  if (f.target !== undefined) o['target'] = f.target;
  if (f.package !== undefined) o['package'] = f.package;
  const checks: Record<string, unknown> = {};
  for (const id of [...order, ...(Object.keys(f.checks) as CheckId[])]) {
    const c = f.checks[id];
    if (c !== undefined && checks[id] === undefined) checks[id] = checkObject(c);
  }
  o['checks'] = checks;
  return o;
}
