/**
 * The policy: profiles, how the config file and the command line combine, what each status
 * means for a required check, waivers and their globs, and the exit status.
 */
import { describe, expect, it } from 'vitest';
import { type CheckId } from '../../src/checks/types.js';
import { type HardenConfig } from '../../src/policy/config.js';
import { Policy } from '../../src/policy/policy.js';
import { PROFILES } from '../../src/policy/profiles.js';
import { SummaryBuilder } from '../../src/policy/summary.js';
import { type CheckResult, type FileResult } from '../../src/scan/result.js';

function file(path: string, checks: Partial<Record<CheckId, CheckResult['status']>>, extra: Partial<FileResult> = {}): FileResult {
  const c: Partial<Record<CheckId, CheckResult>> = {};
  for (const [id, status] of Object.entries(checks) as [CheckId, CheckResult['status']][]) c[id] = { status, evidence: `${id} ${status}` };
  return { path, kind: 'pie-executable', machine: 'x86-64', checks: c, ...extra };
}

const ALL_PASS = { pie: 'pass', relro: 'pass', 'stack-protector': 'pass', fortify: 'pass', bindnow: 'pass' } as const;

function config(c: Partial<HardenConfig>): HardenConfig {
  return { require: [], ignore: [], waivers: [], ...c };
}

describe('profiles', () => {
  it('require the binary-visible checks of each published policy', () => {
    expect(PROFILES.debian.required).toEqual(['pie', 'relro', 'stack-protector', 'fortify']);
    expect(PROFILES.kurento.required).toEqual(['pie', 'relro', 'bindnow', 'stack-protector', 'fortify']);
    expect(PROFILES.openssf.required).toEqual(['pie', 'relro', 'bindnow', 'nx', 'rwx', 'textrel', 'stack-protector', 'fortify', 'stack-clash', 'cet-ibt', 'cet-shstk', 'bti', 'pac']);
    expect(PROFILES.none.required).toEqual([]);
  });

  it('default to debian; the command line wins over the config, which wins over the default', () => {
    expect(new Policy().profile).toBe('debian');
    expect(new Policy({ config: config({ profile: 'openssf' }) }).profile).toBe('openssf');
    expect(new Policy({ profile: 'kurento', config: config({ profile: 'openssf' }) }).profile).toBe('kurento');
  });

  it('combine with require and ignore; a check required on the command line beats the config ignoring it', () => {
    const p = new Policy({ config: config({ require: ['nx', 'pie'], ignore: ['fortify', 'bindnow'] }) });
    expect(p.required).toEqual(['pie', 'relro', 'stack-protector', 'nx']);
    const q = new Policy({ config: config({ ignore: ['fortify'] }), require: ['fortify', 'rwx'], ignore: ['pie'] });
    expect(q.required).toEqual(['relro', 'stack-protector', 'fortify', 'rwx']);
  });
});

describe('judging a file', () => {
  const p = new Policy();

  it('passes when every required check passes, whatever the others say', () => {
    const j = p.judge(file('/bin/a', { ...ALL_PASS, bindnow: 'fail', 'cet-ibt': 'fail' }));
    expect([j.verdict, j.failed, j.unknown]).toEqual(['pass', [], []]);
    expect(j.checks.pie?.required).toBe(true);
    expect(j.checks.bindnow?.required).toBeUndefined();
  });

  it('fails on a failed required check and lists each one in check order', () => {
    const j = p.judge(file('/bin/a', { pie: 'fail', relro: 'pass', 'stack-protector': 'pass', fortify: 'fail' }));
    expect([j.verdict, j.failed]).toEqual(['fail', ['pie', 'fortify']]);
  });

  it('counts not-applicable, and a required check the analysis did not produce, as passing', () => {
    const j = p.judge(file('/lib/x.o', { pie: 'not-applicable', relro: 'not-applicable', 'stack-protector': 'pass' }, { kind: 'object' }));
    expect([j.verdict, j.failed]).toEqual(['pass', []]);
  });

  it('reports an unknown required check without failing, unless unknownIs is fail', () => {
    const f = file('/bin/a', { ...ALL_PASS, 'stack-protector': 'unknown' });
    const warn = p.judge(f);
    expect([warn.verdict, warn.failed, warn.unknown]).toEqual(['pass', [], ['stack-protector']]);
    const strict = new Policy({ unknownIs: 'fail' }).judge(f);
    expect([strict.verdict, strict.failed, strict.unknown]).toEqual(['fail', ['stack-protector'], []]);
    expect(new Policy({ config: config({ unknownIs: 'fail' }) }).judge(f).verdict).toBe('fail');
  });

  it('makes an unanalysable file an error, unless something required failed; a row without checks is skipped', () => {
    expect(p.judge(file('/x', {}, { kind: 'unreadable', error: 'permission denied' })).verdict).toBe('error');
    expect(p.judge(file('/x', { ...ALL_PASS }, { error: 'section headers unreadable' })).verdict).toBe('error');
    expect(p.judge(file('/x', { ...ALL_PASS, pie: 'fail' }, { error: 'section headers unreadable' })).verdict).toBe('fail');
    expect(p.judge(file('/x', {}, { kind: 'symlink', note: 'link' })).verdict).toBe('skipped');
  });
});

describe('waivers', () => {
  const root = '/work/proj';
  // As the CLI locates paths: relative to the config directory when inside it.
  const locate = (path: string): { relative: string | undefined; absolute: string } => {
    const absolute = path.startsWith('/') ? path : `${root}/${path}`;
    return { relative: absolute.startsWith(`${root}/`) ? absolute.slice(root.length + 1) : undefined, absolute };
  };
  const waived = (globs: string[], checks: (CheckId | '*')[], path: string, id: CheckId = 'pie'): string | undefined =>
    new Policy({ config: config({ waivers: [{ paths: globs, checks, reason: 'because' }] }), locate }).judge(file(path, { ...ALL_PASS, pie: 'fail', fortify: 'fail' })).checks[id]?.waiver;

  it('match globs relative to the config directory', () => {
    expect(waived(['build/bin/app'], ['pie'], `${root}/build/bin/app`)).toBe('because');
    expect(waived(['build/bin/app'], ['pie'], 'build/bin/app')).toBe('because');
    expect(waived(['build/**'], ['pie'], `${root}/build/x/y/app`)).toBe('because');
    expect(waived(['build/*'], ['pie'], `${root}/build/x/app`)).toBeUndefined();
    expect(waived(['build/bin/app'], ['pie'], `${root}/other/build/bin/app`)).toBeUndefined();
  });

  it('match a glob without a slash against the file name anywhere, dot files included', () => {
    expect(waived(['app'], ['pie'], `${root}/a/b/app`)).toBe('because');
    expect(waived(['*.so*'], ['pie'], `${root}/lib/.hidden/libx.so.1`)).toBe('because');
    expect(waived(['app'], ['pie'], `${root}/a/b/app2`)).toBeUndefined();
  });

  it('match only absolute globs outside the config directory', () => {
    expect(waived(['opt/tool'], ['pie'], '/opt/tool')).toBeUndefined();
    expect(waived(['/opt/**'], ['pie'], '/opt/tool')).toBe('because');
    expect(waived(['/opt/**'], ['pie'], `${root}/opt/tool`)).toBeUndefined();
  });

  it('cover archive members by the member path or by the archive', () => {
    expect(waived(['lib/libx.a!b.o'], ['pie'], `${root}/lib/libx.a!b.o`)).toBe('because');
    expect(waived(['lib/libx.a!b.o'], ['pie'], `${root}/lib/libx.a!a.o`)).toBeUndefined();
    expect(waived(['lib/libx.a'], ['pie'], `${root}/lib/libx.a!a.o`)).toBe('because');
    expect(waived(['libx.a'], ['pie'], `${root}/lib/libx.a!a.o`)).toBe('because');
    expect(waived(['lib/*.a!*.o'], ['pie'], `${root}/lib/libx.a!a.o`)).toBe('because');
  });

  it('cover the checks named, or all with "*"', () => {
    expect(waived(['app'], ['fortify'], `${root}/app`, 'pie')).toBeUndefined();
    expect(waived(['app'], ['fortify'], `${root}/app`, 'fortify')).toBe('because');
    expect(waived(['app'], ['*'], `${root}/app`, 'pie')).toBe('because');
  });

  it('take the reason of the first waiver that covers the check, and stop the check failing the file', () => {
    const policy = new Policy({
      config: config({
        waivers: [
          { paths: ['bin/*'], checks: ['fortify'], reason: 'first' },
          { paths: ['bin/app'], checks: ['pie', 'fortify'], reason: 'second' },
        ],
      }),
      locate,
    });
    const j = policy.judge(file(`${root}/bin/app`, { ...ALL_PASS, pie: 'fail', fortify: 'fail' }));
    expect([j.checks.fortify?.waiver, j.checks.pie?.waiver, j.verdict, j.failed]).toEqual(['first', 'second', 'pass', []]);
  });
});

describe('summary and exit status', () => {
  const p = new Policy();
  const summarise = (files: FileResult[]): ReturnType<SummaryBuilder['build']> => {
    const b = new SummaryBuilder();
    for (const f of files) b.add(p.judge(f));
    return b.build(['pie', 'relro', 'bindnow', 'stack-protector', 'fortify']);
  };

  it('is 0 when nothing required failed and every file was analysed', () => {
    const s = summarise([file('/a', ALL_PASS), file('/l', {}, { kind: 'symlink' })]);
    expect([s.exitStatus, s.verdicts]).toEqual([0, { pass: 1, fail: 0, error: 0, skipped: 1 }]);
  });

  it('is 3 when a file could not be analysed and nothing required failed, 1 when something did', () => {
    expect(summarise([file('/a', ALL_PASS), file('/b', {}, { kind: 'unreadable', error: 'x' })]).exitStatus).toBe(3);
    expect(summarise([file('/a', { ...ALL_PASS, pie: 'fail' }), file('/b', {}, { kind: 'unreadable', error: 'x' })]).exitStatus).toBe(1);
  });

  it('counts every status per check, waived ones included, in report order', () => {
    const policy = new Policy({ config: config({ waivers: [{ paths: ['/b'], checks: ['pie'], reason: 'r' }] }) });
    const b = new SummaryBuilder();
    for (const f of [file('/a', ALL_PASS), file('/b', { ...ALL_PASS, pie: 'fail', 'stack-protector': 'unknown' })]) b.add(policy.judge(f));
    const s = b.build(['pie', 'relro', 'bindnow', 'stack-protector', 'fortify']);
    expect(Object.keys(s.checks)).toEqual(['pie', 'relro', 'bindnow', 'stack-protector', 'fortify']);
    expect(s.checks.pie).toEqual({ pass: 1, fail: 1, unknown: 0, 'not-applicable': 0, waived: 1 });
    expect(s.checks['stack-protector']).toEqual({ pass: 1, fail: 0, unknown: 1, 'not-applicable': 0, waived: 0 });
    expect([s.unknownRequired, s.exitStatus]).toEqual([1, 0]);
  });
});
