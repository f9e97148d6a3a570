/**
 * A profile as flag variables, for `harden flags --profile … --export=…`. PIE stays out of the
 * variables: one LDFLAGS serves executables and shared libraries, and gcc links a PIE
 * *executable* when -pie follows -shared, so `cc -shared $(LDFLAGS)` would break. The exporters
 * that know the kind of target (cmake) add it where it belongs.
 */
import { FlagSet } from './flag-set.js';
import type { ProfileFlags } from './profiles.js';

export const PROFILE_FLAG_NAMES = ['CFLAGS', 'CPPFLAGS', 'CXXFLAGS', 'LDFLAGS', 'OBJCFLAGS', 'OBJCXXFLAGS'] as const;

export function profileFlagSet(p: ProfileFlags): FlagSet {
  const set = new FlagSet(PROFILE_FLAG_NAMES);
  // The Debian-derived profiles keep dpkg's "-g -O2" base; the OpenSSF guide names only -O2.
  const base = p.profile === 'openssf' ? p.optimize : `-g ${p.optimize}`;
  const c = [base, ...p.c].join(' ');
  const cxx = [base, ...p.cxx].join(' ');
  set.setVendor('CFLAGS', c);
  set.setVendor('OBJCFLAGS', c);
  set.setVendor('CXXFLAGS', cxx);
  set.setVendor('OBJCXXFLAGS', cxx);
  set.setVendor('CPPFLAGS', p.cpp.join(' '));
  set.setVendor('LDFLAGS', [...p.ld, ...p.ldNotModules].join(' '));
  return set;
}
