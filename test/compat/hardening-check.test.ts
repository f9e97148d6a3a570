/**
 * The drop-in `hardening-check` on the fixture matrix: exact output lines and exit status for
 * every verdict string and every option mode. Expectations are written out here (they are
 * what Debian's hardening-check 2.26.13 prints for these files); the differential test at the
 * end also runs the reference itself when it is installed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../helpers/gcc.js';
import { buildFixtures } from './fixtures.js';

const BIN = join(REPO, 'bin', 'hardening-check');
const REFERENCE = '/opt/hardening-reference/bin/hardening-check-newest';

function hc(args: readonly string[], bin = BIN): { out: string; err: string; status: number } {
  const r = spawnSync(bin, args, { encoding: 'utf8', env: { ...process.env, LANG: 'C' } });
  return { out: r.stdout, err: r.stderr, status: r.status ?? -1 };
}

const LABELS = [
  'Position Independent Executable',
  'Stack protected',
  'Fortify Source functions',
  'Read-only relocations',
  'Immediate binding',
  'Stack clash protection',
  'Control flow integrity',
  'Branch Protection',
] as const;

const NOT_FOUND = 'no, not found!';
const NO_CLASH = 'unknown, no -fstack-clash-protection instructions found';

/** Expected verdicts per fixture, in line order, and the -v function lines (sorted). */
const EXPECTED: Record<string, { verdicts: readonly string[]; verbose: readonly string[] }> = {
  hardened: { verdicts: ['yes', 'yes', 'yes (some protected functions found)', 'yes', 'yes', 'yes', NOT_FOUND, NOT_FOUND], verbose: ['unprotected: memcpy', 'protected: strcpy'] },
  cet: { verdicts: ['yes', 'yes', 'yes (some protected functions found)', 'yes', 'yes', 'yes', 'yes', NOT_FOUND], verbose: ['unprotected: memcpy', 'protected: strcpy'] },
  cetDropped: { verdicts: ['yes', 'yes', 'yes (some protected functions found)', 'yes', 'yes', 'yes', NOT_FOUND, NOT_FOUND], verbose: ['unprotected: memcpy', 'protected: strcpy'] },
  weak: { verdicts: ['no, normal executable!', NOT_FOUND, 'no, only unprotected functions found!', NOT_FOUND, NOT_FOUND, NO_CLASH, NOT_FOUND, NOT_FOUND], verbose: ['unprotected: memcpy', 'unprotected: strcpy'] },
  relroLazy: { verdicts: ['yes', NOT_FOUND, 'no, only unprotected functions found!', 'yes', NOT_FOUND, NO_CLASH, NOT_FOUND, NOT_FOUND], verbose: ['unprotected: memcpy', 'unprotected: strcpy'] },
  nowFlags: { verdicts: ['yes', NOT_FOUND, 'no, only unprotected functions found!', 'yes', 'yes', NO_CLASH, NOT_FOUND, NOT_FOUND], verbose: ['unprotected: memcpy', 'unprotected: strcpy'] },
  vla: { verdicts: ['yes', NOT_FOUND, 'unknown, no protectable libc functions used', 'yes', NOT_FOUND, 'yes', NOT_FOUND, NOT_FOUND], verbose: [] },
  vlaNoClash: { verdicts: ['yes', NOT_FOUND, 'unknown, no protectable libc functions used', 'yes', NOT_FOUND, NO_CLASH, NOT_FOUND, NOT_FOUND], verbose: [] },
  plain: { verdicts: ['yes', NOT_FOUND, 'unknown, no protectable libc functions used', 'yes', NOT_FOUND, NO_CLASH, NOT_FOUND, NOT_FOUND], verbose: [] },
  fortified: { verdicts: ['yes', NOT_FOUND, 'yes', 'yes', NOT_FOUND, NO_CLASH, NOT_FOUND, NOT_FOUND], verbose: ['protected: strcpy'] },
  shared: { verdicts: ['no, regular shared library (ignored)', 'yes', 'yes (some protected functions found)', 'yes', NOT_FOUND, NO_CLASH, NOT_FOUND, NOT_FOUND], verbose: ['unprotected: memcpy', 'protected: stpcpy'] },
  // The reference's known wrong results, kept on purpose: static binaries define
  // __stack_chk_fail (no import), static-pie has no PT_PHDR.
  static: { verdicts: ['no, normal executable!', NOT_FOUND, 'unknown, no protectable libc functions used', 'yes', NOT_FOUND, NO_CLASH, NOT_FOUND, NOT_FOUND], verbose: [] },
  staticStripped: { verdicts: ['no, normal executable!', 'unknown, no symbols found', 'unknown, no protectable libc functions used', 'yes', NOT_FOUND, NO_CLASH, NOT_FOUND, NOT_FOUND], verbose: [] },
  staticPie: { verdicts: ['no, regular shared library (ignored)', NOT_FOUND, 'unknown, no protectable libc functions used', 'yes', NOT_FOUND, NO_CLASH, NOT_FOUND, NOT_FOUND], verbose: [] },
  object: { verdicts: ['not a known ELF type!? ()', 'yes', 'yes (some protected functions found)', 'no, non-ELF (ignored)', 'no, non-ELF (ignored)', NO_CLASH, NOT_FOUND, NOT_FOUND], verbose: ['unprotected: memcpy', 'protected: strcpy'] },
  objectPlain: { verdicts: ['not a known ELF type!? ()', NOT_FOUND, 'no, only unprotected functions found!', 'no, non-ELF (ignored)', 'no, non-ELF (ignored)', NO_CLASH, NOT_FOUND, NOT_FOUND], verbose: ['unprotected: memcpy', 'unprotected: strcpy'] },
  archive: { verdicts: ['no, object archive (ignored)', 'yes', 'yes (some protected functions found)', 'no, non-ELF (ignored)', 'no, non-ELF (ignored)', NO_CLASH, NOT_FOUND, NOT_FOUND], verbose: ['unprotected: memcpy', 'unprotected: strcpy', 'protected: strcpy'] },
};

function block(path: string, verdicts: readonly string[], verbose: readonly string[] = []): string {
  const lines = [`${path}:`];
  verdicts.forEach((v, i) => {
    lines.push(` ${LABELS[i]}: ${v}`);
    if (i === 2) lines.push(...verbose.map((l) => `\t${l}`));
  });
  return lines.join('\n') + '\n';
}

let F: Record<string, string> = {};
const path = (name: string): string => {
  const p = F[name];
  if (p === undefined) throw new Error(`no fixture ${name}`);
  return p;
};

beforeAll(() => {
  F = buildFixtures();
});

describe('every verdict string, default and -v output', () => {
  for (const [name, exp] of Object.entries(EXPECTED)) {
    it(`${name}`, () => {
      const r = hc([path(name)]);
      expect(r.out).toBe(block(path(name), exp.verdicts));
      // Every fixture fails Branch Protection on x86-64, as the reference does.
      expect(r.status).toBe(1);
      expect(hc(['-v', path(name)]).out).toBe(block(path(name), exp.verdicts, exp.verbose));
    });
  }

  it('prints files in argument order and paths exactly as given', () => {
    const r = hc([path('odd'), path('plain'), path('hardened')]);
    const e = EXPECTED;
    expect(r.out).toBe(block(path('odd'), e['hardened']?.verdicts ?? []) + block(path('plain'), e['plain']?.verdicts ?? []) + block(path('hardened'), e['hardened']?.verdicts ?? []));
  });

  it('prints nothing for a non-ELF file or a missing file, says why on stderr, exits 1', () => {
    for (const name of ['text', 'missing']) {
      const r = hc([path(name)]);
      expect(r.out).toBe('');
      expect(r.err).toMatch(name === 'text' ? /not an ELF file/ : /No such file/);
      expect(r.status).toBe(1);
    }
  });

  it('a bad file does not stop the others', () => {
    const r = hc([path('missing'), path('plain')]);
    expect(r.out).toBe(block(path('plain'), EXPECTED['plain']?.verdicts ?? []));
    expect(r.status).toBe(1);
  });

  it('no files: no output, exit 0', () => {
    expect(hc([])).toEqual({ out: '', err: '', status: 0 });
  });
});

describe('skip options turn failures into "(ignored)" and change the exit status', () => {
  it('all seven skips make the CET-marked PIE pass', () => {
    const r = hc(['-p', '-s', '-f', '-r', '-b', '-x', '-B', path('cet')]);
    expect(r.status).toBe(0);
    expect(r.out).toContain(' Branch Protection: no, not found! (ignored)\n');
  });

  it('the weak build with every skip: each failure says (ignored), exit 0', () => {
    const r = hc(['-psfrbxB', path('weak')]);
    expect(r.out).toBe(
      block(path('weak'), [
        'no, normal executable! (ignored)',
        'no, not found! (ignored)',
        'no, only unprotected functions found! (ignored)',
        'no, not found! (ignored)',
        'no, not found! (ignored)',
        NO_CLASH,
        'no, not found! (ignored)',
        'no, not found! (ignored)',
      ]),
    );
    expect(r.status).toBe(0);
  });

  it('long forms: --nocfprotection --nobranchprotection on the CET build → exit 0', () => {
    expect(hc(['--nocfprotection', '--nobranchprotection', path('cet')]).status).toBe(0);
    expect(hc(['--nobranchprotection', path('cet')]).status).toBe(0);
    expect(hc(['--nobranchprotection', path('hardened')]).status).toBe(1);
  });

  it('an unknown ELF type cannot be skipped', () => {
    const r = hc(['-psfrbxB', path('object')]);
    expect(r.status).toBe(1);
    expect(r.out).toContain(' Position Independent Executable: not a known ELF type!? ()\n');
  });
});

describe('quiet mode', () => {
  it('prints only failing lines (ignored ones included) of failing files', () => {
    const r = hc(['-q', '-x', path('hardened')]);
    expect(r.out).toBe(`${path('hardened')}:\n Control flow integrity: no, not found! (ignored)\n Branch Protection: no, not found!\n`);
    expect(r.status).toBe(1);
  });

  it('a file whose only failures are ignored prints nothing, exit 0', () => {
    const r = hc(['-q', '-xB', path('hardened')]);
    expect(r).toEqual({ out: '', err: '', status: 0 });
  });

  it('-q suppresses the -v lines', () => {
    expect(hc(['-qv', path('weak')]).out).not.toContain('\tunprotected');
  });
});

describe('lintian mode', () => {
  it('one TAG:FILE line per real failure, exit 0', () => {
    const r = hc(['-l', path('weak')]);
    const p = path('weak');
    expect(r.out).toBe([`no-pie:${p}`, `no-stackprotector:${p}`, `no-fortify-functions:${p}`, `no-relro:${p}`, `no-bindnow:${p}`, `no-cfprotection:${p}`, `no-branchprotection:${p}`].join('\n') + '\n');
    expect(r.status).toBe(0);
  });

  it('ignored failures give no tag; unknown-elf is a tag', () => {
    const p = path('object');
    expect(hc(['-l', '-xB', p]).out).toBe(`unknown-elf:${p}\n`);
  });

  it('an unreadable file still makes the exit status 1', () => {
    expect(hc(['-l', path('missing')]).status).toBe(1);
  });
});

describe('colour', () => {
  it('colours only the verdict words', () => {
    const r = hc(['-c', '-v', path('hardened')]);
    const G = '\u001b[32m';
    const Y = '\u001b[33m';
    const R = '\u001b[31m';
    const Z = '\u001b[0m';
    expect(r.out).toBe(
      [
        `${path('hardened')}:`,
        ` Position Independent Executable: ${G}yes${Z}`,
        ` Stack protected: ${G}yes${Z}`,
        ` Fortify Source functions: ${G}yes${Z} (some protected functions found)`,
        `\tunprotected: memcpy`,
        `\tprotected: strcpy`,
        ` Read-only relocations: ${G}yes${Z}`,
        ` Immediate binding: ${G}yes${Z}`,
        ` Stack clash protection: ${G}yes${Z}`,
        ` Control flow integrity: ${R}no, not found!${Z}`,
        ` Branch Protection: ${R}no, not found!${Z}`,
      ].join('\n') + '\n',
    );
    const w = hc(['-c', '-x', path('object')]).out;
    expect(w).toContain(` Read-only relocations: ${G}no${Z}, non-ELF (ignored)\n`);
    expect(w).toContain(` Stack clash protection: ${Y}${NO_CLASH}${Z}\n`);
    expect(w).toContain(` Control flow integrity: ${R}no, not found!${Z} (ignored)\n`);
  });

  it('--no-color and --nocolor undo -c', () => {
    expect(hc(['-c', '--no-color', path('plain')]).out).not.toContain('\u001b[');
    expect(hc(['-c', '--nocolor', path('plain')]).out).not.toContain('\u001b[');
  });
});

describe('-R and -F', () => {
  it('-R lists every imported function name after the report (the null symbol as an empty line)', () => {
    const r = hc(['-R', path('fortified')]);
    const report = block(path('fortified'), EXPECTED['fortified']?.verdicts ?? []);
    expect(r.out.startsWith(report)).toBe(true);
    // Sorted here; the reference prints them in hash order.
    expect(r.out.slice(report.length)).toBe(['', '__cxa_finalize', '__gmon_start__', '__libc_start_main', '__strcpy_chk', '_ITM_deregisterTMCloneTable', '_ITM_registerTMCloneTable', 'puts'].sort().join('\n') + '\n');
  });

  it('-F prints the checked functions of the libc the file links against', () => {
    const r = hc(['-F', path('plain')]);
    expect(r.status).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(50);
    expect(lines).toContain("    'memcpy' => 1,");
    expect(lines).toContain("    'strcpy' => 1,");
    for (const l of lines) expect(l).toMatch(/^ {4}'[A-Za-z0-9_]+' => 1,$/);
  });

  it('-F without a file prints usage and exits 1; on a static binary prints nothing', () => {
    expect(hc(['-F']).status).toBe(1);
    expect(hc(['-F', path('static')])).toEqual({ out: '', err: '', status: 0 });
  });
});

describe('option parsing as Getopt::Long does it', () => {
  it('bad options exit 2 with the message on stderr', () => {
    expect(hc(['-Z', path('plain')]).status).toBe(2);
    expect(hc(['-Z', path('plain')]).err).toMatch(/^Unknown option: Z\n/);
    expect(hc(['--color=1', path('plain')]).err).toMatch(/^Option color does not take an argument\n/);
    expect(hc(['--no', path('plain')]).err).toMatch(/^Option no is ambiguous \(/);
    expect(hc(['--Verbose', path('plain')]).status).toBe(2);
  });

  it('accepts unique prefixes, single-letter names after --, and options after files', () => {
    expect(hc(['--verb', path('fortified')]).out).toContain('\tprotected: strcpy\n');
    expect(hc(['--l', path('weak')]).out).toContain('no-pie:');
    expect(hc([path('fortified'), '-v']).out).toContain('\tprotected: strcpy\n');
  });

  it('-- ends options', () => {
    const r = hc(['--', '-v']);
    expect(r.out).toBe('');
    expect(r.status).toBe(1);
  });

  it('-h, -? and --help print usage and exit 0; -H prints the manual', () => {
    for (const a of ['-h', '-?', '--help']) {
      const r = hc([a]);
      expect(r.status).toBe(0);
      expect(r.out).toMatch(/^Usage: hardening-check \[options\] \[ELF \.\.\.\]/);
    }
    expect(hc(['-H']).out).toMatch(/EXIT STATUS/);
  });
});

describe('--debug', () => {
  it('prints what was read before the report', () => {
    const r = hc(['--debug', path('hardened')]);
    expect(r.out).toMatch(/^debug: .*hardened: ELF file type 'DYN'\n/);
    expect(r.out).toContain('PT_PHDR yes, PT_GNU_RELRO yes, immediate binding yes');
    expect(r.out).toContain(block(path('hardened'), EXPECTED['hardened']?.verdicts ?? []));
  });
});

describe.skipIf(!existsSync(REFERENCE))('differential: the same output as Debian hardening-check 2.26.13', () => {
  const MODES: readonly (readonly string[])[] = [[], ['-v'], ['-q'], ['-l'], ['-c'], ['-R'], ['-qx'], ['-psfrbxB'], ['-l', '-xB']];
  const sortTabbed = (s: string): string => {
    const lines = s.split('\n');
    const out: string[] = [];
    let run: string[] = [];
    for (const l of [...lines, '']) {
      if (l.startsWith('\t')) run.push(l);
      else {
        out.push(...run.sort());
        run = [];
        out.push(l);
      }
    }
    return out.join('\n');
  };
  // -R prints names in hash order in the reference: compare those as sets.
  const normalise = (s: string, mode: readonly string[]): string => (mode.includes('-R') ? [...s.split('\n')].sort().join('\n') : sortTabbed(s));
  for (const mode of MODES) {
    it(`mode [${mode.join(' ')}] over every fixture`, () => {
      for (const name of [...Object.keys(EXPECTED), 'text', 'missing', 'odd']) {
        const ours = hc([...mode, path(name)]);
        const ref = hc([...mode, path(name)], REFERENCE);
        expect({ name, out: normalise(ours.out, mode), status: ours.status }).toEqual({ name, out: normalise(ref.out, mode), status: ref.status });
      }
    });
  }
});
