/**
 * The PIC audit against the linker, per architecture: every source of sources.ts compiled with
 * -fPIC, -fPIE, -fno-pic, the compiler default and the architecture's code models, each object
 * linked with `<cc> -shared` (oracle.ts). The audit must fail exactly the objects the linker
 * refuses or can take only with text relocations; where GNU ld 2.40 accepts an object whose
 * library would be wrong, the disagreement must be one of the documented leniencies below.
 * Architectures whose cross compiler is not installed are skipped with the reason printed
 * (fixtures.test.ts keeps them covered with committed objects).
 */
import { describe, expect, it } from 'vitest';
import { type Blocker, type SharedLinkAudit } from '../../src/elf/reloc-types/shared-link.js';
import { check } from '../checks/helpers.js';
import { gcc, have } from '../helpers/gcc.js';
import { auditObject, linkShared, type LinkOutcome } from './oracle.js';
import { EXCEPTION_SOURCES, PIC_SOURCES, TLS_SOURCES } from './sources.js';

interface Arch {
  readonly name: string;
  readonly cc: string;
  /** Flag sets beyond the common ones. */
  readonly extra: readonly (readonly string[])[];
}

const COMMON: readonly (readonly string[])[] = [['-fPIC'], ['-fPIE'], ['-fno-pic'], [], ['-O0'], ['-O0', '-fno-pic']];
const TLS_MODELS: readonly (readonly string[])[] = [
  ['-fPIC', '-ftls-model=local-exec'],
  ['-fPIC', '-ftls-model=initial-exec'],
  ['-fno-pic', '-ftls-model=initial-exec'],
];

const ARCHES: readonly Arch[] = [
  { name: 'x86-64', cc: 'gcc', extra: [['-mcmodel=large', '-fno-pic'], ['-mcmodel=medium', '-fno-pic'], ['-mcmodel=large', '-fPIC']] },
  { name: 'i386', cc: 'i686-linux-gnu-gcc', extra: [['-fpic']] },
  { name: 'aarch64', cc: 'aarch64-linux-gnu-gcc', extra: [['-mcmodel=large', '-fno-pic'], ['-mcmodel=tiny', '-fno-pic'], ['-fpic']] },
  { name: 'armhf', cc: 'arm-linux-gnueabihf-gcc', extra: [['-mword-relocations', '-fno-pic'], ['-marm', '-fno-pic'], ['-marm', '-fPIC']] },
  { name: 'ppc64el', cc: 'powerpc64le-linux-gnu-gcc', extra: [['-mcmodel=large', '-fno-pic'], ['-mcmodel=small', '-fno-pic']] },
  { name: 's390x', cc: 's390x-linux-gnu-gcc', extra: [['-fpic']] },
  { name: 'riscv64', cc: 'riscv64-linux-gnu-gcc', extra: [['-mcmodel=medany', '-fno-pic'], ['-mcmodel=medlow', '-fno-pic']] },
  { name: 'mips', cc: 'mips-linux-gnu-gcc', extra: [['-mno-abicalls', '-fno-pic'], ['-mno-shared']] },
  { name: 'mips64el', cc: 'mips64el-linux-gnuabi64-gcc', extra: [['-mno-abicalls', '-fno-pic'], ['-mno-shared']] },
];

/**
 * Where GNU ld 2.40 accepts an object the audit fails, and why the audit is right. Returns the
 * reason when the disagreement is one of these, undefined otherwise.
 */
function documentedLeniency(arch: string, a: SharedLinkAudit): string | undefined {
  const only = (b: Blocker): boolean => a.blockers.size === 1 && a.blockers.has(b);
  // ld resolves TLSLE_* against a symbol the object defines as if the library were the
  // executable (no dynamic relocation, no DF_STATIC_TLS): the address is wrong at run time.
  if (arch === 'aarch64' && only('tls-local-exec')) return 'aarch64 ld accepts TLS local-exec against defined symbols';
  // ld binds PCREL_HI20 to the library's own definition (or to address 0 when undefined);
  // lld refuses ("relocation R_RISCV_PCREL_HI20 cannot be used against symbol; recompile with -fPIC").
  if (arch === 'riscv64' && only('preemptible') && a.offenderSamples.every((o) => o.typeName === 'R_RISCV_PCREL_HI20')) return 'riscv64 ld accepts PCREL_HI20 against preemptible symbols';
  return undefined;
}

function flagSets(arch: Arch, source: string): (readonly string[])[] {
  const sets = [...COMMON, ...arch.extra];
  if (TLS_SOURCES.has(source)) sets.push(...TLS_MODELS);
  const exceptions = EXCEPTION_SOURCES.has(source) ? ['-fexceptions'] : [];
  return sets.map((f) => [...(f.includes('-O0') ? [] : ['-O2']), ...exceptions, ...f]);
}

for (const arch of ARCHES) {
  const installed = have(arch.cc);
  if (!installed) console.log(`test/pic/linker: skipping ${arch.name}: ${arch.cc} is not installed (fixtures.test.ts covers it with committed objects)`);

  describe.skipIf(!installed)(`${arch.name}: the audit agrees with ${arch.cc} -shared`, () => {
    it('fails exactly the objects the linker refuses (or would give text relocations), apart from documented linker leniencies', () => {
      const tally = { objects: 0, refused: 0, agree: 0, lenient: new Map<string, number>(), notBuilt: 0, statuses: new Map<string, number>() };
      const disagreements: string[] = [];
      for (const [source, code] of Object.entries(PIC_SOURCES)) {
        for (const flags of flagSets(arch, source)) {
          let obj: string;
          try {
            obj = gcc(code, ['-c', ...flags], `${source}.o`, arch.cc);
          } catch {
            // A flag the target does not take (-mno-shared with n64): nothing to compare.
            tally.notBuilt++;
            continue;
          }
          const ld: LinkOutcome = linkShared(obj, arch.cc);
          const v = check(obj, 'pic');
          tally.objects++;
          tally.statuses.set(v.status, (tally.statuses.get(v.status) ?? 0) + 1);
          if (ld.refused) tally.refused++;
          const what = `${source} ${flags.join(' ')}: ld ${ld.how}, audit ${v.status} (${v.evidence.slice(0, 200)})`;
          if (ld.refused) {
            if (v.status !== 'fail') disagreements.push(what);
            else tally.agree++;
            // Every relocation type the linker complains about is one the audit names.
            const flagged = new Set(auditObject(obj).offenderSamples.map((o) => o.typeName));
            for (const t of ld.named) if (!flagged.has(t)) disagreements.push(`${what}: ld names ${t}, the audit does not`);
            expect(v.remedy).toMatch(/^recompile with -fPIC/);
          } else if (v.status === 'fail') {
            const why = documentedLeniency(arch.name, auditObject(obj));
            if (why === undefined) disagreements.push(what);
            else tally.lenient.set(why, (tally.lenient.get(why) ?? 0) + 1);
          } else {
            tally.agree++;
          }
          // -fPIC code (without forcing local-exec TLS, with -mabicalls) is never failed.
          if ((flags.includes('-fPIC') || flags.includes('-fpic')) && !flags.includes('-ftls-model=local-exec')) expect(v.status, what).not.toBe('fail');
        }
      }
      const lenient = [...tally.lenient.entries()].map(([why, n]) => `${n} × ${why}`).join('; ');
      const statuses = [...tally.statuses.entries()].map(([s, n]) => `${n} ${s}`).join(', ');
      console.log(
        `test/pic/linker ${arch.name}: ${tally.objects} objects (${tally.refused} refused by ld), audit agrees on ${tally.agree}${lenient === '' ? '' : `, documented ld leniencies: ${lenient}`}; verdicts ${statuses}${tally.notBuilt > 0 ? `; ${tally.notBuilt} flag sets not accepted by the compiler` : ''}`,
      );
      expect(disagreements).toEqual([]);
      expect(tally.objects).toBeGreaterThan(100);
      expect(tally.refused).toBeGreaterThan(10);
    }, 1_800_000);
  });
}
