/** What the CLI's JSON says each row of the file table must show, in the shape `domRows` reads. */
import { CHECKS } from '../../src/checks/registry.js';
import { type DomRow } from './browser.js';

export interface JsonCheck {
  status: string;
  value?: string;
  evidence: string;
  remedy?: string;
  required?: boolean;
  waiver?: string;
}

export interface JsonFile {
  path: string;
  kind: string;
  machine?: string;
  verdict: string;
  failed: string[];
  error?: string;
  note?: string;
  checks: Record<string, JsonCheck>;
}

export interface JsonDocument {
  files: JsonFile[];
  summary: {
    files: number;
    analysed: number;
    verdicts: Record<'pass' | 'fail' | 'error' | 'skipped', number>;
    unknownRequired: number;
    checks: Record<string, Record<'pass' | 'fail' | 'unknown' | 'not-applicable' | 'waived', number>>;
    exitStatus: number;
  };
}

export const HARDENING = CHECKS.filter((c) => c.category === 'hardening').map((c) => c.id);

export function expectedRow(f: JsonFile): DomRow {
  const checks: Record<string, string> = {};
  if (Object.keys(f.checks).length > 0) for (const id of HARDENING) checks[id] = f.checks[id]?.status ?? '';
  const why = f.error ?? (f.failed.length > 0 ? f.failed.join(', ') : Object.keys(f.checks).length === 0 ? (f.note ?? '') : '');
  return { path: f.path, verdict: f.verdict, kind: f.kind, machine: f.machine ?? '', why, checks };
}

/** The summary counts the page and the report show (`[data-count]` name → text), from the JSON summary. */
export function expectedCounts(s: JsonDocument['summary']): Record<string, string> {
  return {
    files: String(s.files),
    pass: String(s.verdicts.pass),
    fail: String(s.verdicts.fail),
    error: String(s.verdicts.error),
    skipped: String(s.verdicts.skipped),
    ...(s.unknownRequired > 0 ? { unknownRequired: String(s.unknownRequired) } : {}),
    exitStatus: String(s.exitStatus),
  };
}
