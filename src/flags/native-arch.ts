/**
 * The Debian architecture of the machine we run on, from Node's own idea of the platform.
 * dpkg asks the installed toolchain; we must not run anything, and for the architectures Node
 * runs on the answer is fixed by the CPU, the OS and the byte order.
 */

const LINUX_BY_NODE_ARCH: Readonly<Record<string, string>> = {
  x64: 'amd64',
  arm64: 'arm64',
  ia32: 'i386',
  // Node's 32-bit ARM builds are hard-float.
  arm: 'armhf',
  loong64: 'loong64',
  riscv64: 'riscv64',
  s390x: 's390x',
  s390: 's390',
  mips: 'mips',
  mipsel: 'mipsel',
  mips64el: 'mips64el',
  ppc: 'powerpc',
};

/**
 * Maps a Node platform/arch/endianness triple to a Debian architecture name. `ppc64` depends
 * on the byte order: little-endian is ppc64el.
 */
export function debianArchForNode(platform: string, arch: string, endianness: 'LE' | 'BE'): string | undefined {
  if (arch === 'ppc64') return platform === 'linux' ? (endianness === 'LE' ? 'ppc64el' : 'ppc64') : undefined;
  const linux = LINUX_BY_NODE_ARCH[arch];
  if (linux === undefined) return undefined;
  switch (platform) {
    case 'linux':
      return linux;
    case 'freebsd':
    case 'openbsd':
    case 'netbsd':
    case 'darwin':
      return `${platform}-${linux}`;
    default:
      return undefined;
  }
}
