/**
 * Where dpkg-buildflags finds its inputs on a system: the vendor's origins files
 * ($DPKG_ORIGINS_DIR or /etc/dpkg/origins), the system config (/etc/dpkg/buildflags.conf) and
 * the user's ($XDG_CONFIG_HOME, else $HOME/.config, then dpkg/buildflags.conf). File access
 * goes through a callback so that this stays testable and usable without a file system.
 */
import type { BuildFlagsInput, ConfigText } from './buildflags.js';
import { resolveVendor, type VendorInfo } from './vendor.js';

/** Returns a file's text, or undefined when it cannot be read. */
export type ReadText = (path: string) => string | undefined;

export const SYSTEM_CONFIG_PATH = '/etc/dpkg/buildflags.conf';

function joinPath(dir: string, name: string): string {
  return dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`;
}

function config(read: ReadText, path: string): ConfigText | undefined {
  const text = read(path);
  return text === undefined ? undefined : { path, text };
}

export interface SystemInputOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly nativeArch: string;
  readonly read: ReadText;
  /** A vendor chosen on the command line, bypassing DEB_VENDOR and the origins files. */
  readonly vendor?: VendorInfo;
}

/** Gathers the inputs of computeBuildFlags the way dpkg-buildflags finds them. */
export function systemInputs(o: SystemInputOptions): BuildFlagsInput {
  const { env, read } = o;
  const originsDir = env['DPKG_ORIGINS_DIR'] || '/etc/dpkg/origins';
  const vendor = o.vendor ?? resolveVendor(env['DEB_VENDOR'], (name) => read(joinPath(originsDir, name)));
  const userDir = env['XDG_CONFIG_HOME'] || joinPath(env['HOME'] ?? '', '.config');
  return {
    env,
    vendor,
    nativeArch: o.nativeArch,
    cwd: o.cwd,
    systemConfig: config(read, SYSTEM_CONFIG_PATH),
    userConfig: config(read, joinPath(joinPath(userDir, 'dpkg'), 'buildflags.conf')),
  };
}
