/**
 * AArch64 branch protection, from GNU_PROPERTY_AARCH64_FEATURE_1_AND: bit 0 BTI (the kernel maps
 * the code with PROT_BTI only when the executable, or for a library the library, has it) and
 * bit 1 PAC (return addresses signed with pointer authentication). As with CET, the linker ANDs
 * the bits over every input, so one object without them (Debian 12's crt files) drops them.
 * When a bit is missing the code is searched for the instructions themselves: PAC-RET signing
 * works without the property (PACIASP is a no-op hint on older CPUs), BTI enforcement does not.
 */
import { type CheckContext } from './context.js';
import { featureWord, recordedRequest } from './cet.js';
import { countAarch64Marks } from './facts/aarch64-marks.js';
import { branchProtectionOption } from './facts/recorded-flags.js';
import { AARCH64_FEATURE_1, GNU_PROPERTY, flagNames } from '../elf/index.js';
import { type CheckDefinition, type Verdict } from './types.js';
import { fail, notApplicable, pass } from './verdict.js';

type Feature = 'BTI' | 'PAC';

/** -mbranch-protection values that include each feature. */
function wants(feature: Feature): (o: string) => string | undefined {
  return (o) => {
    const v = branchProtectionOption(o);
    if (v === undefined) return undefined;
    const parts = v.split('+');
    const yes = v === 'standard' || (feature === 'BTI' ? parts.includes('bti') : parts.includes('pac-ret'));
    return yes ? 'yes' : 'no';
  };
}

function verdict(ctx: CheckContext, feature: Feature): Verdict {
  const kind = ctx.kind;
  if (!ctx.isAarch64) return notApplicable(`${ctx.machineName}: ${feature === 'BTI' ? 'BTI' : 'pointer authentication'} exists only on aarch64`);
  if (kind === 'core' || kind === 'other-elf') return notApplicable(ctx.kindInfo.evidence);
  if (ctx.isGo) return notApplicable(`Go binary (${ctx.toolchain.go?.evidence ?? ''}): the Go toolchain does not support ${feature}`);
  const bit = feature === 'BTI' ? AARCH64_FEATURE_1.BTI : AARCH64_FEATURE_1.PAC;
  const { word, errors } = featureWord(ctx, GNU_PROPERTY.AARCH64_FEATURE_1_AND);
  if (word !== undefined && (word & bit) !== 0) {
    return pass(`GNU_PROPERTY_AARCH64_FEATURE_1_AND 0x${word.toString(16)} (${flagNames(AARCH64_FEATURE_1, word).join(', ')}): ${feature} enabled`);
  }
  const damaged = errors.length > 0 ? ` (note problems: ${errors.join('; ')})` : '';
  const seen = `${word === undefined ? 'no GNU_PROPERTY_AARCH64_FEATURE_1_AND property' : `GNU_PROPERTY_AARCH64_FEATURE_1_AND 0x${word.toString(16)} without ${feature}`}${damaged}`;
  const marks = countAarch64Marks(ctx.elf);
  const pac = marks.paciasp + marks.pacibsp;
  const rec = recordedRequest(ctx, wants(feature), ['yes'], 'no');
  const recText = rec === undefined ? '' : `; ${rec.evidence.replace(/with yes/g, 'with it').replace(/with no/g, 'without it')}`;
  const remedy = 'compile every object with -mbranch-protection=standard; link with -Wl,-z,force-bti (BTI) to be told which objects lack the property';
  if (feature === 'PAC') {
    if (pac > 0) {
      return pass(`${seen}, but the code signs return addresses: ${pac} PACIASP/PACIBSP instructions (the property was dropped at link by an input without it)${recText}`, 'in code');
    }
    return fail(`${seen}; no PACIASP/PACIBSP instruction in ${marks.codeBytes} bytes of code${recText}`, remedy);
  }
  const landing = marks.bti + pac;
  if (landing > 0) {
    return fail(`${seen}: BTI is not enforced, although the code has ${marks.bti} BTI and ${pac} PACIASP/PACIBSP landing pads (an input object without the property made the linker drop it)${recText}`, remedy);
  }
  return fail(`${seen}; no BTI landing pads in the code${recText}`, remedy);
}

export const btiCheck: CheckDefinition<CheckContext> = {
  id: 'bti',
  title: 'AArch64 branch target identification (BTI)',
  category: 'hardening',
  description:
    'With BTI, indirect branches must land on a BTI (or PACIASP) instruction, limiting jump-oriented attacks. The kernel enforces it only for code whose ELF file carries the BTI property.',
  remedy: 'compile and link every object with -mbranch-protection=standard',
  evaluate: (ctx) => verdict(ctx, 'BTI'),
};

export const pacCheck: CheckDefinition<CheckContext> = {
  id: 'pac',
  title: 'AArch64 pointer authentication (PAC-RET)',
  category: 'hardening',
  description:
    'With pointer authentication, functions sign their return address on entry and check it before returning, so an overwritten return address faults instead of being used.',
  remedy: 'compile every object with -mbranch-protection=standard (or pac-ret)',
  evaluate: (ctx) => verdict(ctx, 'PAC'),
};
