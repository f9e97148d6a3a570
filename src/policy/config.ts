/**
 * `harden.config.json`: parsing and validation against its JSON Schema (config-schema.ts).
 * Pure: the caller finds and reads the file (config-file.ts), so a browser page can take the
 * config from a text box. Every problem is a `ConfigError` naming the file and the place.
 */
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { type CheckId } from '../checks/types.js';
import { ConfigError } from './config-error.js';
import { CONFIG_SCHEMA } from './config-schema.js';
import { type ProfileName } from './profiles.js';

export interface WaiverConfig {
  /** Globs, relative to the config file's directory. */
  readonly paths: readonly string[];
  readonly checks: readonly (CheckId | '*')[];
  readonly reason: string;
}

export interface HardenConfig {
  readonly profile?: ProfileName;
  readonly require: readonly CheckId[];
  readonly ignore: readonly CheckId[];
  readonly unknownIs?: 'warn' | 'fail';
  readonly waivers: readonly WaiverConfig[];
}

export { ConfigError };

/** The file as JSON sees it, before validation. */
interface RawConfig {
  profile?: ProfileName;
  require?: CheckId[];
  ignore?: CheckId[];
  unknownIs?: 'warn' | 'fail';
  waivers?: { path: string | string[]; checks: (CheckId | '*')[]; reason: string }[];
}

let validator: ReturnType<Ajv2020['compile']> | undefined;

function validate(value: unknown): readonly ErrorObject[] {
  if (validator === undefined) {
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    validator = ajv.compile(CONFIG_SCHEMA);
  }
  return validator(value) ? [] : (validator.errors ?? []);
}

/** "waivers/0/reason must NOT have fewer than 1 characters", one line per error. */
function describe(e: ErrorObject): string {
  const where = e.instancePath === '' ? 'the top level' : e.instancePath.slice(1);
  if (e.keyword === 'additionalProperties') return `${where}: unknown property "${String(e.params['additionalProperty'])}"`;
  if (e.keyword === 'enum') return `${where}: must be one of ${(e.params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  return `${where}: ${e.message ?? e.keyword}`;
}

/** Parses and validates the text of a config file. Throws `ConfigError`. */
export function parseConfig(text: string, file: string): HardenConfig {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(file, `not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  const errors = validate(value);
  if (errors.length > 0) {
    // anyOf/oneOf report every branch; the specific errors under them say more.
    const useful = errors.filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf');
    const lines = [...new Set((useful.length > 0 ? useful : errors).map(describe))];
    throw new ConfigError(file, `invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const raw = value as RawConfig;
  return {
    ...(raw.profile === undefined ? {} : { profile: raw.profile }),
    require: raw.require ?? [],
    ignore: raw.ignore ?? [],
    ...(raw.unknownIs === undefined ? {} : { unknownIs: raw.unknownIs }),
    waivers: (raw.waivers ?? []).map((w) => ({ paths: typeof w.path === 'string' ? [w.path] : w.path, checks: w.checks, reason: w.reason })),
  };
}
