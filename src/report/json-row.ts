/**
 * One file's row of the JSON formats (`json`, `jsonl`, and the data of the `html` report), as
 * text:
 *   {"path", "kind", "machine"?, "verdict", "failed", "unknown", "error"?, "note"?, "target"?,
 *    "package"?, "checks": {"<id>": {"status", "value"?, "evidence", "remedy"?, "required"?,
 *    "waiver"?}}}
 * keys in that order, fields that are undefined left out, checks in report order (any the
 * order does not list after them): what `JSON.stringify` writes for that object, byte for byte
 * (test/report/json-row.test.ts holds the two together).
 *
 * Why text and not `JSON.stringify` of an object: a scan's workers render a row per file
 * (src/scan/rendered-rows.ts), mostly in code V8 has not optimised yet. Copying every check
 * with the policy's marks, building the row object and stringifying it took ~130 µs a row, timed
 * inside the two workers of a scan of /usr's 3,590 ELF files: ~0.46 s of the scan's ~5.9 s of
 * CPU. Written here, with `JSON.stringify` kept for the strings that need escaping, 50-70 µs.
 */
import { type CheckId } from '../checks/types.js';
import { type FileJudgement, type JudgedCheck } from '../policy/policy.js';
import { type CheckResult, type FileResult } from '../scan/result.js';

/** Whether the row marks a check `"required": true`. */
export type RequiredMark = (id: CheckId, check: JudgedCheck) => boolean;

/** A judged file's checks carry their own mark (`Policy.judge` sets it). */
const markedRequired: RequiredMark = (_id, check) => check.required === true;

/**
 * Characters JSON.stringify escapes in a string: the quote, the backslash, controls and
 * surrogates (it escapes lone ones; a string with a pair is handed to it as well, which writes
 * the pair as it is). Most strings of a row have none and are quoted as they are.
 */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** `JSON.stringify(s)`, without the call for the strings that need no escaping. */
export function jsonString(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}

/**
 * `jsonString` of the strings rows repeat: check ids, statuses, kinds, machines, values and
 * most remedies come from small vocabularies. A row has ~80 strings; testing each with the
 * regular expression cost ~30 ms per worker in a scan of /usr (V8 runs a new expression in its
 * regexp interpreter before it compiles it), where a look-up here costs a string hash that the
 * constant strings already carry. Bounded: strings built per file (a remedy naming a file)
 * stop being remembered once it is full.
 */
const quotedWords = new Map<string, string>();
const QUOTED_WORDS_MAX = 1024;
const QUOTED_WORD_LENGTH = 256;

function quotedWord(s: string): string {
  let q = quotedWords.get(s);
  if (q === undefined) {
    q = jsonString(s);
    if (quotedWords.size < QUOTED_WORDS_MAX && s.length <= QUOTED_WORD_LENGTH) quotedWords.set(s, q);
  }
  return q;
}

function idList(ids: readonly CheckId[]): string {
  if (ids.length === 0) return '[]';
  let out = '[';
  for (let i = 0; i < ids.length; i++) out += (i === 0 ? '' : ',') + quotedWord(ids[i] ?? '');
  return `${out}]`;
}

function checkJson(c: CheckResult, required: boolean): string {
  let out = `{"status":${quotedWord(c.status)}`;
  if (c.value !== undefined) out += `,"value":${quotedWord(c.value)}`;
  if (c.evidence !== undefined) out += `,"evidence":${jsonString(c.evidence)}`;
  if (c.remedy !== undefined) out += `,"remedy":${quotedWord(c.remedy)}`;
  if (required) out += ',"required":true';
  if (c.waiver !== undefined) out += `,"waiver":${jsonString(c.waiver)}`;
  return `${out}}`;
}

/**
 * The row of `f`, judged `v`. `order` lists check ids in report order, each once.
 * `required` says which checks the row marks required: by default those the judged file's
 * checks mark themselves; a worker rendering unjudged results asks the policy instead.
 */
export function fileRowJson(f: FileResult, v: FileJudgement, order: readonly CheckId[], required: RequiredMark = markedRequired): string {
  let out = `{"path":${jsonString(f.path)},"kind":${quotedWord(f.kind)}`;
  if (f.machine !== undefined) out += `,"machine":${quotedWord(f.machine)}`;
  out += `,"verdict":${quotedWord(v.verdict)},"failed":${idList(v.failed)},"unknown":${idList(v.unknown)}`;
  if (f.error !== undefined) out += `,"error":${jsonString(f.error)}`;
  if (f.note !== undefined) out += `,"note":${jsonString(f.note)}`;
  if (f.target !== undefined) out += `,"target":${jsonString(f.target)}`;
  if (f.package !== undefined) out += `,"package":${JSON.stringify(f.package)}`;
  out += ',"checks":{';
  const checks = f.checks;
  let written = 0;
  for (let i = 0; i < order.length; i++) {
    const id = order[i];
    const c = id === undefined ? undefined : checks[id];
    if (id === undefined || c === undefined) continue;
    out += `${written++ === 0 ? '' : ','}${quotedWord(id)}:${checkJson(c, required(id, c))}`;
  }
  // Checks the order does not list (an analysis newer than the report's list) follow, as they come.
  const ids = Object.keys(checks) as CheckId[];
  if (ids.length > written) {
    for (const id of ids) {
      const c = checks[id];
      if (c === undefined || order.includes(id)) continue;
      out += `${written++ === 0 ? '' : ','}${jsonString(id)}:${checkJson(c, required(id, c))}`;
    }
  }
  return `${out}}}`;
}
