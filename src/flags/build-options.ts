/**
 * DEB_BUILD_OPTIONS and DEB_BUILD_MAINT_OPTIONS: whitespace-separated `name[=value]` tokens,
 * and the `area=+feature,-feature` values of the feature areas.
 *
 * The parsing follows what dpkg-buildflags is observed to do, quirks included, because a
 * drop-in must read the same variable the same way:
 * - tokens are split on runs of whitespace; a leading blank yields an empty (invalid) token and
 *   trailing blanks yield nothing;
 * - a name is lower case ASCII letters, digits, `_` and `-`, starting with a letter; anything
 *   else is warned about and ignored;
 * - when an area appears twice in one variable, only its last value counts; across the two
 *   variables the values compose (DEB_BUILD_OPTIONS first, then the maintainer's).
 */

/** Split on runs of whitespace keeping a leading empty field and dropping trailing ones. */
export function splitFields(text: string, separator: RegExp): string[] {
  const fields = text.split(separator);
  while (fields.length > 0 && fields[fields.length - 1] === '') fields.pop();
  return fields;
}

export interface ParsedBuildOptions {
  /** Option name → value (undefined for a bare `name`); a repeated name keeps its last value. */
  readonly options: ReadonlyMap<string, string | undefined>;
  readonly warnings: readonly string[];
}

const TOKEN = /^([a-z][a-z0-9_-]*)(?:=(\S*))?$/;

/** Parses one DEB_BUILD_OPTIONS-like variable; `source` names it in warnings. */
export function parseBuildOptions(value: string, source: string): ParsedBuildOptions {
  const options = new Map<string, string | undefined>();
  const warnings: string[] = [];
  for (const token of splitFields(value, /\s+/)) {
    const m = TOKEN.exec(token);
    if (m === null) {
      warnings.push(`invalid flag in ${source}: ${token}`);
      continue;
    }
    options.set(m[1] as string, m[2]);
  }
  return { options, warnings };
}

/** One `+feature` or `-feature` item of an area value. */
export interface FeatureSwitch {
  readonly feature: string;
  readonly enable: boolean;
}

/**
 * Parses an area value (`+all,-pie`) into switches, left to right. Items without a sign are
 * warned about; trailing empty items are ignored, inner ones are not.
 */
export function parseFeatureSwitches(
  area: string,
  value: string,
  source: string,
  warnings: string[],
): FeatureSwitch[] {
  const switches: FeatureSwitch[] = [];
  for (const item of splitFields(value, /,/)) {
    const m = /^([+-])(.*)$/s.exec(item);
    if (m === null) {
      warnings.push(`incorrect value in ${area} option of ${source} variable: ${item}`);
      continue;
    }
    switches.push({ feature: m[2] as string, enable: m[1] === '+' });
  }
  return switches;
}

/**
 * Adds `hardening=+all` to a DEB_BUILD_MAINT_OPTIONS value without losing what it already says:
 * a variable keeps only its last `hardening=` token, so `+all` goes in front of that token's
 * features (which still override it) rather than in a token of its own.
 */
export function withHardeningAll(maintOptions: string | undefined): string {
  const tokens = maintOptions === undefined ? [] : maintOptions.split(/\s+/).filter((t) => t !== '');
  for (let i = tokens.length - 1; i >= 0; i--) {
    const m = /^hardening=(.*)$/.exec(tokens[i] as string);
    if (m === null) continue;
    tokens[i] = m[1] === '' ? 'hardening=+all' : `hardening=+all,${m[1] as string}`;
    return tokens.join(' ');
  }
  return ['hardening=+all', ...tokens].join(' ');
}
