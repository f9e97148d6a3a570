/**
 * What a gcc or clang command line means for hardening: each option that matters is put in a
 * "family" of options that override one another (the last one wins, as in the compiler
 * driver), with a value. `-fPIC` and `-fno-pie` are both in family `pic`; `-Wl,-z,relro` and
 * `-Wl,-z,norelro` in `z:relro`; `-D_FORTIFY_SOURCE=2` and `-U_FORTIFY_SOURCE` in
 * `macro:_FORTIFY_SOURCE`. A requirement is then "the last option of this family has a value
 * at least this strong", and a cancelled flag is an earlier good value followed by a bad one.
 */

export interface OptionFact {
  readonly family: string;
  readonly value: string;
  /** The option as written on the command line (`-Wl,-z,now` for each of its linker words). */
  readonly token: string;
  /** Position of the option among the arguments, for "later than" questions. */
  readonly index: number;
}

/** Values that switch a feature off, in any family. */
const OFF_VALUES = new Set(['off', 'none', '0', 'undef']);

/** Strength order of the stack protector options. */
const STACK_PROTECTOR_ORDER = ['none', 'explicit', 'basic', 'strong', 'all'];

/** Options whose argument is the next word (when not attached). */
const TAKES_ARGUMENT = new Set([
  '-o', '-I', '-D', '-U', '-include', '-imacros', '-isystem', '-iquote', '-idirafter', '-isysroot',
  '-iprefix', '-iwithprefix', '-x', '-MF', '-MT', '-MQ', '-Xlinker', '-Xassembler', '-Xpreprocessor',
  '-L', '-l', '-T', '-u', '-z', '-arch', '-target', '--target', '-aux-info', '--param', '--sysroot',
  '-Xclang', '-e', '--entry',
]);

function pic(token: string): string | undefined {
  switch (token) {
    case '-fpic':
      return 'pic';
    case '-fPIC':
      return 'PIC';
    case '-fpie':
      return 'pie';
    case '-fPIE':
      return 'PIE';
    case '-fno-pic':
    case '-fno-PIC':
    case '-fno-pie':
    case '-fno-PIE':
      return 'none';
    default:
      return undefined;
  }
}

const Z_PAIRS: Readonly<Record<string, string>> = {
  relro: 'relro',
  norelro: 'relro',
  now: 'now',
  lazy: 'now',
  execstack: 'execstack',
  noexecstack: 'execstack',
  text: 'text',
  notext: 'text',
  textoff: 'text',
};

/**
 * Reads linker words (from -Wl,…, -Xlinker and -z), which form one stream: `-Xlinker -z
 * -Xlinker now` is `-z now`. `pending` carries a `-z` whose keyword comes in the next word.
 */
interface LinkerStream {
  pendingZ: boolean;
}

function linkerFacts(words: readonly string[], token: string, index: number, out: OptionFact[], stream: LinkerStream): void {
  for (const w of words) {
    let keyword: string | undefined;
    if (stream.pendingZ) {
      stream.pendingZ = false;
      keyword = w;
    } else if (w === '-z') {
      stream.pendingZ = true;
      continue;
    } else if (w.startsWith('-z') && w.length > 2) {
      keyword = w.slice(2);
    }
    if (keyword !== undefined) {
      out.push({ family: `z:${Z_PAIRS[keyword] ?? keyword}`, value: keyword, token, index });
      continue;
    }
    if (w === '-pie' || w === '--pic-executable') out.push({ family: 'pie-link', value: 'pie', token, index });
    else if (w === '-no-pie' || w === '--no-pic-executable') out.push({ family: 'pie-link', value: 'no-pie', token, index });
    else if (w.startsWith('--no-')) out.push({ family: `ld:${w.slice(5)}`, value: 'off', token, index });
    else if (w.startsWith('--')) out.push({ family: `ld:${w.slice(2)}`, value: 'on', token, index });
    else if (w !== '') out.push({ family: `ld:${w}`, value: 'on', token, index });
  }
}

function macroFact(spec: string, define: boolean, token: string, index: number): OptionFact {
  const eq = spec.indexOf('=');
  const name = eq === -1 ? spec : spec.slice(0, eq);
  const value = define ? (eq === -1 ? '1' : spec.slice(eq + 1)) : 'undef';
  return { family: `macro:${name}`, value, token, index };
}

/** Facts of a single option word; `next` is the following word for two-word forms. */
function factsOf(token: string, next: string | undefined, index: number, out: OptionFact[], stream: LinkerStream): boolean {
  const p = pic(token);
  if (p !== undefined) {
    out.push({ family: 'pic', value: p, token, index });
    return false;
  }
  if (token === '-pie' || token === '-no-pie' || token === '-static-pie' || token === '-static') {
    out.push({ family: 'pie-link', value: token.slice(1), token, index });
    return false;
  }
  if (token === '-shared') {
    out.push({ family: 'shared', value: 'on', token, index });
    return false;
  }
  if (token.startsWith('-specs=') || token.startsWith('--specs=')) {
    // dpkg passes PIE through gcc specs files; their names say what they do.
    const file = token.slice(token.indexOf('=') + 1).split('/').pop() ?? '';
    if (file === 'pie-compile.specs') out.push({ family: 'pic', value: 'PIE', token, index });
    else if (file === 'no-pie-compile.specs') out.push({ family: 'pic', value: 'none', token, index });
    else if (file === 'pie-link.specs') out.push({ family: 'pie-link', value: 'pie', token, index });
    else if (file === 'no-pie-link.specs') out.push({ family: 'pie-link', value: 'no-pie', token, index });
    return false;
  }
  const ssp = /^-f(no-)?stack-protector(?:-(strong|all|explicit))?$/.exec(token);
  if (ssp !== null) {
    const value = ssp[1] !== undefined ? 'none' : ssp[2] === undefined ? 'basic' : (ssp[2] as string);
    out.push({ family: 'stack-protector', value, token, index });
    return false;
  }
  if (token === '-D' || token === '-U') {
    if (next !== undefined) out.push(macroFact(next, token === '-D', `${token} ${next}`, index));
    return true;
  }
  if (token.startsWith('-D') || token.startsWith('-U')) {
    out.push(macroFact(token.slice(2), token.startsWith('-D'), token, index));
    return false;
  }
  if (/^-O([0-3sgz]|fast)?$/.test(token)) {
    out.push({ family: 'optimize', value: token.length === 2 ? '1' : token.slice(2), token, index });
    return false;
  }
  if (token.startsWith('-Wl,')) {
    linkerFacts(token.slice(4).split(','), token, index, out, stream);
    return false;
  }
  if (token === '-Xlinker' || token === '-z') {
    if (next !== undefined) linkerFacts(token === '-z' ? ['-z', next] : [next], `${token} ${next}`, index, out, stream);
    return true;
  }
  if (token.startsWith('-Wp,')) {
    // Preprocessor options passed through: -Wp,-D_FORTIFY_SOURCE=2 defines the macro.
    for (const w of token.slice(4).split(',')) {
      if (w.startsWith('-D') || w.startsWith('-U')) out.push(macroFact(w.slice(2), w.startsWith('-D'), token, index));
    }
    return false;
  }
  if (token.startsWith('-Wa,')) return false;
  if (token === '--param') {
    if (next !== undefined) paramFact(next, `${token} ${next}`, index, out);
    return true;
  }
  if (token.startsWith('--param=')) {
    paramFact(token.slice(8), token, index, out);
    return false;
  }
  const werror = /^-W(no-)?error(?:=(.+))?$/.exec(token);
  if (werror !== null) {
    const family = werror[2] === undefined ? 'Werror' : `Werror:${werror[2]}`;
    out.push({ family, value: werror[1] === undefined ? 'on' : 'off', token, index });
    return false;
  }
  const wopt = /^-W(no-)?([^=]+)(?:=(.*))?$/.exec(token);
  if (wopt !== null) {
    const value = wopt[1] !== undefined ? 'off' : (wopt[3] ?? 'on');
    out.push({ family: `W:${wopt[2] as string}`, value, token, index });
    return false;
  }
  const fm = /^-([fm])(no-)?([^=]+)(?:=(.*))?$/.exec(token);
  if (fm !== null) {
    const name = fm[3] as string;
    let value = fm[2] !== undefined ? 'off' : (fm[4] ?? 'on');
    // -fcf-protection alone means "full".
    if (name === 'cf-protection' && value === 'on') value = 'full';
    out.push({ family: `${fm[1] as string}:${name}`, value, token, index });
    return false;
  }
  return TAKES_ARGUMENT.has(token);
}

function paramFact(spec: string, token: string, index: number, out: OptionFact[]): void {
  const eq = spec.indexOf('=');
  if (eq > 0) out.push({ family: `param:${spec.slice(0, eq)}`, value: spec.slice(eq + 1), token, index });
}

/** The hardening facts of a list of compiler-driver arguments, in command-line order. */
export function optionFacts(args: readonly string[]): OptionFact[] {
  const out: OptionFact[] = [];
  const stream: LinkerStream = { pendingZ: false };
  for (let i = 0; i < args.length; i++) {
    const consumed = factsOf(args[i] as string, args[i + 1], i, out, stream);
    if (consumed) i++;
  }
  return out;
}

/** One required option, reduced to its family and value. */
export interface RequiredOption {
  readonly flag: string;
  readonly family: string;
  readonly value: string;
}

/** The family and value a required flag stands for; undefined for flags we cannot judge. */
export function requiredOption(flag: string): RequiredOption | undefined {
  const facts = optionFacts(flag.split(/\s+/));
  // A multi-word flag ("-fstack-protector --param=ssp-buffer-size=4") is judged on its first fact.
  const first = facts[0];
  return first === undefined ? undefined : { flag, family: first.family, value: first.value };
}

function numeric(value: string): number | undefined {
  return /^\d+$/.test(value) ? Number(value) : undefined;
}

/** Whether an actual value meets a required one in the same family. */
export function satisfies(family: string, required: string, actual: string): boolean {
  if (family === 'stack-protector') {
    return STACK_PROTECTOR_ORDER.indexOf(actual) >= STACK_PROTECTOR_ORDER.indexOf(required);
  }
  if (family === 'pie-link') return required === 'pie' ? actual === 'pie' || actual === 'static-pie' : actual === required;
  if (family === 'macro:_FORTIFY_SOURCE') {
    const a = numeric(actual);
    const r = numeric(required);
    return a !== undefined && r !== undefined && a >= r;
  }
  if (required === 'on') return !OFF_VALUES.has(actual);
  const a = numeric(actual);
  const r = numeric(required);
  if (a !== undefined && r !== undefined) return a >= r;
  return actual === required;
}

/** Reads "is this value a switched-off one" for messages. */
export function isOffValue(value: string): boolean {
  return OFF_VALUES.has(value);
}

export type RequirementState =
  | { readonly state: 'ok'; readonly by: OptionFact }
  | { readonly state: 'missing' }
  /** A satisfying option was given, then overridden by a later one. */
  | { readonly state: 'cancelled'; readonly by: OptionFact; readonly earlier: OptionFact }
  /** Only weaker or different options of the family were given. */
  | { readonly state: 'weaker'; readonly by: OptionFact };

/** Evaluates one requirement against the facts of a command line. */
export function evaluate(required: RequiredOption, facts: readonly OptionFact[]): RequirementState {
  const family = facts.filter((f) => f.family === required.family);
  const last = family[family.length - 1];
  if (last === undefined) return { state: 'missing' };
  if (satisfies(required.family, required.value, last.value)) return { state: 'ok', by: last };
  const earlier = family.find((f) => satisfies(required.family, required.value, f.value));
  if (earlier !== undefined) return { state: 'cancelled', by: last, earlier };
  return { state: 'weaker', by: last };
}

/** The last fact of a family, if any. */
export function lastOf(facts: readonly OptionFact[], family: string): OptionFact | undefined {
  for (let i = facts.length - 1; i >= 0; i--) if ((facts[i] as OptionFact).family === family) return facts[i];
  return undefined;
}
