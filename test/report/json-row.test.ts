/**
 * The JSON row writer (src/report/json-row.ts) against the contract written as an object
 * (row-object.ts): the same text as JSON.stringify, for every field that may be present or
 * absent and for strings JSON must escape.
 */
import { describe, expect, it } from 'vitest';
import { type CheckId } from '../../src/checks/types.js';
import { type JudgedFile, Policy, type UnknownIs } from '../../src/policy/policy.js';
import { type ProfileName } from '../../src/policy/profiles.js';
import { fileRowJson, jsonString } from '../../src/report/json-row.js';
import { type FileResult } from '../../src/scan/result.js';
import { CHECK_INFO } from '../scan/harness.js';
import { rowObject } from './row-object.js';

const ORDER = CHECK_INFO.map((c) => c.id);

/** Strings JSON.stringify escapes or leaves alone in ways a hand-written writer could get wrong. */
const AWKWARD = [
  '',
  'plain words',
  'quote " and backslash \\',
  'controls \u0000\u0001\b\t\n\f\r\u001b\u001f end',
  'DEL \u007f is not escaped',
  'lone high \ud800 surrogate',
  'lone low \udc00 surrogate',
  'a pair \ud83d\ude00 stays',
  'line separators \u2028\u2029',
  'non-ASCII é ü ß 漢字',
  '</script><!-- in a path',
  '.comment "GCC: (Debian 12.2.0-14) 12.2.0"',
];

function judged(over: Partial<JudgedFile>): JudgedFile {
  return { path: '/usr/bin/x', kind: 'pie-executable', verdict: 'pass', failed: [], unknown: [], checks: {}, ...over };
}

describe('jsonString', () => {
  it('is JSON.stringify for every UTF-16 code unit alone and inside text', () => {
    const wrong: number[] = [];
    for (let u = 0; u <= 0xffff; u++) {
      const ch = String.fromCharCode(u);
      if (jsonString(ch) !== JSON.stringify(ch) || jsonString(`a${ch}b`) !== JSON.stringify(`a${ch}b`)) wrong.push(u);
    }
    expect(wrong).toEqual([]);
  });

  it('is JSON.stringify for awkward strings', () => {
    for (const s of AWKWARD) expect(jsonString(s)).toBe(JSON.stringify(s));
  });
});

describe('fileRowJson', () => {
  it('writes every optional field and check field as JSON.stringify of the contract object does', () => {
    const rows: JudgedFile[] = [
      judged({}),
      judged({ machine: 'x86-64', checks: { pie: { status: 'pass', evidence: 'ET_DYN with PT_INTERP' } } }),
      judged({
        machine: 'aarch64',
        verdict: 'fail',
        failed: ['pie', 'relro'],
        unknown: ['fortify'],
        error: 'section headers unreadable',
        checks: {
          // Out of report order, as an analysis could add them.
          relro: { status: 'fail', evidence: 'no PT_GNU_RELRO', remedy: 'link with -Wl,-z,relro', required: true },
          pie: { status: 'fail', evidence: 'ET_EXEC', remedy: 'compile with -fPIE, link with -pie', required: true, waiver: 'fixed address, see #12' },
          'stack-protector': { status: 'pass', value: 'strong', evidence: 'imports __stack_chk_fail' },
          fortify: { status: 'unknown', evidence: 'no fortifiable function', required: true },
        },
      }),
      judged({ kind: 'symlink', verdict: 'skipped', note: 'symbolic link, not followed', target: '/usr/lib/x.so.1' }),
      judged({ kind: 'unreadable', verdict: 'error', error: 'permission denied' }),
      judged({
        path: '/pool/x_1.0_amd64.deb!usr/bin/x',
        package: { path: '/pool/x_1.0_amd64.deb', format: 'deb', name: 'x', version: '1:1.0-2', architecture: 'amd64' },
        machine: 'x86-64',
        checks: { nx: { status: 'pass', evidence: 'PT_GNU_STACK without PF_X' } },
      }),
    ];
    for (const f of rows) expect(fileRowJson(f, f, ORDER)).toBe(JSON.stringify(rowObject(f, ORDER)));
  });

  it('escapes what JSON must escape in every string of a row', () => {
    for (const s of AWKWARD) {
      const f = judged({
        path: `/tmp/${s}`,
        machine: s,
        error: s,
        note: s,
        target: s,
        checks: { rpath: { status: 'fail', value: s, evidence: s, remedy: s, waiver: s }, textrel: { status: 'pass', evidence: s } },
      });
      const text = fileRowJson(f, f, ORDER);
      expect(text).toBe(JSON.stringify(rowObject(f, ORDER)));
      expect((JSON.parse(text) as { note: string }).note).toBe(s);
      // Short strings (machine, value, remedy) are remembered quoted after their first row.
      expect(fileRowJson(f, f, ORDER)).toBe(text);
    }
  });

  it('remembers the quoted form of each string, not of another that shares a prefix or its length', () => {
    for (const [a, b] of [['yes', 'yes\n'], ['x"', 'x\\'], ['\u2028', '\ud800']]) {
      for (const s of [a, b, a, b]) {
        const f = judged({ machine: s, checks: { nx: { status: 'pass', value: s, evidence: 'e', remedy: s } } });
        expect(fileRowJson(f, f, ORDER)).toBe(JSON.stringify(rowObject(f, ORDER)));
      }
    }
  });

  it('puts checks the order does not list after the listed ones, and leaves out listed ones the file lacks', () => {
    const f = judged({ checks: { nx: { status: 'pass', evidence: 'e' }, 'new-check': { status: 'unknown', evidence: 'n' }, pie: { status: 'pass', evidence: 'p' } } as Partial<Record<CheckId, never>> });
    const text = fileRowJson(f, f, ['pie', 'relro', 'nx']);
    expect(Object.keys((JSON.parse(text) as { checks: object }).checks)).toEqual(['pie', 'nx', 'new-check']);
    expect(text).toBe(JSON.stringify(rowObject(f, ['pie', 'relro', 'nx'])));
  });

  it('marks required checks from the policy when the results are not judged (the workers’ rows)', () => {
    const results: FileResult[] = [
      { path: '/a', kind: 'pie-executable', machine: 'x86-64', checks: { pie: { status: 'pass', evidence: 'e' }, nx: { status: 'unknown', evidence: 'e' }, fortify: { status: 'fail', evidence: 'f', remedy: 'r' } } },
      { path: '/b', kind: 'executable', machine: 'x86-64', error: 'partly unreadable', checks: { relro: { status: 'not-applicable', evidence: 'e' } } },
      { path: '/c', kind: 'unreadable', error: 'EACCES', checks: {} },
    ];
    const cases: [ProfileName, UnknownIs][] = [
      ['none', 'warn'],
      ['debian', 'warn'],
      ['debian', 'fail'],
      ['openssf', 'fail'],
    ];
    for (const [profile, unknownIs] of cases) {
      const policy = new Policy({ profile, unknownIs });
      for (const r of results) {
        const expected = JSON.stringify(rowObject(policy.judge(r), ORDER));
        expect(fileRowJson(r, policy.verdictOf(r), ORDER, (id) => policy.isRequired(id))).toBe(expected);
      }
    }
  });
});
