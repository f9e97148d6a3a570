/**
 * The compile flags a file carries about itself, from:
 *  - DW_AT_producer of each compilation unit in .debug_info (gcc records the options with -g,
 *    because -grecord-gcc-switches is its default): per unit, so "3 of 40 units lack
 *    -fstack-protector-strong" can be said;
 *  - DW_AT_APPLE_flags (clang's -grecord-command-line on some targets);
 *  - `.GCC.command.line` (-frecord-gcc-switches): one string per option, merged and
 *    de-duplicated by the linker, so it says which options some unit used, not which unit.
 * `-D`, `-U`, `-I` and warning options are never recorded by gcc: _FORTIFY_SOURCE is not here.
 * Units produced by the assembler ("GNU AS 2.40") carry no options and are counted apart.
 */
import { type ElfFile, ET, type SectionHeader } from '../../elf/index.js';
import { lazySection, openSection, sectionContents, type SectionView } from '../../elf/compressed.js';
import { readUnitProducers } from '../../elf/dwarf.js';
import { sectionRelocator } from '../../elf/section-relocator.js';
import { decodeBytes } from '../../elf/strings.js';
import { errorMessage } from '../verdict.js';

export interface RecordedUnit {
  /** Where it came from. */
  readonly source: 'DW_AT_producer' | '.GCC.command.line';
  /** The producer string as recorded. */
  readonly producer: string | undefined;
  /** "GNU C17", "clang"... and the version, when the producer names them. */
  readonly compiler: string | undefined;
  readonly version: string | undefined;
  /** The options, in recorded order. */
  readonly options: readonly string[];
}

export interface RecordedFlags {
  /** Compiler units with their options (assembler units excluded). */
  readonly units: readonly RecordedUnit[];
  /** Units whose producer is an assembler: they have no compile options. */
  readonly assemblerUnits: number;
  /** Units with no DW_AT_producer at all (dwz partial units, some hand-written DWARF). */
  readonly anonymousUnits: number;
  /** The `.GCC.command.line` options, when present. */
  readonly commandLine: readonly string[] | undefined;
  /** Which sources were read, for evidence (".debug_info (zlib-compressed), .GCC.command.line"). */
  readonly sources: readonly string[];
  readonly errors: readonly string[];
  /** True when not every unit was read (cap, or a broken unit length). */
  readonly truncated: boolean;
}

export interface RecordedFlagsOptions {
  /** Most compilation units read. */
  readonly maxUnits: number;
  /** Largest (uncompressed) debug section inflated in memory. */
  readonly maxDebugBytes: number;
}

export const DEFAULT_RECORDED_FLAGS_OPTIONS: RecordedFlagsOptions = Object.freeze({ maxUnits: 100_000, maxDebugBytes: 256 * 1024 * 1024 });

export const NO_RECORDED_FLAGS: RecordedFlags = Object.freeze({
  units: [],
  assemblerUnits: 0,
  anonymousUnits: 0,
  commandLine: undefined,
  sources: [],
  errors: [],
  truncated: false,
});

function findDebug(elf: ElfFile, name: string): SectionHeader | undefined {
  return elf.section(`.debug_${name}`) ?? elf.section(`.zdebug_${name}`);
}

export function readRecordedFlags(elf: ElfFile, opts: RecordedFlagsOptions = DEFAULT_RECORDED_FLAGS_OPTIONS): RecordedFlags {
  const units: RecordedUnit[] = [];
  const errors: string[] = [];
  const sources: string[] = [];
  let assemblerUnits = 0;
  let anonymousUnits = 0;
  let truncated = false;

  const infoSec = findDebug(elf, 'info');
  const abbrevSec = findDebug(elf, 'abbrev');
  if (infoSec !== undefined && infoSec.size > 0) {
    try {
      if (abbrevSec === undefined) throw new Error(`${infoSec.name} without .debug_abbrev`);
      // The string sections are opened when a unit first refers to one: unit names (mostly in
      // .debug_line_str) are not looked up, and producers in .debug_str need only that one.
      const open = (s: SectionHeader | undefined): SectionView | undefined => (s === undefined ? undefined : lazySection(elf, s, opts.maxDebugBytes));
      const info = openSection(elf, infoSec, opts.maxDebugBytes);
      // In a relocatable object the string offsets are relocations (see sectionRelocator).
      const strOffsetsSec = findDebug(elf, 'str_offsets');
      const relocatable = elf.header.type === ET.REL;
      const scan = readUnitProducers(
        elf.decoder,
        {
          info,
          abbrev: openSection(elf, abbrevSec, opts.maxDebugBytes),
          str: open(findDebug(elf, 'str')),
          lineStr: open(findDebug(elf, 'line_str')),
          strOffsets: open(strOffsetsSec),
          infoRelocator: relocatable ? sectionRelocator(elf, infoSec) : undefined,
          strOffsetsRelocator: relocatable && strOffsetsSec !== undefined ? sectionRelocator(elf, strOffsetsSec) : undefined,
        },
        { maxUnits: opts.maxUnits, names: false },
      );
      sources.push(info.compression === 'none' ? info.name : `${info.name} (${info.compression === 'zdebug-zlib' ? 'zlib' : info.compression}-compressed)`);
      errors.push(...scan.errors.map((e) => `${info.name}: ${e}`));
      truncated = scan.truncated;
      // A program's units mostly share one producer string: each distinct one is parsed once,
      // and units with the same options share one (read-only) array, which lets the checks
      // evaluate each distinct option list once (see distinctOptionLists).
      const parsedBy = new Map<string, ReturnType<typeof parseProducer>>();
      for (const u of scan.units) {
        const producer = u.producer;
        if (producer === undefined) {
          anonymousUnits++;
          continue;
        }
        let parsed = parsedBy.get(producer);
        if (parsed === undefined) {
          parsed = parseProducer(producer);
          parsedBy.set(producer, parsed);
        }
        if (parsed.assembler) {
          assemblerUnits++;
          continue;
        }
        const options = u.flags === undefined ? parsed.options : [...parsed.options, ...splitOptions(u.flags)];
        units.push({ source: 'DW_AT_producer', producer, compiler: parsed.compiler, version: parsed.version, options });
      }
    } catch (e) {
      errors.push(`${infoSec.name}: ${errorMessage(e)}`);
    }
  }

  // gcc 12 writes one producer-like string per unit ("GNU C17 12.2.0 -O2 ..."), older gcc one
  // string per option; the linker merges identical strings, so lines are distinct command
  // lines rather than units. They count as units only when DWARF gave none.
  let commandLine: string[] | undefined;
  const cl = elf.section('.GCC.command.line');
  if (cl !== undefined) {
    try {
      const bytes = sectionContents(elf, cl, opts.maxDebugBytes);
      const dwarfUnits = units.length;
      commandLine = [];
      let start = 0;
      while (start < bytes.length) {
        let end = bytes.indexOf(0, start);
        if (end < 0) end = bytes.length;
        const s = decodeBytes(bytes, start, end).trim();
        start = end + 1;
        if (s === '') continue;
        if (s.startsWith('-')) {
          commandLine.push(s);
          continue;
        }
        const parsed = parseProducer(s);
        commandLine.push(...parsed.options);
        if (dwarfUnits === 0 && !parsed.assembler) {
          units.push({ source: '.GCC.command.line', producer: s, compiler: parsed.compiler, version: parsed.version, options: parsed.options });
        }
      }
      sources.push('.GCC.command.line');
    } catch (e) {
      errors.push(`.GCC.command.line: ${errorMessage(e)}`);
    }
  }
  return { units, assemblerUnits, anonymousUnits, commandLine, sources, errors, truncated };
}

/**
 * Splits a producer string into compiler, version and options. gcc writes
 * "GNU C17 12.2.0 -mtune=generic -O2 ..."; clang "Debian clang version 14.0.6" optionally
 * followed by the command line; the options start at the first word that begins with "-".
 */
export function parseProducer(producer: string): { compiler: string | undefined; version: string | undefined; options: string[]; assembler: boolean } {
  const words = producer.trim().split(/\s+/);
  const firstOption = words.findIndex((w) => w.startsWith('-'));
  const head = firstOption < 0 ? words : words.slice(0, firstOption);
  const options = firstOption < 0 ? [] : words.slice(firstOption);
  const versionAt = head.findIndex((w) => /^\d+(\.\d+)+/.test(w));
  const assembler = /^GNU AS\b|^AS\b|assembler/i.test(producer) && options.length === 0;
  let compiler: string | undefined;
  let version: string | undefined;
  if (versionAt >= 0) {
    version = head[versionAt];
    compiler = head.slice(0, versionAt).join(' ').replace(/ version$/, '') || undefined;
  } else {
    compiler = head.join(' ') || undefined;
  }
  return { compiler, version, options, assembler };
}

function splitOptions(s: string): string[] {
  return s.trim().split(/\s+/).filter((w) => w !== '');
}

// ---- questions checks ask of the recorded options ------------------------------------------

/** True when anything at all was recorded. */
export function hasRecordedOptions(r: RecordedFlags): boolean {
  return r.units.length > 0 || (r.commandLine !== undefined && r.commandLine.length > 0);
}

/**
 * For an option family (e.g. -fstack-protector*), the value in force in each unit: the last
 * matching option wins, as on a gcc command line. `pick` maps an option to its value, or
 * undefined when the option is not of the family. Units without any get `fallback`.
 */
export function familyValues(r: RecordedFlags, pick: (option: string) => string | undefined, fallback: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [options, n] of distinctOptionLists(r)) {
    let v = fallback;
    for (const o of options) {
      const x = pick(o);
      if (x !== undefined) v = x;
    }
    counts.set(v, (counts.get(v) ?? 0) + n);
  }
  return counts;
}

const distinctLists = new WeakMap<RecordedFlags, Map<readonly string[], number>>();

/**
 * The units' option lists, each distinct list (by identity: readRecordedFlags shares one array
 * among units with the same producer) with the number of units that have it, in first-seen
 * order. A library's debug file has thousands of units and a handful of distinct lists.
 */
export function distinctOptionLists(r: RecordedFlags): ReadonlyMap<readonly string[], number> {
  let lists = distinctLists.get(r);
  if (lists === undefined) {
    lists = new Map();
    for (const u of r.units) lists.set(u.options, (lists.get(u.options) ?? 0) + 1);
    distinctLists.set(r, lists);
  }
  return lists;
}

/** The family values named in `.GCC.command.line` (a set: no unit attribution, no order). */
export function commandLineValues(r: RecordedFlags, pick: (option: string) => string | undefined): Set<string> {
  const out = new Set<string>();
  for (const o of r.commandLine ?? []) {
    const x = pick(o);
    if (x !== undefined) out.add(x);
  }
  return out;
}

/** "12 units -fstack-protector-strong, 1 unit none" from a value → count map. */
export function describeCounts(counts: ReadonlyMap<string, number>, describe: (value: string) => string = (v) => v, noun: readonly [string, string] = ['unit', 'units']): string {
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([v, n]) => `${n} ${n === 1 ? noun[0] : noun[1]} ${describe(v)}`)
    .join(', ');
}

/**
 * "recorded flags: 12 units with X, 1 unit without" — or, when the units came from
 * `.GCC.command.line` (distinct command lines, not units), "recorded flags (.GCC.command.line):
 * 2 command lines with X".
 */
export function describeRecorded(r: RecordedFlags, counts: ReadonlyMap<string, number>, describe: (value: string) => string): string {
  const fromLines = r.units.length > 0 && r.units.every((u) => u.source === '.GCC.command.line');
  if (fromLines) return `recorded flags (.GCC.command.line): ${describeCounts(counts, describe, ['command line', 'command lines'])}`;
  return `recorded flags: ${describeCounts(counts, describe)}`;
}

// ---- option families ------------------------------------------------------------------------

/** -fstack-protector family → none | basic | strong | all | explicit. */
export function stackProtectorOption(o: string): string | undefined {
  switch (o) {
    case '-fno-stack-protector':
      return 'none';
    case '-fstack-protector':
      return 'basic';
    case '-fstack-protector-strong':
      return 'strong';
    case '-fstack-protector-all':
      return 'all';
    case '-fstack-protector-explicit':
      return 'explicit';
    default:
      return undefined;
  }
}

/** -fstack-clash-protection → on | off. */
export function stackClashOption(o: string): string | undefined {
  if (o === '-fstack-clash-protection') return 'on';
  if (o === '-fno-stack-clash-protection') return 'off';
  return undefined;
}

/** -fcf-protection[=full|branch|return|none|check] → the level (plain -fcf-protection is full). */
export function cfProtectionOption(o: string): string | undefined {
  if (o === '-fcf-protection') return 'full';
  if (o.startsWith('-fcf-protection=')) return o.slice('-fcf-protection='.length);
  if (o === '-fno-cf-protection') return 'none';
  return undefined;
}

/** -mbranch-protection=... (aarch64) → the value. */
export function branchProtectionOption(o: string): string | undefined {
  return o.startsWith('-mbranch-protection=') ? o.slice('-mbranch-protection='.length) : undefined;
}

/** -O family → 0, 1, 2, 3, s, z, g, fast ("-O" alone is 1). */
export function optimisationOption(o: string): string | undefined {
  if (!o.startsWith('-O')) return undefined;
  const v = o.slice(2);
  if (v === '') return '1';
  if (/^(\d+|s|z|g|fast)$/.test(v)) return v;
  return undefined;
}

/** -fsanitize=... → the sanitizer list. */
export function sanitizeOption(o: string): string | undefined {
  return o.startsWith('-fsanitize=') ? o.slice('-fsanitize='.length) : undefined;
}
