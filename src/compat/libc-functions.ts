/**
 * `-F FILE`: the libc FILE is linked with, and the functions it provides a checked (`__X_chk`)
 * variant of, printed in the form of the reference's function table. The library is found
 * through DT_NEEDED and the loader's search directories instead of running `ldd`.
 */
import { ElfFile, STT } from '../elf/index.js';
import { FileSource } from '../io/file-source.js';
import { findNeededLibrary } from '../io/library-search.js';

function withElf<T>(path: string, f: (elf: ElfFile) => T): T | undefined {
  let src: FileSource;
  try {
    src = FileSource.open(path);
  } catch {
    return undefined;
  }
  try {
    return f(ElfFile.open(src));
  } catch {
    return undefined;
  } finally {
    src.close();
  }
}

export function findLibcFunctions(path: string): string {
  const libc = withElf(path, (elf) => {
    const name = elf.dynamic?.needed.find((n) => /^libc\.so\.\S+$/.test(n));
    return name === undefined ? undefined : findNeededLibrary(elf, path, name);
  });
  if (libc === undefined) return '';
  const names =
    withElf(libc, (elf) => {
      const set = new Set<string>();
      for (const kind of ['dynsym', 'symtab'] as const) {
        for (const s of elf.symbols(kind)) {
          if (s.type === STT.FUNC || s.type === STT.GNU_IFUNC || s.type === STT.NOTYPE) set.add(s.name);
        }
      }
      return [...set].sort();
    }) ?? [];
  return names
    .map((n) => /^__(\S+)_chk$/.exec(n)?.[1])
    .filter((x): x is string => x !== undefined)
    .map((x) => `    '${x}' => 1,\n`)
    .join('');
}
