/**
 * Reads a compilation database (compile_commands.json). CMake's lists compile steps only;
 * `ninja -t compdb` also lists the archive and link edges, whose commands tell which objects
 * go into which library or executable. Targets are recognised by CMake's object paths
 * (`CMakeFiles/<target>.dir/…`), else by the artifact a link produces.
 */
import type { BuildFiles } from './build-files.js';
import type { BuildModel, BuildTarget, CompileUnit, Language, TargetType } from './build-model.js';
import { parseInvocation, type DriverInvocation } from './invocation.js';
import { baseName, resolvePath } from './paths.js';
import { splitCommands, splitShellWords } from './shell-words.js';

export class CompileCommandsError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'CompileCommandsError';
  }
}

interface Entry {
  directory?: unknown;
  file?: unknown;
  command?: unknown;
  arguments?: unknown;
  output?: unknown;
}

function languageOf(path: string): Language {
  if (/\.c$/.test(path)) return 'C';
  if (/\.(cc|cp|cpp|cxx|c\+\+|C|CPP|ii)$/.test(path)) return 'CXX';
  return 'OTHER';
}

/** The CMake target an object or link input belongs to, from its `CMakeFiles/<t>.dir/` path. */
function cmakeTargetOf(path: string): string | undefined {
  return /(?:^|\/)CMakeFiles\/([^/]+)\.dir\//.exec(path)?.[1];
}

interface Step {
  readonly directory: string;
  readonly invocation: DriverInvocation;
}

function steps(entries: readonly Entry[], file: string): Step[] {
  const out: Step[] = [];
  entries.forEach((e, i) => {
    if (typeof e.directory !== 'string') throw new CompileCommandsError(file, `entry ${i} has no directory`);
    let words: string[];
    if (Array.isArray(e.arguments) && e.arguments.every((a) => typeof a === 'string')) words = e.arguments as string[];
    else if (typeof e.command === 'string') words = splitShellWords(e.command);
    else throw new CompileCommandsError(file, `entry ${i} has neither arguments nor command`);
    for (const command of splitCommands(words)) {
      const invocation = parseInvocation(command);
      if (invocation !== undefined) out.push({ directory: e.directory, invocation });
    }
  });
  return out;
}

/**
 * The target a link belongs to: among the targets whose objects it reads, the one the artifact
 * is named after (`libSHARED.so` for SHARED), else the one with the most objects there (object
 * libraries bring objects of other targets), else the artifact's own name.
 */
function ownerOf(artifact: string, owners: readonly string[]): string {
  const file = baseName(artifact);
  const named = owners.find((t) => file === t || file === `lib${t}.a` || file === `lib${t}.so` || file.startsWith(`lib${t}.so.`));
  if (named !== undefined) return named;
  const counts = new Map<string, number>();
  for (const t of owners) counts.set(t, (counts.get(t) ?? 0) + 1);
  let best: string | undefined;
  for (const [t, n] of counts) if (best === undefined || n > (counts.get(best) ?? 0)) best = t;
  return best ?? file;
}

/** Reads `path` (a compile_commands.json) into a build model. Throws CompileCommandsError. */
export function readCompileCommands(files: BuildFiles, path: string, buildDir: string): BuildModel {
  const text = files.readText(path);
  if (text === undefined) throw new CompileCommandsError(path, 'cannot be read');
  let entries: unknown;
  try {
    entries = JSON.parse(text);
  } catch (e) {
    throw new CompileCommandsError(path, `is not valid JSON (${(e as Error).message})`);
  }
  if (!Array.isArray(entries)) throw new CompileCommandsError(path, 'is not a JSON array');
  const all = steps(entries as Entry[], path);

  // Compile steps, grouped by target.
  const byTarget = new Map<string, CompileUnit[]>();
  const targetOfObject = new Map<string, string>();
  for (const { directory, invocation } of all) {
    if (invocation.kind !== 'compile') continue;
    const source = invocation.inputs[0];
    if (source === undefined) continue;
    const object = invocation.output === undefined ? undefined : resolvePath(directory, invocation.output);
    const target = (object !== undefined ? cmakeTargetOf(object) : undefined) ?? '(no target)';
    const unit: CompileUnit = {
      source: resolvePath(directory, source),
      language: languageOf(source),
      args: invocation.args,
      ...(object !== undefined ? { object } : {}),
    };
    const list = byTarget.get(target) ?? [];
    list.push(unit);
    byTarget.set(target, list);
    if (object !== undefined) targetOfObject.set(object, target);
  }

  // Link and archive steps (ninja -t compdb lists them): they give types and contents.
  const linked = new Map<string, { type: TargetType; artifact: string; args: readonly string[]; inputs: string[] }>();
  for (const { directory, invocation } of all) {
    if (invocation.kind === 'compile' || invocation.output === undefined) continue;
    const artifact = resolvePath(directory, invocation.output);
    const inputs = invocation.inputs.filter((i) => !i.startsWith('-l')).map((i) => resolvePath(directory, i));
    const owners = inputs.map((i) => targetOfObject.get(i)).filter((t): t is string => t !== undefined);
    const type: TargetType =
      invocation.kind === 'archive' ? 'STATIC_LIBRARY' : invocation.args.includes('-shared') ? 'SHARED_LIBRARY' : 'EXECUTABLE';
    const name = ownerOf(artifact, owners);
    linked.set(name, { type, artifact, args: invocation.kind === 'archive' ? [] : invocation.args, inputs });
  }

  const names = new Set([...byTarget.keys(), ...linked.keys()]);
  const targets: BuildTarget[] = [...names].sort().map((name) => {
    const l = linked.get(name);
    const units = byTarget.get(name) ?? [];
    const own = new Set(units.flatMap((u) => (u.object !== undefined ? [u.object] : [])));
    return {
      id: name,
      name,
      type: l?.type ?? 'UNKNOWN',
      artifacts: l !== undefined ? [l.artifact] : [],
      units,
      // Objects of other targets linked directly (object libraries).
      objectInputs: l !== undefined ? l.inputs.filter((i) => /\.(o|obj)$/.test(i) && !own.has(i)) : [],
      ...(l !== undefined && l.type !== 'STATIC_LIBRARY' ? { link: { args: l.args, inputs: l.inputs } } : {}),
      dependencies: [],
    };
  });
  const linkKnown = linked.size > 0;
  return {
    reader: 'compile-commands',
    buildDir,
    configurations: [{ name: '', targets }],
    toolchain: {},
    linkKnown,
    notes: linkKnown
      ? []
      : [
          `${path} lists compile steps only: the link checks (-pie, RELRO, BIND_NOW) and the PIC rules need to know what links what; ` +
            'use the CMake File API (re-run cmake in this directory) or `ninja -t compdb > compile_commands.json`',
        ],
  };
}
