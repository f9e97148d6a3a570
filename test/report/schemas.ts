/**
 * Validators for the documents `harden scan` writes: its own JSON contract
 * (docs/schema/scan-result-v1.json, draft 2020-12) and SARIF 2.1.0 (the published schema,
 * draft-04, vendored beside this file so the tests run offline).
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import ajvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../helpers/gcc.js';

type Validator = ((data: unknown) => boolean) & { errors?: unknown };

// Both are CommonJS modules whose exports object is also their `default`: `.default` is the
// class or plugin whichever way the module loader hands the default import over.
const AjvDraft04 = ajvDraft04.default;
const addFormats = ajvFormats.default;

function load(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

export const SCAN_SCHEMA = load(join(REPO, 'docs', 'schema', 'scan-result-v1.json'));

const ajv2020 = new Ajv2020({ allErrors: true, strict: true });
const scanDocument = ajv2020.compile(SCAN_SCHEMA);
const scanFile = ajv2020.getSchema('urn:hardening-check:schema:scan-result-v1#/$defs/file');

/** Errors of `doc` against the scan-result schema (empty when valid). */
export function scanJsonErrors(doc: unknown): string {
  return scanDocument(doc) ? '' : JSON.stringify(scanDocument.errors, null, 1);
}

/** Errors of one JSON Lines object against `#/$defs/file`. */
export function scanFileErrors(obj: unknown): string {
  if (scanFile === undefined) throw new Error('schema has no $defs/file');
  return scanFile(obj) ? '' : JSON.stringify(scanFile.errors, null, 1);
}

// unicodeRegExp off: the schema's language pattern has a stray ']' that only the u flag rejects.
const ajv04 = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv04);
const sarif: Validator = ajv04.compile(load(join(REPO, 'test', 'report', 'sarif-schema-2.1.0.json')));

export function sarifErrors(doc: unknown): string {
  return sarif(doc) ? '' : JSON.stringify(sarif.errors, null, 1);
}
