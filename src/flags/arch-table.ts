/**
 * Debian architecture names and what they are made of. A Debian architecture is a "tuple"
 * ABI-LIBC-OS-CPU (amd64 is base-gnu-linux-amd64, armhf is eabihf-gnu-linux-arm); the build flags
 * depend on the parts, so every name is decomposed once here.
 *
 * The facts are those of dpkg's data files (cputable, tupletable, abitable): CPU names with
 * their word size, the tuple patterns and the ABIs that change the word size. They are kept as
 * data so that the flag computation runs anywhere (browser included) without reading
 * /usr/share/dpkg.
 */

export interface CpuFacts {
  /** Debian CPU name (`amd64`). */
  readonly cpu: string;
  /** GNU CPU name (`x86_64`). */
  readonly gnuCpu: string;
  readonly bits: 32 | 64;
  readonly endian: 'little' | 'big';
}

/** One Debian architecture, decomposed. */
export interface DebianArch {
  readonly name: string;
  readonly abi: string;
  readonly libc: string;
  readonly os: string;
  readonly cpu: string;
  /** Word size of the ABI: x32 and the MIPS n32 ABIs are 32-bit on a 64-bit CPU. */
  readonly bits: 32 | 64;
  /** Word size of the CPU itself. */
  readonly cpuBits: 32 | 64;
  readonly endian: 'little' | 'big';
}

const CPUS: readonly CpuFacts[] = [
  { cpu: 'alpha', gnuCpu: 'alpha', bits: 64, endian: 'little' },
  { cpu: 'amd64', gnuCpu: 'x86_64', bits: 64, endian: 'little' },
  { cpu: 'arc', gnuCpu: 'arc', bits: 32, endian: 'little' },
  { cpu: 'armeb', gnuCpu: 'armeb', bits: 32, endian: 'big' },
  { cpu: 'arm', gnuCpu: 'arm', bits: 32, endian: 'little' },
  { cpu: 'arm64', gnuCpu: 'aarch64', bits: 64, endian: 'little' },
  { cpu: 'hppa', gnuCpu: 'hppa', bits: 32, endian: 'big' },
  { cpu: 'loong64', gnuCpu: 'loongarch64', bits: 64, endian: 'little' },
  { cpu: 'i386', gnuCpu: 'i686', bits: 32, endian: 'little' },
  { cpu: 'ia64', gnuCpu: 'ia64', bits: 64, endian: 'little' },
  { cpu: 'm68k', gnuCpu: 'm68k', bits: 32, endian: 'big' },
  { cpu: 'mips', gnuCpu: 'mips', bits: 32, endian: 'big' },
  { cpu: 'mipsel', gnuCpu: 'mipsel', bits: 32, endian: 'little' },
  { cpu: 'mipsr6', gnuCpu: 'mipsisa32r6', bits: 32, endian: 'big' },
  { cpu: 'mipsr6el', gnuCpu: 'mipsisa32r6el', bits: 32, endian: 'little' },
  { cpu: 'mips64', gnuCpu: 'mips64', bits: 64, endian: 'big' },
  { cpu: 'mips64el', gnuCpu: 'mips64el', bits: 64, endian: 'little' },
  { cpu: 'mips64r6', gnuCpu: 'mipsisa64r6', bits: 64, endian: 'big' },
  { cpu: 'mips64r6el', gnuCpu: 'mipsisa64r6el', bits: 64, endian: 'little' },
  { cpu: 'nios2', gnuCpu: 'nios2', bits: 32, endian: 'little' },
  { cpu: 'or1k', gnuCpu: 'or1k', bits: 32, endian: 'big' },
  { cpu: 'powerpc', gnuCpu: 'powerpc', bits: 32, endian: 'big' },
  { cpu: 'powerpcel', gnuCpu: 'powerpcle', bits: 32, endian: 'little' },
  { cpu: 'ppc64', gnuCpu: 'powerpc64', bits: 64, endian: 'big' },
  { cpu: 'ppc64el', gnuCpu: 'powerpc64le', bits: 64, endian: 'little' },
  { cpu: 'riscv64', gnuCpu: 'riscv64', bits: 64, endian: 'little' },
  { cpu: 's390', gnuCpu: 's390', bits: 32, endian: 'big' },
  { cpu: 's390x', gnuCpu: 's390x', bits: 64, endian: 'big' },
  { cpu: 'sh3', gnuCpu: 'sh3', bits: 32, endian: 'little' },
  { cpu: 'sh3eb', gnuCpu: 'sh3eb', bits: 32, endian: 'big' },
  { cpu: 'sh4', gnuCpu: 'sh4', bits: 32, endian: 'little' },
  { cpu: 'sh4eb', gnuCpu: 'sh4eb', bits: 32, endian: 'big' },
  { cpu: 'sparc', gnuCpu: 'sparc', bits: 32, endian: 'big' },
  { cpu: 'sparc64', gnuCpu: 'sparc64', bits: 64, endian: 'big' },
];

/** ABIs whose word size differs from the CPU's. */
const ABI_BITS: Readonly<Record<string, 32 | 64>> = { abin32: 32, x32: 32 };

/**
 * Tuple → architecture name, in the order dpkg matches them (the first match wins). `<cpu>`
 * stands for every CPU of the table.
 */
const TUPLES: readonly (readonly [tuple: string, arch: string])[] = [
  ['eabi-uclibc-linux-arm', 'uclibc-linux-armel'],
  ['base-uclibc-linux-<cpu>', 'uclibc-linux-<cpu>'],
  ['eabihf-musl-linux-arm', 'musl-linux-armhf'],
  ['base-musl-linux-<cpu>', 'musl-linux-<cpu>'],
  ['eabihf-gnu-linux-arm', 'armhf'],
  ['eabi-gnu-linux-arm', 'armel'],
  ['abin32-gnu-linux-mips64r6el', 'mipsn32r6el'],
  ['abin32-gnu-linux-mips64r6', 'mipsn32r6'],
  ['abin32-gnu-linux-mips64el', 'mipsn32el'],
  ['abin32-gnu-linux-mips64', 'mipsn32'],
  ['abi64-gnu-linux-mips64r6el', 'mips64r6el'],
  ['abi64-gnu-linux-mips64r6', 'mips64r6'],
  ['abi64-gnu-linux-mips64el', 'mips64el'],
  ['abi64-gnu-linux-mips64', 'mips64'],
  ['x32-gnu-linux-amd64', 'x32'],
  ['base-gnu-linux-<cpu>', '<cpu>'],
  ['base-gnu-hurd-amd64', 'hurd-amd64'],
  ['base-gnu-hurd-i386', 'hurd-i386'],
  ['base-bsd-dragonflybsd-amd64', 'dragonflybsd-amd64'],
  ['base-bsd-freebsd-amd64', 'freebsd-amd64'],
  ['base-bsd-freebsd-arm', 'freebsd-arm'],
  ['base-bsd-freebsd-arm64', 'freebsd-arm64'],
  ['base-bsd-freebsd-i386', 'freebsd-i386'],
  ['base-bsd-freebsd-powerpc', 'freebsd-powerpc'],
  ['base-bsd-freebsd-ppc64', 'freebsd-ppc64'],
  ['base-bsd-freebsd-riscv', 'freebsd-riscv'],
  ['base-bsd-openbsd-<cpu>', 'openbsd-<cpu>'],
  ['base-bsd-netbsd-<cpu>', 'netbsd-<cpu>'],
  ['base-bsd-darwin-amd64', 'darwin-amd64'],
  ['base-bsd-darwin-arm', 'darwin-arm'],
  ['base-bsd-darwin-arm64', 'darwin-arm64'],
  ['base-bsd-darwin-i386', 'darwin-i386'],
  ['base-bsd-darwin-powerpc', 'darwin-powerpc'],
  ['base-bsd-darwin-ppc64', 'darwin-ppc64'],
  ['base-sysv-aix-powerpc', 'aix-powerpc'],
  ['base-sysv-aix-ppc64', 'aix-ppc64'],
  ['base-sysv-solaris-amd64', 'solaris-amd64'],
  ['base-sysv-solaris-i386', 'solaris-i386'],
  ['base-sysv-solaris-sparc', 'solaris-sparc'],
  ['base-sysv-solaris-sparc64', 'solaris-sparc64'],
  ['base-tos-mint-m68k', 'mint-m68k'],
];

const CPU_BY_NAME: ReadonlyMap<string, CpuFacts> = new Map(CPUS.map((c) => [c.cpu, c]));

function decompose(name: string, tuple: string): DebianArch | undefined {
  const parts = tuple.split('-');
  if (parts.length !== 4) return undefined;
  const [abi, libc, os, cpu] = parts as [string, string, string, string];
  const facts = CPU_BY_NAME.get(cpu);
  // Tuples such as freebsd-riscv name a CPU that the table does not list; their word size
  // and byte order are unknown, which the flag rules treat as "not 32-bit".
  const cpuBits = facts?.bits ?? 64;
  return {
    name,
    abi,
    libc,
    os,
    cpu,
    bits: ABI_BITS[abi] ?? cpuBits,
    cpuBits,
    endian: facts?.endian ?? 'little',
  };
}

function buildTable(): ReadonlyMap<string, DebianArch> {
  const table = new Map<string, DebianArch>();
  for (const [tuple, arch] of TUPLES) {
    const expansions = tuple.includes('<cpu>') ? CPUS.map((c) => c.cpu) : [undefined];
    for (const cpu of expansions) {
      const t = cpu === undefined ? tuple : tuple.replace('<cpu>', cpu);
      const a = cpu === undefined ? arch : arch.replace('<cpu>', cpu);
      // The first tuple that yields a name wins, as in dpkg's table order.
      if (table.has(a)) continue;
      const decomposed = decompose(a, t);
      if (decomposed !== undefined) table.set(a, decomposed);
    }
  }
  return table;
}

const ARCHES: ReadonlyMap<string, DebianArch> = buildTable();

/** The decomposition of a Debian architecture name, or undefined when dpkg would not know it. */
export function debianArch(name: string): DebianArch | undefined {
  return ARCHES.get(name);
}

/** Every Debian architecture name dpkg knows, in table order. */
export function allDebianArches(): readonly string[] {
  return [...ARCHES.keys()];
}

/** The facts of one CPU, by its Debian name. */
export function cpuFacts(cpu: string): CpuFacts | undefined {
  return CPU_BY_NAME.get(cpu);
}

/** GNU system suffixes (after the CPU and an optional vendor) → Debian ABI-LIBC-OS. */
const GNU_SYSTEMS: readonly (readonly [RegExp, string])[] = [
  [/^linux-gnueabihf$/, 'eabihf-gnu-linux'],
  [/^linux-gnueabi$/, 'eabi-gnu-linux'],
  [/^linux-gnuabin32$/, 'abin32-gnu-linux'],
  [/^linux-gnuabi64$/, 'abi64-gnu-linux'],
  [/^linux-gnux32$/, 'x32-gnu-linux'],
  [/^linux-gnu$/, 'base-gnu-linux'],
  [/^linux-musleabihf$/, 'eabihf-musl-linux'],
  [/^linux-musl$/, 'base-musl-linux'],
  [/^gnu$/, 'base-gnu-hurd'],
];

/**
 * The Debian architecture of a GNU triplet (`x86_64-linux-gnu` → amd64,
 * `arm-linux-gnueabihf` → armhf), as compilers and multiarch directories spell it; undefined
 * when the triplet is not one Debian has a name for.
 */
export function debianArchFromGnuTriplet(triplet: string): string | undefined {
  const parts = triplet.split('-');
  const gnuCpu = parts[0] ?? '';
  // A vendor field (x86_64-pc-linux-gnu) sits between the CPU and the system.
  const rest = parts.length > 3 || (parts.length === 3 && parts[1] !== 'linux' && parts[1] !== 'gnu') ? parts.slice(2) : parts.slice(1);
  const system = GNU_SYSTEMS.find(([re]) => re.test(rest.join('-')))?.[1];
  if (system === undefined) return undefined;
  const cpu = /^i[3-7]86$/.test(gnuCpu) ? 'i386' : CPUS.find((c) => c.gnuCpu === gnuCpu)?.cpu;
  if (cpu === undefined) return undefined;
  for (const [name, arch] of ARCHES) {
    if (`${arch.abi}-${arch.libc}-${arch.os}` === system && arch.cpu === cpu) return name;
  }
  return undefined;
}
