/**
 * Profiles: named sets of checks that must pass. Each set is the binary-visible part of a
 * published hardening policy; what a policy asks of the compiler but leaves no trace in the
 * binary (format-string warnings, -Wconversion...) cannot be required here.
 */
import { type CheckId } from '../checks/types.js';

export type ProfileName = 'debian' | 'kurento' | 'openssf' | 'none';

export interface Profile {
  readonly name: ProfileName;
  readonly summary: string;
  readonly required: readonly CheckId[];
}

export const PROFILES: Readonly<Record<ProfileName, Profile>> = {
  // dpkg-buildflags' defaults (spec/build.md): pie, relro, stack protector, fortify. Immediate
  // binding is off by default in Debian (it needs hardening=+all), so it is not required: a
  // package built with the defaults passes.
  debian: {
    name: 'debian',
    summary: "what Debian's default build flags give (PIE, RELRO, stack protector, FORTIFY_SOURCE)",
    required: ['pie', 'relro', 'stack-protector', 'fortify'],
  },
  // Kurento's hardening list (seed): format checks (not visible in binaries), fortify, stack
  // protector, RELRO, PIC/PIE, immediate binding. PIC of objects and archives is not required:
  // an archive meant for executables is rightly built -fPIE; require `pic` in a config to
  // audit archives that go into shared libraries.
  kurento: {
    name: 'kurento',
    summary: "Kurento's hardening (Debian's hardening=+all): PIE, RELRO, BIND_NOW, stack protector, FORTIFY_SOURCE",
    required: ['pie', 'relro', 'bindnow', 'stack-protector', 'fortify'],
  },
  // The OpenSSF Compiler Options Hardening Guide's properties that show in a binary. CET and
  // BTI/PAC checks are not-applicable (and so pass) on other architectures.
  openssf: {
    name: 'openssf',
    summary: 'the OpenSSF compiler hardening guide: the Kurento set plus NX, no RWX or TEXTREL, stack clash, CET (x86) or BTI/PAC (aarch64)',
    required: ['pie', 'relro', 'bindnow', 'nx', 'rwx', 'textrel', 'stack-protector', 'fortify', 'stack-clash', 'cet-ibt', 'cet-shstk', 'bti', 'pac'],
  },
  none: {
    name: 'none',
    summary: 'nothing required: report only (exit 0 unless a file cannot be analysed)',
    required: [],
  },
};

export const DEFAULT_PROFILE: ProfileName = 'debian';

export function isProfileName(s: string): s is ProfileName {
  return Object.prototype.hasOwnProperty.call(PROFILES, s);
}
