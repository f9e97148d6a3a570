/**
 * The audit's output formats: text for people, JSON for scripts, SARIF for code-scanning
 * dashboards (through the generic writer in src/report/sarif.ts).
 */
import type { ProfileFlags } from '../flags/index.js';
import { formatSarif, type SarifResult, type SarifRule, type SarifTool } from '../report/sarif.js';
import type { AuditFinding, AuditResult } from './audit.js';
import { RULES } from './audit.js';
import type { BuildModel } from './build-model.js';
import { relativeTo } from './paths.js';

export type AuditFormat = 'text' | 'json' | 'sarif';

export interface AuditReportContext {
  readonly model: BuildModel;
  readonly profile: ProfileFlags;
  readonly result: AuditResult;
  readonly notes: readonly string[];
  readonly tool: SarifTool;
}

function compilerText(p: ProfileFlags): string {
  return p.compiler.version === undefined ? p.compiler.family : `${p.compiler.family} ${p.compiler.version}`;
}

function readerText(m: BuildModel): string {
  return m.reader === 'cmake-file-api' ? `CMake File API${m.generator ? `, ${m.generator}` : ''}` : 'compile_commands.json';
}

function label(ctx: AuditReportContext, path: string): string {
  const { sourceDir, buildDir } = ctx.model;
  if (sourceDir !== undefined && path.startsWith(`${sourceDir}/`)) return relativeTo(sourceDir, path);
  return relativeTo(buildDir, path);
}

export function formatAuditText(ctx: AuditReportContext): string {
  const { model, profile, result } = ctx;
  const configs = model.configurations.map((c) => c.name || '(no build type)').join(', ');
  const lines = [
    `build: ${model.buildDir} (${readerText(model)}; configuration ${configs})`,
    `profile: ${profile.profile} for ${compilerText(profile)} on ${profile.arch}`,
  ];
  for (const n of ctx.notes) lines.push(`note: ${n}`);
  if (profile.omitted.length > 0) {
    lines.push(`note: not required with this compiler: ${profile.omitted.map((o) => o.flag).join(' ')}`);
  }
  lines.push('');
  const byTarget = new Map<string, AuditFinding[]>();
  for (const f of result.findings) {
    const list = byTarget.get(f.target) ?? [];
    list.push(f);
    byTarget.set(f.target, list);
  }
  for (const [target, findings] of byTarget) {
    lines.push(`${target}:`);
    // Missing flags of one step read best on one line: "lacks -fstack-protector-strong -Wformat".
    const grouped: { where: string; finding: AuditFinding; flags: string[] }[] = [];
    for (const f of findings) {
      const where = (f.source !== undefined ? label(ctx, f.source) : 'link') + (model.configurations.length > 1 ? ` [${f.configuration}]` : '');
      const previous = grouped[grouped.length - 1];
      if (f.rule === 'flag-missing' && previous?.finding.rule === 'flag-missing' && previous.where === where) {
        previous.flags.push(f.flag ?? '');
        continue;
      }
      grouped.push({ where, finding: f, flags: f.flag !== undefined ? [f.flag] : [] });
    }
    for (const { where, finding: f, flags } of grouped) {
      if (f.rule === 'flag-missing') {
        const step = f.step === 'link' ? 'the link' : 'compiled';
        lines.push(`  ${where}: ${f.level} [${f.rule}] ${step} without ${flags.join(' ')}`);
        lines.push(`    fix: add ${flags.join(' ')} to ${target}'s ${f.step === 'link' ? 'link' : 'compile'} options (include Hardening.cmake, or target_${f.step === 'link' ? 'link' : 'compile'}_options(${target} PRIVATE …))`);
      } else {
        lines.push(`  ${where}: ${f.level} [${f.rule}] ${f.message.replace(`${target}: `, '')}`);
        lines.push(`    fix: ${f.fix}`);
      }
    }
  }
  const s = result.summary;
  const checked = `${s.compileUnits} compile unit${s.compileUnits === 1 ? '' : 's'} and ${s.linkSteps} link step${s.linkSteps === 1 ? '' : 's'} in ${s.targets} target${s.targets === 1 ? '' : 's'}`;
  if (result.findings.length === 0) lines.push(`clean: ${checked} follow the PIC/PIE rules and carry the ${profile.profile} flags`);
  else lines.push(`${result.findings.length} finding${result.findings.length === 1 ? '' : 's'} in ${byTarget.size} target${byTarget.size === 1 ? '' : 's'} (${checked} checked)`);
  return lines.join('\n') + '\n';
}

export function formatAuditJson(ctx: AuditReportContext): string {
  const { model, profile, result } = ctx;
  return (
    JSON.stringify(
      {
        tool: { name: ctx.tool.name, version: ctx.tool.version },
        build: {
          directory: model.buildDir,
          source: model.sourceDir ?? null,
          reader: model.reader,
          generator: model.generator ?? null,
          configurations: model.configurations.map((c) => c.name),
          linkKnown: model.linkKnown,
        },
        profile: {
          name: profile.profile,
          compiler: profile.compiler,
          arch: profile.arch,
          required: { cpp: profile.cpp, c: profile.c, cxx: profile.cxx, ld: profile.ld, ldNotModules: profile.ldNotModules, pie: profile.pie },
          omitted: profile.omitted,
        },
        notes: ctx.notes,
        findings: result.findings.map((f) => ({ ...f, ...(f.source !== undefined ? { sourceLabel: label(ctx, f.source) } : {}) })),
        summary: { ...result.summary, findings: result.findings.length },
      },
      null,
      2,
    ) + '\n'
  );
}

const SARIF_RULES: readonly SarifRule[] = RULES.map((r) => ({
  id: r.id,
  name: r.id
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(''),
  shortDescription: r.title,
  fullDescription: r.description,
  helpText: r.help,
  defaultLevel: r.level,
}));

export function formatAuditSarif(ctx: AuditReportContext): string {
  const { model } = ctx;
  const results: SarifResult[] = ctx.result.findings.map((f) => {
    const target = model.configurations.flatMap((c) => c.targets).find((t) => t.name === f.target);
    const uri = f.source ?? target?.artifacts[0] ?? `${model.buildDir}/CMakeLists.txt`;
    return {
      ruleId: f.rule,
      level: f.level,
      message: `${f.message}. Fix: ${f.fix}`,
      uri,
      logicalLocation: { name: f.target, fullyQualifiedName: f.configuration ? `${f.configuration}::${f.target}` : f.target, kind: 'module' },
      properties: {
        target: f.target,
        step: f.step,
        ...(f.flag !== undefined ? { flag: f.flag } : {}),
        ...(f.culprit !== undefined ? { culprit: f.culprit } : {}),
        ...(f.into !== undefined ? { into: f.into } : {}),
      },
    };
  });
  return formatSarif(ctx.tool, SARIF_RULES, results, model.sourceDir !== undefined ? { baseUri: model.sourceDir } : {});
}

export function formatAudit(format: AuditFormat, ctx: AuditReportContext): string {
  switch (format) {
    case 'text':
      return formatAuditText(ctx);
    case 'json':
      return formatAuditJson(ctx);
    case 'sarif':
      return formatAuditSarif(ctx);
  }
}
