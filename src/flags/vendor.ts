/**
 * Which vendor's policy applies: DEB_VENDOR, else the `default` origins file; a vendor file
 * names its parent, and a vendor derived from Ubuntu gets Ubuntu's flags. The origins files are
 * read through a callback so that the computation itself never touches the file system.
 */
import type { VendorFamily } from './feature-rules.js';

export interface VendorInfo {
  /** The name to print (the origins file's Vendor field). */
  readonly name: string;
  readonly family: VendorFamily;
}

/** Reads `<origins dir>/<name>`; undefined when there is no such file. */
export type OriginsReader = (name: string) => string | undefined;

function field(text: string, name: string): string | undefined {
  const re = new RegExp(`^${name}:[ \\t]*(.*?)\\s*$`, 'im');
  return re.exec(text)?.[1];
}

function readOrigin(read: OriginsReader, name: string): string | undefined {
  const lower = name.toLowerCase();
  const variants = [name, lower, lower.charAt(0).toUpperCase() + lower.slice(1)];
  for (const v of variants) {
    if (v === '' || v.includes('/')) continue;
    const text = read(v);
    if (text !== undefined) return text;
  }
  return undefined;
}

/** Resolves the vendor from DEB_VENDOR (may be undefined) and the origins files. */
export function resolveVendor(debVendor: string | undefined, read: OriginsReader): VendorInfo {
  let text = debVendor !== undefined ? readOrigin(read, debVendor) : undefined;
  text ??= read('default');
  // With no origins at all dpkg has no vendor name and applies the Debian rules.
  if (text === undefined) return { name: 'undefined', family: 'debian' };
  const name = field(text, 'Vendor') ?? 'undefined';
  let family: VendorFamily = 'debian';
  let current: string | undefined = name;
  let currentText: string | undefined = text;
  for (let depth = 0; current !== undefined && depth < 16; depth++) {
    if (current.toLowerCase() === 'ubuntu') {
      family = 'ubuntu';
      break;
    }
    const parent: string | undefined = currentText !== undefined ? field(currentText, 'Parent') : undefined;
    if (parent === undefined) break;
    current = parent;
    currentText = readOrigin(read, parent);
  }
  return { name, family };
}

/** A vendor chosen by name on our command line (`--vendor ubuntu`), without origins files. */
export function namedVendor(name: string): VendorInfo | undefined {
  switch (name.toLowerCase()) {
    case 'debian':
      return { name: 'Debian', family: 'debian' };
    case 'ubuntu':
      return { name: 'Ubuntu', family: 'ubuntu' };
    default:
      return undefined;
  }
}
