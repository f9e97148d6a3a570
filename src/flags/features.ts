/**
 * The feature areas of DEB_BUILD_OPTIONS / DEB_BUILD_MAINT_OPTIONS and what the user asked of
 * them. Resolving a request into what is enabled on an architecture is vendor policy and lives
 * in feature-rules.ts.
 */
import { parseBuildOptions, parseFeatureSwitches } from './build-options.js';

/** The areas and their features, each list sorted as dpkg prints them. */
export const FEATURE_AREAS = {
  abi: ['lfs', 'time64'],
  future: ['lfs'],
  hardening: [
    'bindnow',
    'branch',
    'format',
    'fortify',
    'pie',
    'relro',
    'stackclash',
    'stackprotector',
    'stackprotectorstrong',
  ],
  optimize: ['lto'],
  qa: ['bug', 'bug-implicit-func', 'canary'],
  reproducible: ['fixdebugpath', 'fixfilepath', 'timeless'],
  sanitize: ['address', 'leak', 'thread', 'undefined'],
} as const;

export type Area = keyof typeof FEATURE_AREAS;
export type Feature<A extends Area> = (typeof FEATURE_AREAS)[A][number];

export const AREAS: readonly Area[] = Object.keys(FEATURE_AREAS).sort() as Area[];

/** Features that a compiler can provide by itself; their state is printed as "Builtin". */
export const BUILTIN_FEATURES: { readonly [A in Area]: readonly Feature<A>[] } = {
  abi: ['lfs', 'time64'],
  future: [],
  hardening: ['pie'],
  optimize: [],
  qa: [],
  reproducible: [],
  sanitize: [],
};

export function isArea(name: string): name is Area {
  return Object.prototype.hasOwnProperty.call(FEATURE_AREAS, name);
}

export function isFeature<A extends Area>(area: A, name: string): name is Feature<A> {
  return (FEATURE_AREAS[area] as readonly string[]).includes(name);
}

/** Explicit requests: area → feature → wanted. A feature absent from the map was not asked. */
export type FeatureRequests = { readonly [A in Area]: ReadonlyMap<Feature<A>, boolean> };

/** The resolved state: area → feature → enabled, and the builtin state of builtin features. */
export interface FeatureStatus {
  readonly enabled: { readonly [A in Area]: ReadonlyMap<Feature<A>, boolean> };
  readonly builtin: { readonly [A in Area]: ReadonlyMap<Feature<A>, boolean> };
}

export interface RequestedFeatures {
  readonly requests: FeatureRequests;
  /** `noopt` in DEB_BUILD_OPTIONS: build at -O0 and drop what needs optimisation. */
  readonly noopt: boolean;
  readonly warnings: readonly string[];
}

type MutableRequests = { [A in Area]: Map<Feature<A>, boolean> };

function emptyRequests(): MutableRequests {
  return {
    abi: new Map(),
    future: new Map(),
    hardening: new Map(),
    optimize: new Map(),
    qa: new Map(),
    reproducible: new Map(),
    sanitize: new Map(),
  };
}

function applySwitches<A extends Area>(
  requests: MutableRequests,
  area: A,
  value: string,
  source: string,
  warnings: string[],
): void {
  const target = requests[area] as Map<Feature<A>, boolean>;
  for (const { feature, enable } of parseFeatureSwitches(area, value, source, warnings)) {
    if (feature === 'all') {
      for (const f of FEATURE_AREAS[area] as readonly Feature<A>[]) target.set(f, enable);
    } else if (isFeature(area, feature)) {
      target.set(feature, enable);
    } else {
      warnings.push(`unknown ${area} feature in ${source} variable: ${feature}`);
    }
  }
}

/**
 * Reads the feature requests of DEB_BUILD_OPTIONS then DEB_BUILD_MAINT_OPTIONS (the
 * maintainer's settings override the user's, feature by feature).
 */
export function readFeatureRequests(env: Readonly<Record<string, string | undefined>>): RequestedFeatures {
  const requests = emptyRequests();
  const warnings: string[] = [];
  let noopt = false;
  for (const source of ['DEB_BUILD_OPTIONS', 'DEB_BUILD_MAINT_OPTIONS'] as const) {
    const value = env[source];
    if (value === undefined) continue;
    const parsed = parseBuildOptions(value, source);
    warnings.push(...parsed.warnings);
    // Only the user's variable carries build options such as noopt; the maintainer's carries
    // feature areas alone.
    if (source === 'DEB_BUILD_OPTIONS' && parsed.options.has('noopt')) noopt = true;
    for (const area of AREAS) {
      const spec = parsed.options.get(area);
      if (spec !== undefined) applySwitches(requests, area, spec, source, warnings);
    }
  }
  return { requests, noopt, warnings };
}
