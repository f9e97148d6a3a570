/**
 * Command-line parsing with the semantics of Perl's Getopt::Long as Debian's hardening-check
 * configures it (`no_ignore_case`, `bundling`), so that every invocation a script makes of the
 * reference parses the same way here:
 *
 * - `--name` long options, unique prefixes accepted (`--verb` is `--verbose`); an ambiguous
 *   prefix is an error naming the candidates; an exact name always wins over prefixes; the
 *   single-letter aliases are names too (`--l` is `--lintian`).
 * - `-abc` bundles single-letter options; long names never follow a single dash.
 * - negatable options (`!`) also answer to `--noNAME` and `--no-NAME`, for every alias
 *   (`--no-c`, `--noverbose`);
 *   counting options (`+`) add one per occurrence.
 * - options and operands may be mixed (permute); `--` ends options; `-` alone is an operand.
 * - options take no values here: `--color=1` is an error.
 */

export interface OptionSpec {
  /** Key under which the result is stored. */
  readonly key: string;
  /** Long names (the first is the canonical one). */
  readonly long: readonly string[];
  /** Single-letter aliases. */
  readonly short: readonly string[];
  /** `flag`: set to 1; `count`: +1 each time; `negatable`: flag that also has --no forms. */
  readonly kind: 'flag' | 'count' | 'negatable';
}

export interface ParsedOptions {
  readonly values: ReadonlyMap<string, number>;
  readonly operands: readonly string[];
}

/** A usage error, with the message Getopt::Long would print before the usage text. */
export class GetoptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GetoptError';
  }
}

interface LongName {
  readonly name: string;
  readonly spec: OptionSpec;
  readonly negated: boolean;
}

function longNames(specs: readonly OptionSpec[]): LongName[] {
  const out: LongName[] = [];
  for (const spec of specs) {
    // Getopt::Long also accepts the single-letter aliases after `--`, and negates every alias.
    for (const name of [...spec.long, ...spec.short]) {
      out.push({ name, spec, negated: false });
      if (spec.kind === 'negatable') {
        out.push({ name: `no${name}`, spec, negated: true });
        out.push({ name: `no-${name}`, spec, negated: true });
      }
    }
  }
  return out;
}

/** Resolves a long option name: exact match first, then a unique prefix. */
function resolveLong(names: readonly LongName[], given: string): LongName {
  const exact = names.find((n) => n.name === given);
  if (exact !== undefined) return exact;
  const matches = names.filter((n) => n.name.startsWith(given));
  // Several spellings of the same option (e.g. --nocolor and --no-color for "--no-c") are
  // not an ambiguity when they all mean the same thing.
  const distinct = new Set(matches.map((m) => `${m.spec.key}/${m.negated}`));
  if (matches.length === 0) throw new GetoptError(`Unknown option: ${given}`);
  if (distinct.size > 1) {
    const list = [...new Set(matches.map((m) => m.name))].sort().join(', ');
    throw new GetoptError(`Option ${given} is ambiguous (${list})`);
  }
  const first = matches[0];
  if (first === undefined) throw new GetoptError(`Unknown option: ${given}`);
  return first;
}

function apply(values: Map<string, number>, spec: OptionSpec, negated: boolean): void {
  if (spec.kind === 'count') values.set(spec.key, (values.get(spec.key) ?? 0) + 1);
  else values.set(spec.key, negated ? 0 : 1);
}

/**
 * Parses `argv` against `specs`. Collects every error (as Getopt::Long warns for each bad
 * option and then fails) and throws one `GetoptError` whose message holds them all, one a line.
 */
export function getopt(argv: readonly string[], specs: readonly OptionSpec[]): ParsedOptions {
  const names = longNames(specs);
  const values = new Map<string, number>();
  const operands: string[] = [];
  const errors: string[] = [];
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      i++;
      break;
    }
    if (arg.startsWith('--')) {
      const body = arg.slice(2);
      const eq = body.indexOf('=');
      const name = eq >= 0 ? body.slice(0, eq) : body;
      try {
        const hit = resolveLong(names, name);
        if (eq >= 0) throw new GetoptError(`Option ${hit.name} does not take an argument`);
        apply(values, hit.spec, hit.negated);
      } catch (e) {
        errors.push((e as Error).message);
      }
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      for (const ch of arg.slice(1)) {
        const spec = specs.find((s) => s.short.includes(ch));
        if (spec === undefined) errors.push(`Unknown option: ${ch}`);
        else apply(values, spec, false);
      }
      continue;
    }
    operands.push(arg);
  }
  for (; i < argv.length; i++) operands.push(argv[i] ?? '');
  if (errors.length > 0) throw new GetoptError(errors.join('\n'));
  return { values, operands };
}
