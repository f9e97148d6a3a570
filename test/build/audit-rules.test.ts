/**
 * The audit rules on small build models: what goes where through static and object libraries,
 * cancelled flags, modules, and a compilation database with ninja's link edges (read from an
 * in-memory tree).
 */
import { describe, expect, it } from 'vitest';
import {
  auditBuild,
  loadBuild,
  readCompileCommands,
  type AuditFinding,
  type BuildFiles,
  type BuildModel,
  type BuildTarget,
  type CompileUnit,
} from '../../src/build/index.js';
import { profileFlags } from '../../src/flags/index.js';

const KURENTO = profileFlags('kurento', { arch: 'amd64', compiler: { family: 'gcc', version: '12.2' } });
const OPENSSF = profileFlags('openssf', { arch: 'amd64', compiler: { family: 'gcc', version: '12.2' } });
const GOOD_C = ['-O2', '-D_FORTIFY_SOURCE=2', '-Wformat', '-Werror=format-security', '-fstack-protector-strong'];
const GOOD_LD = ['-Wl,-z,relro', '-Wl,-z,now'];

function unit(name: string, ...extra: string[]): CompileUnit {
  return { source: `/src/${name}`, language: 'C', args: [...GOOD_C, ...extra] };
}

function target(t: Partial<BuildTarget> & Pick<BuildTarget, 'name' | 'type'>): BuildTarget {
  return { id: t.name, artifacts: [], units: [], objectInputs: [], dependencies: [], ...t };
}

function model(targets: BuildTarget[]): BuildModel {
  return {
    reader: 'cmake-file-api',
    buildDir: '/build',
    sourceDir: '/src',
    configurations: [{ name: 'Release', targets }],
    toolchain: {},
    linkKnown: true,
    notes: [],
  };
}

const brief = (fs: readonly AuditFinding[]): string[] =>
  fs.map((f) => `${f.rule} ${f.target}${f.source ? ` ${f.source.replace(/^\/src\//, '')}` : ''}${f.culprit ? ` (${f.culprit})` : ''}`);

describe('where code ends up', () => {
  it('follows a static library into a static library into a shared one', () => {
    const inner = target({ name: 'INNER', type: 'STATIC_LIBRARY', artifacts: ['/build/libINNER.a'], units: [unit('i.c')] });
    const outer = target({ name: 'OUTER', type: 'STATIC_LIBRARY', artifacts: ['/build/libOUTER.a'], units: [unit('o.c', '-fPIC')] });
    const lib = target({
      name: 'LIB',
      type: 'SHARED_LIBRARY',
      artifacts: ['/build/libLIB.so'],
      units: [unit('l.c', '-fPIC')],
      link: { args: GOOD_LD, inputs: ['/build/libOUTER.a', '/build/libINNER.a'] },
    });
    const findings = auditBuild(model([inner, outer, lib]), KURENTO).findings;
    expect(brief(findings)).toEqual(['pic-for-shared-object INNER i.c']);
    expect(findings[0]?.message).toBe('INNER: i.c is compiled without -fPIC/-fPIE but goes into shared library LIB through INNER');
  });

  it('follows an object library into a module and an executable', () => {
    const obj = target({ name: 'OBJ', type: 'OBJECT_LIBRARY', artifacts: ['/build/CMakeFiles/OBJ.dir/x.c.o'], units: [unit('x.c', '-fPIE')] });
    const mod = target({
      name: 'MOD',
      type: 'MODULE_LIBRARY',
      units: [unit('m.c', '-fPIC')],
      objectInputs: ['/build/CMakeFiles/OBJ.dir/x.c.o'],
      link: { args: GOOD_LD, inputs: [] },
    });
    const exe = target({
      name: 'APP',
      type: 'EXECUTABLE',
      units: [unit('main.c', '-fPIE')],
      objectInputs: ['/build/CMakeFiles/OBJ.dir/x.c.o'],
      link: { args: [...GOOD_LD, '-fPIE', '-pie'], inputs: [] },
    });
    // -fPIE code is fine in APP but not in MOD: the stricter rule wins.
    expect(brief(auditBuild(model([obj, mod, exe]), KURENTO).findings)).toEqual(['pic-for-shared-object OBJ x.c (-fPIE)']);
  });

  it('leaves a static library that nothing in the build links alone', () => {
    const lone = target({ name: 'LONE', type: 'STATIC_LIBRARY', artifacts: ['/build/libLONE.a'], units: [unit('l.c')] });
    expect(auditBuild(model([lone]), KURENTO).findings).toEqual([]);
  });
});

describe('executables', () => {
  it('wants -fPIE or -fPIC code and an explicit -pie', () => {
    const exe = target({
      name: 'APP',
      type: 'EXECUTABLE',
      units: [unit('a.c'), unit('b.c', '-fPIC'), unit('c.c', '-fPIE', '-fno-pie')],
      link: { args: GOOD_LD, inputs: [] },
    });
    expect(brief(auditBuild(model([exe]), KURENTO).findings)).toEqual([
      'pie-compile APP a.c',
      'pie-compile APP c.c (-fno-pie)',
      'pie-link APP',
    ]);
  });

  it('reports -no-pie after -pie as the culprit', () => {
    const exe = target({ name: 'APP', type: 'EXECUTABLE', units: [unit('a.c', '-fPIE')], link: { args: [...GOOD_LD, '-pie', '-no-pie'], inputs: [] } });
    const [f] = auditBuild(model([exe]), KURENTO).findings;
    expect(f).toMatchObject({ rule: 'pie-link', culprit: '-no-pie', message: 'APP: executable APP is linked with -no-pie, not -pie' });
  });
});

describe('profile flags', () => {
  it('names the cancelling option and the fortify/-O0 combination', () => {
    const exe = target({
      name: 'APP',
      type: 'EXECUTABLE',
      units: [unit('a.c', '-fPIE', '-fno-stack-protector'), unit('b.c', '-fPIE', '-O0'), unit('c.c', '-fPIE', '-U_FORTIFY_SOURCE')],
      link: { args: ['-Wl,-z,relro', '-Wl,-z,now', '-Wl,-z,lazy', '-pie'], inputs: [] },
    });
    expect(brief(auditBuild(model([exe]), KURENTO).findings)).toEqual([
      'flag-cancelled APP a.c (-fno-stack-protector)',
      'fortify-unoptimized APP b.c (-O0)',
      'flag-cancelled APP c.c (-U_FORTIFY_SOURCE)',
      'flag-cancelled APP (-Wl,-z,lazy)',
    ]);
  });

  it('does not ask loadable modules for -Wl,-z,nodlopen (openssf)', () => {
    const args = [...OPENSSF.cpp, ...OPENSSF.c, '-O2', '-fPIC'];
    const ld = [...OPENSSF.ld];
    const mod = target({ name: 'MOD', type: 'MODULE_LIBRARY', units: [{ source: '/src/m.c', language: 'C', args }], link: { args: ld, inputs: [] } });
    const lib = target({ name: 'LIB', type: 'SHARED_LIBRARY', units: [{ source: '/src/l.c', language: 'C', args }], link: { args: ld, inputs: [] } });
    expect(brief(auditBuild(model([mod, lib]), OPENSSF).findings)).toEqual(['flag-missing LIB']);
    expect(auditBuild(model([mod, lib]), OPENSSF).findings[0]?.flag).toBe('-Wl,-z,nodlopen');
  });
});

/** An in-memory build tree. */
function memoryFiles(tree: Record<string, string>): BuildFiles {
  return {
    readText: (p) => tree[p],
    list: (dir) => {
      const names = Object.keys(tree).filter((p) => p.startsWith(`${dir}/`)).map((p) => p.slice(dir.length + 1).split('/')[0] as string);
      return names.length > 0 ? [...new Set(names)] : undefined;
    },
    isDirectory: (p) => Object.keys(tree).some((k) => k.startsWith(`${p}/`)),
    writeText: (p, text) => {
      tree[p] = text;
    },
  };
}

describe('compilation databases', () => {
  const cc = (t: string, src: string, flags: string): { directory: string; command: string; file: string; output: string } => ({
    directory: '/b',
    command: `/usr/bin/cc ${flags} -o CMakeFiles/${t}.dir/${src}.o -c /s/${src}`,
    file: `/s/${src}`,
    output: `CMakeFiles/${t}.dir/${src}.o`,
  });
  const kurento = '-O2 -D_FORTIFY_SOURCE=2 -Wformat -Werror=format-security -fstack-protector-strong';
  const entries = [
    cc('AB', 'A.c', kurento),
    cc('SHARED', 'C.c', `${kurento} -fPIC`),
    cc('PROGRAM', 'H.c', `${kurento} -fPIE`),
    { directory: '/b', command: ': && /usr/bin/cmake -E rm -f libAB.a && /usr/bin/ar qc libAB.a  CMakeFiles/AB.dir/A.c.o && /usr/bin/ranlib libAB.a && :', file: 'CMakeFiles/AB.dir/A.c.o', output: 'libAB.a' },
    { directory: '/b', command: ': && /usr/bin/cc -fPIC -Wl,-z,relro -Wl,-z,now -shared -Wl,-soname,libSHARED.so -o libSHARED.so CMakeFiles/SHARED.dir/C.c.o  libAB.a && :', file: 'CMakeFiles/SHARED.dir/C.c.o', output: 'libSHARED.so' },
    { directory: '/b', command: ': && /usr/bin/cc -Wl,-z,relro -Wl,-z,now CMakeFiles/PROGRAM.dir/H.c.o -o PROGRAM  -Wl,-rpath,/b  libSHARED.so && :', file: 'CMakeFiles/PROGRAM.dir/H.c.o', output: 'PROGRAM' },
  ];

  it('reads targets, types and contents from ninja -t compdb, and audits them', () => {
    const files = memoryFiles({ '/b/compile_commands.json': JSON.stringify(entries) });
    const m = readCompileCommands(files, '/b/compile_commands.json', '/b');
    expect(m.linkKnown).toBe(true);
    expect((m.configurations[0]?.targets ?? []).map((t) => `${t.name}:${t.type}`)).toEqual([
      'AB:STATIC_LIBRARY',
      'PROGRAM:EXECUTABLE',
      'SHARED:SHARED_LIBRARY',
    ]);
    expect(brief(auditBuild(m, KURENTO).findings)).toEqual(['pic-for-shared-object AB /s/A.c', 'pie-link PROGRAM']);
  });

  it('without link edges checks the flags only and says why', () => {
    const files = memoryFiles({ '/b/compile_commands.json': JSON.stringify(entries.slice(0, 3)), '/b/CMakeCache.txt': '' });
    const outcome = loadBuild(files, '/b');
    expect(outcome.kind).toBe('model');
    if (outcome.kind !== 'model') return;
    expect(outcome.model.linkKnown).toBe(false);
    // A CMake tree without a File API query: the query is written, and the notes say so.
    expect(outcome.notes[0]).toBe(
      'wrote the CMake File API query /b/.cmake/api/v1/query/client-harden/query.json: re-run cmake in /b so that it writes the reply the audit reads',
    );
    expect(files.readText('/b/.cmake/api/v1/query/client-harden/query.json')).toContain('"kind": "codemodel"');
    expect(outcome.notes[1]).toMatch(/lists compile steps only/);
    expect(auditBuild(outcome.model, KURENTO).findings).toEqual([]);
  });

  it('reports an unreadable database as such', () => {
    const files = memoryFiles({ '/b/compile_commands.json': '{ not json' });
    const outcome = loadBuild(files, '/b');
    expect(outcome.kind).toBe('unreadable');
    if (outcome.kind === 'unreadable') expect(outcome.message).toMatch(/^\/b\/compile_commands\.json: is not valid JSON/);
  });
});
