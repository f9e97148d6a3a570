/**
 * The build audit: every compile unit and link step against the PIC/PIE rules and the
 * profile's flags, before the binary exists.
 *
 * Rules (the seed's "PIC/PIE in GCC" section, and CMake issue #14983):
 * - code that ends up in a shared library or loadable module, directly or through static and
 *   object libraries, is compiled with -fPIC (or -fpic);
 * - code that ends up in an executable is compiled with -fPIE or -fPIC;
 * - executables are linked with -pie, explicitly, not only by the compiler's default;
 * - the profile's compile and link flags are present, and no later option cancels them;
 * - _FORTIFY_SOURCE is not combined with -O0 (glibc then silently drops it).
 */
import type { ProfileFlags } from '../flags/index.js';
import type { BuildConfiguration, BuildModel, BuildTarget, CompileUnit } from './build-model.js';
import { evaluate, lastOf, optionFacts, requiredOption, type OptionFact, type RequiredOption } from './gcc-options.js';
import { destinations, FINAL_TYPES, keyOf, type Destination } from './linkage.js';

export type RuleId =
  | 'pic-for-shared-object'
  | 'pie-compile'
  | 'pie-link'
  | 'flag-missing'
  | 'flag-cancelled'
  | 'fortify-unoptimized';

export type FindingLevel = 'error' | 'warning';

export interface AuditFinding {
  readonly rule: RuleId;
  readonly level: FindingLevel;
  /** The target whose compile or link step is at fault. */
  readonly target: string;
  readonly configuration: string;
  readonly step: 'compile' | 'link';
  /** The source file (compile steps). */
  readonly source?: string;
  /** The flag the rule wants (`-fPIC`, `-Wl,-z,now`). */
  readonly flag?: string;
  /** The option that cancels or replaces it, when one does. */
  readonly culprit?: string;
  /** The final link the problem shows in, for the PIC rules. */
  readonly into?: string;
  readonly message: string;
  readonly fix: string;
}

export interface AuditSummary {
  readonly configurations: number;
  readonly targets: number;
  readonly compileUnits: number;
  readonly linkSteps: number;
}

export interface AuditResult {
  readonly findings: readonly AuditFinding[];
  readonly summary: AuditSummary;
}

export interface RuleInfo {
  readonly id: RuleId;
  readonly title: string;
  readonly description: string;
  readonly help: string;
  readonly level: FindingLevel;
}

export const RULES: readonly RuleInfo[] = [
  {
    id: 'pic-for-shared-object',
    title: 'Code linked into a shared object is not position-independent',
    description:
      'A compile unit that ends up in a shared library or a loadable module, directly or through a static or object library, must be compiled with -fPIC; otherwise the link fails or the library needs text relocations.',
    help: 'Set POSITION_INDEPENDENT_CODE ON on the target that compiles it (or CMAKE_POSITION_INDEPENDENT_CODE ON before it is created), or compile it with -fPIC.',
    level: 'error',
  },
  {
    id: 'pie-compile',
    title: 'Code linked into an executable is not compiled as PIE',
    description:
      'A compile unit that ends up in an executable must be compiled with -fPIE (or -fPIC) for the executable to be position-independent, so that ASLR can move its code.',
    help: 'Set POSITION_INDEPENDENT_CODE ON on the target (CMake then compiles executables with -fPIE and libraries with -fPIC).',
    level: 'error',
  },
  {
    id: 'pie-link',
    title: 'Executable not linked with -pie',
    description:
      'POSITION_INDEPENDENT_CODE makes CMake compile with -fPIE but not link with -pie unless policy CMP0083 is NEW and check_pie_supported() ran (CMake issue #14983). Without -pie the executable is PIE only if the compiler defaults to it.',
    help: 'Require CMake 3.14 (CMP0083 NEW) and call check_pie_supported() with POSITION_INDEPENDENT_CODE ON, or include Hardening.cmake, which does it and falls back to adding -pie on older policies.',
    level: 'error',
  },
  {
    id: 'flag-missing',
    title: 'Hardening flag missing',
    description: "A flag of the hardening profile is absent from a compile or link step.",
    help: 'Include Hardening.cmake, or add the flag to the target (target_compile_options, target_link_options) or to CMAKE_<LANG>_FLAGS / CMAKE_*_LINKER_FLAGS.',
    level: 'error',
  },
  {
    id: 'flag-cancelled',
    title: 'Hardening flag cancelled by a later option',
    description:
      'A flag of the hardening profile is given, then overridden by a later option of the same kind (-fno-stack-protector, -U_FORTIFY_SOURCE, -Wl,-z,lazy, -no-pie, …): the last one wins.',
    help: 'Remove the later option, or move the hardening flag after it.',
    level: 'error',
  },
  {
    id: 'fortify-unoptimized',
    title: '_FORTIFY_SOURCE without optimisation',
    description:
      'glibc only fortifies when the code is optimised; at -O0 (or with no -O at all) _FORTIFY_SOURCE is silently ignored, with no __*_chk calls in the binary.',
    help: 'Compile with -O1 or more; for debug builds use -Og, which keeps fortification.',
    level: 'error',
  },
];

const PIC_VALUES = new Set(['pic', 'PIC']);
const PIE_OK_VALUES = new Set(['pic', 'PIC', 'pie', 'PIE']);

function describePic(fact: OptionFact | undefined): string {
  return fact === undefined ? 'without -fPIC/-fPIE' : `with ${fact.token}`;
}

function typeWord(t: BuildTarget): string {
  switch (t.type) {
    case 'EXECUTABLE':
      return 'executable';
    case 'SHARED_LIBRARY':
      return 'shared library';
    case 'MODULE_LIBRARY':
      return 'loadable module';
    default:
      return 'target';
  }
}

/** "shared library SHARED through AB": the final link and the libraries on the way. */
function route(d: Destination): string {
  const names = d.via.map((v) => v.name).filter((n, i, all) => all.indexOf(n) === i);
  return `${typeWord(d.target)} ${d.target.name}${names.length > 0 ? ` through ${names.join(' → ')}` : ''}`;
}

interface Requirements {
  readonly c: readonly RequiredOption[];
  readonly cxx: readonly RequiredOption[];
  /** Link requirements for executables and shared libraries. */
  readonly link: readonly RequiredOption[];
  /** Link requirements for loadable modules. */
  readonly moduleLink: readonly RequiredOption[];
  readonly fortify: boolean;
}

function toRequired(flags: readonly string[]): RequiredOption[] {
  return flags.flatMap((f) => {
    const r = requiredOption(f);
    return r === undefined ? [] : [r];
  });
}

export function requirementsOf(profile: ProfileFlags): Requirements {
  // -U_FORTIFY_SOURCE in a profile only clears a previous definition; the -D after it is what
  // is required.
  const cpp = profile.cpp.filter((f) => !f.startsWith('-U'));
  return {
    c: toRequired([...cpp, ...profile.c]),
    cxx: toRequired([...cpp, ...profile.cxx]),
    link: toRequired([...profile.ld, ...profile.ldNotModules]),
    moduleLink: toRequired(profile.ld),
    fortify: cpp.some((f) => f.startsWith('-D_FORTIFY_SOURCE=')),
  };
}

function flagFindings(
  required: readonly RequiredOption[],
  facts: readonly OptionFact[],
  base: Pick<AuditFinding, 'target' | 'configuration' | 'step' | 'source'>,
  where: string,
): AuditFinding[] {
  const out: AuditFinding[] = [];
  for (const r of required) {
    const state = evaluate(r, facts);
    if (state.state === 'ok') continue;
    if (state.state === 'missing') {
      out.push({
        ...base,
        rule: 'flag-missing',
        level: 'error',
        flag: r.flag,
        message: `${where} lacks ${r.flag}`,
        fix: `add ${r.flag} to ${base.target}'s ${base.step === 'link' ? 'link options' : 'compile options'} (include Hardening.cmake, or target_${base.step === 'link' ? 'link' : 'compile'}_options(${base.target} PRIVATE ${r.flag}))`,
      });
    } else if (state.state === 'cancelled') {
      out.push({
        ...base,
        rule: 'flag-cancelled',
        level: 'error',
        flag: r.flag,
        culprit: state.by.token,
        message: `${where}: ${state.earlier.token} is cancelled by the later ${state.by.token}`,
        fix: `remove ${state.by.token} from ${base.target}'s ${base.step} options, or put ${r.flag} after it`,
      });
    } else {
      out.push({
        ...base,
        rule: 'flag-cancelled',
        level: 'error',
        flag: r.flag,
        culprit: state.by.token,
        message: `${where} has ${state.by.token} where the profile requires ${r.flag}`,
        fix: `replace ${state.by.token} with ${r.flag} in ${base.target}'s ${base.step} options`,
      });
    }
  }
  return out;
}

function auditUnit(
  target: BuildTarget,
  unit: CompileUnit,
  into: readonly Destination[],
  req: Requirements,
  configuration: string,
  sourceLabel: (path: string) => string,
): AuditFinding[] {
  if (unit.language === 'OTHER') return [];
  const facts = optionFacts(unit.args);
  const label = sourceLabel(unit.source);
  const base = { target: target.name, configuration, step: 'compile' as const, source: unit.source };
  const findings = flagFindings(unit.language === 'C' ? req.c : req.cxx, facts, base, `${target.name}: ${label}`);

  if (req.fortify && evaluate({ flag: '-D_FORTIFY_SOURCE', family: 'macro:_FORTIFY_SOURCE', value: '1' }, facts).state === 'ok') {
    const opt = lastOf(facts, 'optimize');
    if (opt === undefined || opt.value === '0') {
      findings.push({
        ...base,
        rule: 'fortify-unoptimized',
        level: 'error',
        flag: '-O1',
        ...(opt !== undefined ? { culprit: opt.token } : {}),
        message: `${target.name}: ${label} is compiled with _FORTIFY_SOURCE ${opt === undefined ? 'and no -O option (-O0)' : `at ${opt.token}`}: glibc silently disables fortification`,
        fix: `compile ${target.name}${configuration !== '' ? ` in ${configuration}` : ''} with -O1 or more (-Og for debugging), e.g. set(CMAKE_C_FLAGS_${(configuration || 'DEBUG').toUpperCase()} "-g -Og")`,
      });
    }
  }

  const pic = lastOf(facts, 'pic');
  const shared = into.find((d) => d.target.type === 'SHARED_LIBRARY' || d.target.type === 'MODULE_LIBRARY');
  const exe = into.find((d) => d.target.type === 'EXECUTABLE');
  if (shared !== undefined && (pic === undefined || !PIC_VALUES.has(pic.value))) {
    findings.push({
      ...base,
      rule: 'pic-for-shared-object',
      level: 'error',
      flag: '-fPIC',
      ...(pic !== undefined ? { culprit: pic.token } : {}),
      into: shared.target.name,
      message: `${target.name}: ${label} is compiled ${describePic(pic)} but goes into ${route(shared)}`,
      fix: `set_target_properties(${target.name} PROPERTIES POSITION_INDEPENDENT_CODE ON) (or set CMAKE_POSITION_INDEPENDENT_CODE ON before ${target.name} is created)`,
    });
  } else if (shared === undefined && exe !== undefined && (pic === undefined || !PIE_OK_VALUES.has(pic.value))) {
    findings.push({
      ...base,
      rule: 'pie-compile',
      level: 'error',
      flag: '-fPIE',
      ...(pic !== undefined ? { culprit: pic.token } : {}),
      into: exe.target.name,
      message:
        pic === undefined
          ? `${target.name}: ${label} goes into ${route(exe)} but is compiled without -fPIE or -fPIC: it is PIE only if the compiler defaults to it`
          : `${target.name}: ${label} goes into ${route(exe)} but is compiled with ${pic.token}`,
      fix: `set_target_properties(${target.name} PROPERTIES POSITION_INDEPENDENT_CODE ON) (or CMAKE_POSITION_INDEPENDENT_CODE ON)`,
    });
  }
  return findings;
}

function auditLink(target: BuildTarget, req: Requirements, configuration: string): AuditFinding[] {
  const link = target.link;
  if (link === undefined) return [];
  const facts = optionFacts(link.args);
  const base = { target: target.name, configuration, step: 'link' as const };
  const findings = flagFindings(
    target.type === 'MODULE_LIBRARY' ? req.moduleLink : req.link,
    facts,
    base,
    `${target.name}: the link of ${typeWord(target)} ${target.name}`,
  );
  if (target.type === 'EXECUTABLE') {
    const pie = evaluate({ flag: '-pie', family: 'pie-link', value: 'pie' }, facts);
    if (pie.state !== 'ok') {
      const culprit = pie.state === 'missing' ? undefined : pie.by.token;
      findings.push({
        ...base,
        rule: 'pie-link',
        level: 'error',
        flag: '-pie',
        ...(culprit !== undefined ? { culprit } : {}),
        message:
          culprit === undefined
            ? `${target.name}: executable ${target.name} is linked without -pie: it is PIE only if the compiler defaults to it (CMake issue #14983)`
            : `${target.name}: executable ${target.name} is linked with ${culprit}, not -pie`,
        fix:
          culprit === undefined
            ? `require CMake 3.14 policies (CMP0083 NEW), include(CheckPIESupported) and check_pie_supported(), with POSITION_INDEPENDENT_CODE ON on ${target.name}; or include Hardening.cmake`
            : `remove ${culprit} from ${target.name}'s link options`,
      });
    }
  }
  return findings;
}

export interface AuditOptions {
  /** Turns absolute source paths into what messages show (relative to the source tree). */
  readonly sourceLabel?: (path: string) => string;
  /** Audit only this configuration (multi-configuration generators). */
  readonly configuration?: string;
}

/** Source paths as messages show them: relative to the source tree when inside it. */
function defaultLabel(model: BuildModel): (path: string) => string {
  const roots = [model.sourceDir, model.buildDir].filter((r): r is string => r !== undefined).map((r) => (r.endsWith('/') ? r : `${r}/`));
  return (path) => {
    const root = roots.find((r) => path.startsWith(r));
    return root === undefined ? path : path.slice(root.length);
  };
}

function auditConfiguration(
  config: BuildConfiguration,
  req: Requirements,
  label: (path: string) => string,
  linkKnown: boolean,
): AuditFinding[] {
  const where = destinations(config);
  const findings: AuditFinding[] = [];
  for (const target of config.targets) {
    for (const unit of target.units) {
      const into = where.get(keyOf(target, unit))?.into ?? [];
      findings.push(...auditUnit(target, unit, into, req, config.name, label));
    }
    if (linkKnown && FINAL_TYPES.has(target.type)) findings.push(...auditLink(target, req, config.name));
  }
  return findings;
}

/** Audits a build model against a profile. */
export function auditBuild(model: BuildModel, profile: ProfileFlags, options: AuditOptions = {}): AuditResult {
  const req = requirementsOf(profile);
  const configs = model.configurations.filter((c) => options.configuration === undefined || c.name === options.configuration);
  const label = options.sourceLabel ?? defaultLabel(model);
  const findings = configs.flatMap((c) => auditConfiguration(c, req, label, model.linkKnown));
  const targets = new Set(configs.flatMap((c) => c.targets.map((t) => t.id)));
  return {
    findings,
    summary: {
      configurations: configs.length,
      targets: targets.size,
      compileUnits: configs.reduce((n, c) => n + c.targets.reduce((m, t) => m + t.units.length, 0), 0),
      linkSteps: configs.reduce((n, c) => n + c.targets.filter((t) => t.link !== undefined && FINAL_TYPES.has(t.type)).length, 0),
    },
  };
}
