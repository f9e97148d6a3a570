/**
 * Finds the file a DT_NEEDED name resolves to, the way the dynamic loader searches on a
 * Debian system, without running it (ldd executes the loader, which cannot work for foreign
 * architectures and should not be run on untrusted files): DT_RPATH (when there is no
 * DT_RUNPATH), LD_LIBRARY_PATH, DT_RUNPATH, the directories of /etc/ld.so.conf, then the
 * multiarch and default directories. A candidate must be an ELF file of the same machine and
 * class as the one that needs it.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { ElfFile, EM } from '../elf/index.js';
import { FileSource } from './file-source.js';

/** Debian multiarch triplet of a machine, for the default search directories. */
function multiarch(elf: ElfFile): string | undefined {
  const h = elf.header;
  switch (h.machine) {
    case EM.X86_64:
      return h.is64 ? 'x86_64-linux-gnu' : 'x86_64-linux-gnux32';
    case EM['386']:
      return 'i386-linux-gnu';
    case EM.AARCH64:
      return 'aarch64-linux-gnu';
    case EM.ARM:
      return (h.flags & 0x400) !== 0 ? 'arm-linux-gnueabihf' : 'arm-linux-gnueabi';
    case EM.PPC64:
      return h.littleEndian ? 'powerpc64le-linux-gnu' : 'powerpc64-linux-gnu';
    case EM.S390:
      return 's390x-linux-gnu';
    case EM.RISCV:
      return 'riscv64-linux-gnu';
    case EM.MIPS:
      return h.is64 ? (h.littleEndian ? 'mips64el-linux-gnuabi64' : 'mips64-linux-gnuabi64') : h.littleEndian ? 'mipsel-linux-gnu' : 'mips-linux-gnu';
    case EM.LOONGARCH:
      return 'loongarch64-linux-gnu';
    default:
      return undefined;
  }
}

/** Directories named in /etc/ld.so.conf and the files it includes (globs of one `*`). */
export function ldSoConfDirs(path = '/etc/ld.so.conf', depth = 0): string[] {
  if (depth > 4 || !existsSync(path)) return [];
  const out: string[] = [];
  for (const raw of readFileSync(path, 'utf8').split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') continue;
    if (line.startsWith('include ')) {
      const pattern = line.slice(8).trim();
      const full = isAbsolute(pattern) ? pattern : join(dirname(path), pattern);
      const dir = dirname(full);
      const base = full.slice(dir.length + 1);
      const star = base.indexOf('*');
      if (star < 0) {
        out.push(...ldSoConfDirs(full, depth + 1));
        continue;
      }
      const [pre, post] = [base.slice(0, star), base.slice(star + 1)];
      let names: string[] = [];
      try {
        names = readdirSync(dir).filter((n) => n.startsWith(pre) && n.endsWith(post)).sort();
      } catch {
        names = [];
      }
      for (const n of names) out.push(...ldSoConfDirs(join(dir, n), depth + 1));
    } else if (line.startsWith('/')) {
      out.push(line);
    }
  }
  return out;
}

function expandOrigin(entry: string, origin: string): string {
  return entry.replace(/\$(ORIGIN|\{ORIGIN\})/g, origin);
}

/** Where `needed` (a DT_NEEDED name of `elf`, read from `path`) would be loaded from. */
export function findNeededLibrary(elf: ElfFile, path: string, needed: string): string | undefined {
  const dyn = elf.dynamic;
  const origin = dirname(resolve(path));
  const split = (s: string | undefined): string[] => (s === undefined ? [] : s.split(':').filter((x) => x !== '').map((x) => expandOrigin(x, origin)));
  const dirs: string[] = [];
  if (dyn?.runpath === undefined) dirs.push(...split(dyn?.rpath));
  dirs.push(...split(process.env['LD_LIBRARY_PATH']));
  dirs.push(...split(dyn?.runpath));
  dirs.push(...ldSoConfDirs());
  const triplet = multiarch(elf);
  if (triplet !== undefined) dirs.push(`/lib/${triplet}`, `/usr/lib/${triplet}`);
  dirs.push(...(elf.header.is64 ? ['/lib64', '/usr/lib64'] : ['/lib32', '/usr/lib32']), '/lib', '/usr/lib');
  for (const d of dirs) {
    const candidate = join(d, needed);
    if (matchesMachine(candidate, elf)) return candidate;
  }
  return undefined;
}

function matchesMachine(candidate: string, elf: ElfFile): boolean {
  try {
    if (!statSync(candidate).isFile()) return false;
    const src = FileSource.open(candidate);
    try {
      const h = ElfFile.open(src).header;
      return h.machine === elf.header.machine && h.is64 === elf.header.is64 && h.littleEndian === elf.header.littleEndian;
    } finally {
      src.close();
    }
  } catch {
    return false;
  }
}
