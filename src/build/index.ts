/**
 * Build reading and auditing: the CMake File API and compilation databases as one build
 * model, what each compile unit ends up in, and the PIC/PIE and hardening-flag rules.
 */
export { auditBuild, requirementsOf, RULES, type AuditFinding, type AuditResult, type RuleId, type RuleInfo } from './audit.js';
export { formatAudit, type AuditFormat, type AuditReportContext } from './audit-report.js';
export type { BuildFiles } from './build-files.js';
export type { BuildConfiguration, BuildModel, BuildTarget, CompileUnit, LinkStep, TargetType } from './build-model.js';
export { fileApiState, QUERY_PATH, readFileApi, writeFileApiQuery } from './cmake-file-api.js';
export { readCompileCommands } from './compile-commands.js';
export { evaluate, optionFacts, requiredOption, satisfies, type OptionFact } from './gcc-options.js';
export { parseInvocation } from './invocation.js';
export { destinations } from './linkage.js';
export { loadBuild, type LoadOutcome } from './load-build.js';
export { splitCommands, splitShellWords } from './shell-words.js';
