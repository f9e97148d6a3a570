/**
 * The option model: which options override which (last wins, as in the gcc driver), and what a
 * required flag's state is on a command line.
 */
import { describe, expect, it } from 'vitest';
import { evaluate, optionFacts, requiredOption, type OptionFact } from '../../src/build/gcc-options.js';
import { parseInvocation } from '../../src/build/invocation.js';
import { splitCommands, splitShellWords } from '../../src/build/shell-words.js';

const facts = (line: string): OptionFact[] => optionFacts(splitShellWords(line));
const state = (flag: string, line: string): string => {
  const r = requiredOption(flag);
  if (r === undefined) throw new Error(`cannot judge ${flag}`);
  const s = evaluate(r, facts(line));
  return s.state === 'ok' || s.state === 'missing' ? s.state : `${s.state} by ${s.by.token}`;
};

describe('option families', () => {
  it('puts -fpic/-fPIC/-fpie/-fPIE/-fno-pic/-fno-pie in one family', () => {
    expect(facts('-fPIC -fno-pie -fpie').map((f) => `${f.family}=${f.value}`)).toEqual(['pic=PIC', 'pic=none', 'pic=pie']);
  });

  it('splits -Wl, lists and reads -z keywords in every spelling', () => {
    expect(facts('-Wl,-z,relro,-z,now -Wl,-znorelro -Xlinker -z -Xlinker lazy -z noexecstack').map((f) => `${f.family}=${f.value}`)).toEqual([
      'z:relro=relro',
      'z:now=now',
      'z:relro=norelro',
      'z:now=lazy',
      'z:execstack=noexecstack',
    ]);
  });

  it('reads macros in -D, -D NAME, -U and -Wp,-D forms', () => {
    expect(facts('-D_FORTIFY_SOURCE=2 -U _FORTIFY_SOURCE -D X -Wp,-D_FORTIFY_SOURCE=3').map((f) => `${f.family}=${f.value}`)).toEqual([
      'macro:_FORTIFY_SOURCE=2',
      'macro:_FORTIFY_SOURCE=undef',
      'macro:X=1',
      'macro:_FORTIFY_SOURCE=3',
    ]);
  });

  it('knows the dpkg specs files', () => {
    expect(
      facts('-specs=/usr/share/dpkg/no-pie-compile.specs -specs=/usr/share/dpkg/pie-link.specs').map((f) => `${f.family}=${f.value}`),
    ).toEqual(['pic=none', 'pie-link=pie']);
  });

  it('does not read the argument of -o or -I as an option', () => {
    expect(facts('-o -fPIC -I -fno-pie -c x.c')).toEqual([]);
  });
});

describe('requirements', () => {
  it.each([
    ['-fstack-protector-strong', '-fstack-protector-strong', 'ok'],
    ['-fstack-protector-strong', '-fstack-protector-all', 'ok'],
    ['-fstack-protector-strong', '-fstack-protector-strong -fno-stack-protector', 'cancelled by -fno-stack-protector'],
    ['-fstack-protector-strong', '-fstack-protector', 'weaker by -fstack-protector'],
    ['-fstack-protector-strong', '-O2', 'missing'],
    ['-D_FORTIFY_SOURCE=2', '-D_FORTIFY_SOURCE=3', 'ok'],
    ['-D_FORTIFY_SOURCE=2', '-D_FORTIFY_SOURCE=2 -U_FORTIFY_SOURCE', 'cancelled by -U_FORTIFY_SOURCE'],
    ['-D_FORTIFY_SOURCE=3', '-D_FORTIFY_SOURCE=2', 'weaker by -D_FORTIFY_SOURCE=2'],
    ['-Wl,-z,now', '-Wl,-z,relro,-z,now -Wl,-z,lazy', 'cancelled by -Wl,-z,lazy'],
    ['-Wl,-z,relro', '-Wl,-z,relro', 'ok'],
    ['-Wl,-z,now', '-Wl,-z,now -Xlinker -z -Xlinker lazy', 'cancelled by -Xlinker lazy'],
    ['-Wformat', '-Wformat=2', 'ok'],
    ['-Wformat', '-Wformat -Wno-format', 'cancelled by -Wno-format'],
    ['-Werror=format-security', '-Werror=format-security -Wno-error=format-security', 'cancelled by -Wno-error=format-security'],
    ['-fcf-protection', '-fcf-protection=full', 'ok'],
    ['-fcf-protection', '-fcf-protection -fcf-protection=none', 'cancelled by -fcf-protection=none'],
    ['-fcf-protection=full', '-fcf-protection=branch', 'weaker by -fcf-protection=branch'],
    ['-fstack-clash-protection', '-fstack-clash-protection -fno-stack-clash-protection', 'cancelled by -fno-stack-clash-protection'],
    ['-mbranch-protection=standard', '-mbranch-protection=none', 'weaker by -mbranch-protection=none'],
    ['-fno-delete-null-pointer-checks', '-fno-delete-null-pointer-checks', 'ok'],
    ['-ftrivial-auto-var-init=zero', '-ftrivial-auto-var-init=zero -ftrivial-auto-var-init=uninitialized', 'cancelled by -ftrivial-auto-var-init=uninitialized'],
    ['-Wl,--as-needed', '-Wl,--as-needed -Wl,--no-as-needed', 'cancelled by -Wl,--no-as-needed'],
    ['-pie', '-pie -no-pie', 'cancelled by -no-pie'],
    ['-pie', '-static-pie', 'ok'],
  ])('%s on "%s": %s', (flag, line, expected) => {
    expect(state(flag, line)).toBe(expected);
  });
});

describe('command lines', () => {
  it('splits shell words with quotes and escapes, and cuts ninja chains', () => {
    const words = splitShellWords(`: && /usr/bin/cc -DX="a b" -D'Y=1' a\\ b.c -o out && /usr/bin/ranlib x.a && :`);
    expect(splitCommands(words)).toEqual([[':'], ['/usr/bin/cc', '-DX=a b', '-DY=1', 'a b.c', '-o', 'out'], ['/usr/bin/ranlib', 'x.a'], [':']]);
  });

  it('reads compile, link and archive invocations', () => {
    expect(parseInvocation(splitShellWords('/usr/bin/cc -fPIC -o CMakeFiles/AB.dir/A.c.o -c /src/A.c'))).toMatchObject({
      kind: 'compile',
      output: 'CMakeFiles/AB.dir/A.c.o',
      inputs: ['/src/A.c'],
    });
    expect(parseInvocation(splitShellWords('/usr/bin/cc -shared -Wl,-soname,libS.so -o libS.so a.o libAB.a -lm'))).toMatchObject({
      kind: 'link',
      output: 'libS.so',
      inputs: ['a.o', 'libAB.a', '-lm'],
    });
    expect(parseInvocation(splitShellWords('/usr/bin/ar qc libAB.a a.o b.o'))).toMatchObject({ kind: 'archive', output: 'libAB.a', inputs: ['a.o', 'b.o'] });
    expect(parseInvocation(splitShellWords('/usr/bin/cmake -E rm -f libAB.a'))).toBeUndefined();
  });
});
