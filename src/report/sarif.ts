/**
 * A small, generic SARIF 2.1.0 writer: one run of one tool, its rules, and results that point
 * at a file (and optionally a region in it, or a logical location such as a build target or an
 * ELF symbol). Any command that reports findings (`harden audit`, `harden scan`) maps its own
 * findings onto these types; nothing here knows about builds or binaries.
 *
 * Only the parts of the format that code-scanning consumers read are produced: tool.driver
 * with its rules, results with ruleId/ruleIndex/level/message/locations, and
 * originalUriBaseIds when results use relative paths.
 */

export type SarifLevel = 'error' | 'warning' | 'note' | 'none';

export interface SarifTool {
  readonly name: string;
  readonly version: string;
  readonly informationUri?: string;
}

export interface SarifRule {
  /** Stable identifier (`PIC001`, `audit/pie-link`). */
  readonly id: string;
  /** Human-readable PascalCase name. */
  readonly name: string;
  readonly shortDescription: string;
  readonly fullDescription?: string;
  /** How to fix what the rule finds. */
  readonly helpText: string;
  readonly helpUri?: string;
  readonly defaultLevel: SarifLevel;
}

export interface SarifRegion {
  readonly startLine: number;
  readonly startColumn?: number;
  readonly endLine?: number;
  readonly endColumn?: number;
}

export interface SarifLogicalLocation {
  readonly name: string;
  readonly fullyQualifiedName?: string;
  /** SARIF's kinds include `function`, `module`, `namespace`, `object`, `resource`. */
  readonly kind?: string;
}

export interface SarifResult {
  readonly ruleId: string;
  /** Defaults to the rule's level. */
  readonly level?: SarifLevel;
  readonly message: string;
  /** A path (absolute, or relative to `baseUri`) or a URI. */
  readonly uri: string;
  readonly region?: SarifRegion;
  readonly logicalLocation?: SarifLogicalLocation;
  /** Extra machine-readable facts (SARIF property bag). */
  readonly properties?: Readonly<Record<string, string | number | boolean | readonly string[]>>;
}

export interface SarifOptions {
  /** An absolute directory that relative result paths are resolved against (as %SRCROOT%). */
  readonly baseUri?: string;
}

/** The JSON shape written, typed enough for callers and tests to read it back. */
export interface SarifLog {
  readonly $schema: string;
  readonly version: '2.1.0';
  readonly runs: readonly SarifRun[];
}

export interface SarifRun {
  readonly tool: {
    readonly driver: {
      readonly name: string;
      readonly version: string;
      readonly informationUri?: string;
      readonly rules: readonly SarifRuleJson[];
    };
  };
  readonly originalUriBaseIds?: Readonly<Record<string, { readonly uri: string }>>;
  readonly results: readonly SarifResultJson[];
}

interface SarifRuleJson {
  readonly id: string;
  readonly name: string;
  readonly shortDescription: { readonly text: string };
  readonly fullDescription?: { readonly text: string };
  readonly help: { readonly text: string };
  readonly helpUri?: string;
  readonly defaultConfiguration: { readonly level: SarifLevel };
}

interface SarifResultJson {
  readonly ruleId: string;
  readonly ruleIndex: number;
  readonly level: SarifLevel;
  readonly message: { readonly text: string };
  readonly locations: readonly {
    readonly physicalLocation: {
      readonly artifactLocation: { readonly uri: string; readonly uriBaseId?: string };
      readonly region?: SarifRegion;
    };
    readonly logicalLocations?: readonly SarifLogicalLocation[];
  }[];
  readonly properties?: Readonly<Record<string, string | number | boolean | readonly string[]>>;
}

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const BASE_ID = 'SRCROOT';

/** Percent-encodes a POSIX path for a URI, keeping the separators. */
function encodePath(path: string): string {
  return path
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

function isUri(text: string): boolean {
  return /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(text);
}

function artifactLocation(uri: string, base: string | undefined): { uri: string; uriBaseId?: string } {
  if (isUri(uri)) return { uri };
  if (uri.startsWith('/')) {
    if (base !== undefined) {
      const prefix = base.endsWith('/') ? base : `${base}/`;
      if (uri.startsWith(prefix)) return { uri: encodePath(uri.slice(prefix.length)), uriBaseId: BASE_ID };
    }
    return { uri: `file://${encodePath(uri)}` };
  }
  return base === undefined ? { uri: encodePath(uri) } : { uri: encodePath(uri), uriBaseId: BASE_ID };
}

/** Builds the SARIF log of one run. Throws when a result names a rule that is not given. */
export function toSarif(
  tool: SarifTool,
  rules: readonly SarifRule[],
  results: readonly SarifResult[],
  options: SarifOptions = {},
): SarifLog {
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const base = options.baseUri;
  const resultJson = results.map((r): SarifResultJson => {
    const ruleIndex = index.get(r.ruleId);
    if (ruleIndex === undefined) throw new Error(`SARIF result names unknown rule '${r.ruleId}'`);
    const rule = rules[ruleIndex] as SarifRule;
    const physicalLocation = {
      artifactLocation: artifactLocation(r.uri, base),
      ...(r.region !== undefined ? { region: r.region } : {}),
    };
    return {
      ruleId: r.ruleId,
      ruleIndex,
      level: r.level ?? rule.defaultLevel,
      message: { text: r.message },
      locations: [
        { physicalLocation, ...(r.logicalLocation !== undefined ? { logicalLocations: [r.logicalLocation] } : {}) },
      ],
      ...(r.properties !== undefined ? { properties: r.properties } : {}),
    };
  });
  const usesBase = resultJson.some((r) => r.locations.some((l) => l.physicalLocation.artifactLocation.uriBaseId !== undefined));
  const run: SarifRun = {
    tool: {
      driver: {
        name: tool.name,
        version: tool.version,
        ...(tool.informationUri !== undefined ? { informationUri: tool.informationUri } : {}),
        rules: rules.map((r) => ({
          id: r.id,
          name: r.name,
          shortDescription: { text: r.shortDescription },
          ...(r.fullDescription !== undefined ? { fullDescription: { text: r.fullDescription } } : {}),
          help: { text: r.helpText },
          ...(r.helpUri !== undefined ? { helpUri: r.helpUri } : {}),
          defaultConfiguration: { level: r.defaultLevel },
        })),
      },
    },
    ...(usesBase && base !== undefined
      ? { originalUriBaseIds: { [BASE_ID]: { uri: `file://${encodePath(base.endsWith('/') ? base : `${base}/`)}` } } }
      : {}),
    results: resultJson,
  };
  return { $schema: SARIF_SCHEMA, version: '2.1.0', runs: [run] };
}

/** The SARIF log as JSON text (two-space indent, final newline). */
export function formatSarif(
  tool: SarifTool,
  rules: readonly SarifRule[],
  results: readonly SarifResult[],
  options: SarifOptions = {},
): string {
  return JSON.stringify(toSarif(tool, rules, results, options), null, 2) + '\n';
}
