/**
 * Reads a CMake build tree through the CMake File API: the newest reply index under
 * `.cmake/api/v1/reply`, its codemodel (v2), toolchains (v1) and cache (v2) objects, and one
 * JSON file per target. The reply exists as soon as cmake has configured and generated, so
 * a build can be audited before anything is compiled.
 *
 * When there is no reply, `writeFileApiQuery` creates the query that makes the next cmake run
 * write one.
 */
import { debianArchFromGnuTriplet, familyForCMakeId } from '../flags/index.js';
import type { BuildFiles } from './build-files.js';
import type { BuildConfiguration, BuildModel, BuildTarget, BuildToolchain, CompileUnit, Language, TargetType } from './build-model.js';
import { resolvePath } from './paths.js';
import { splitShellWords } from './shell-words.js';

export const QUERY_CLIENT = 'client-harden';

/** The query file this tool writes, relative to the build directory. */
export const QUERY_PATH = `.cmake/api/v1/query/${QUERY_CLIENT}/query.json`;

const QUERY = {
  requests: [
    { kind: 'codemodel', version: 2 },
    { kind: 'toolchains', version: 1 },
    { kind: 'cache', version: 2 },
  ],
};

export class FileApiError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'FileApiError';
  }
}

// The JSON shapes read, limited to the fields used. Everything is optional until checked.
interface ReplyObject {
  kind?: string;
  jsonFile?: string;
  version?: { major?: number };
}
interface ReplyIndex {
  cmake?: { generator?: { name?: string; multiConfig?: boolean } };
  objects?: ReplyObject[];
}
interface Codemodel {
  paths?: { source?: string; build?: string };
  configurations?: {
    name?: string;
    directories?: { build?: string }[];
    targets?: { id?: string; name?: string; jsonFile?: string; directoryIndex?: number }[];
  }[];
}
interface TargetJson {
  name?: string;
  id?: string;
  type?: string;
  artifacts?: { path?: string }[];
  sources?: { path?: string; compileGroupIndex?: number; isGenerated?: boolean }[];
  compileGroups?: {
    language?: string;
    compileCommandFragments?: { fragment?: string }[];
    defines?: { define?: string }[];
    includes?: { path?: string }[];
    sysroot?: { path?: string };
  }[];
  link?: { commandFragments?: { fragment?: string; role?: string }[] };
  dependencies?: { id?: string }[];
}
interface Toolchains {
  toolchains?: {
    language?: string;
    compiler?: { id?: string; version?: string; target?: string; implicit?: { linkDirectories?: string[] } };
  }[];
}

const TARGET_TYPES = new Set<TargetType>([
  'EXECUTABLE',
  'STATIC_LIBRARY',
  'SHARED_LIBRARY',
  'MODULE_LIBRARY',
  'OBJECT_LIBRARY',
  'INTERFACE_LIBRARY',
  'UTILITY',
]);

function parseJson<T>(files: BuildFiles, path: string): T {
  const text = files.readText(path);
  if (text === undefined) throw new FileApiError(path, 'cannot be read');
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new FileApiError(path, `is not valid JSON (${(e as Error).message})`);
  }
}

export type FileApiState =
  | { readonly state: 'reply'; readonly indexFile: string }
  /** A query is in place but cmake has not run since: re-run it. */
  | { readonly state: 'query-only' }
  | { readonly state: 'none' };

function replyDir(buildDir: string): string {
  return `${buildDir}/.cmake/api/v1/reply`;
}

/** Whether the build directory has a File API reply with a codemodel, a query, or neither. */
export function fileApiState(files: BuildFiles, buildDir: string): FileApiState {
  const names = files.list(replyDir(buildDir)) ?? [];
  // Index names carry a sortable timestamp: the last one is the newest.
  const index = names.filter((n) => /^index-.*\.json$/.test(n)).sort().pop();
  if (index !== undefined) {
    const parsed = parseJson<ReplyIndex>(files, `${replyDir(buildDir)}/${index}`);
    if ((parsed.objects ?? []).some((o) => o.kind === 'codemodel')) {
      return { state: 'reply', indexFile: `${replyDir(buildDir)}/${index}` };
    }
  }
  const queryDir = `${buildDir}/.cmake/api/v1/query`;
  const query = files.list(queryDir) ?? [];
  return query.length > 0 ? { state: 'query-only' } : { state: 'none' };
}

/** Creates this tool's File API query; cmake answers it on its next run. */
export function writeFileApiQuery(files: BuildFiles, buildDir: string): string {
  const path = `${buildDir}/${QUERY_PATH}`;
  files.writeText(path, JSON.stringify(QUERY, null, 2) + '\n');
  return path;
}

function language(name: string | undefined): Language {
  return name === 'C' ? 'C' : name === 'CXX' ? 'CXX' : 'OTHER';
}

function fragmentWords(fragments: readonly { fragment?: string }[] | undefined): string[] {
  return (fragments ?? []).flatMap((f) => splitShellWords(f.fragment ?? ''));
}

function readTarget(
  json: TargetJson,
  file: string,
  sourceDir: string,
  buildDir: string,
  targetBuildDir: string,
): BuildTarget {
  const type = (json.type ?? '') as TargetType;
  if (json.name === undefined || json.id === undefined || !TARGET_TYPES.has(type)) {
    throw new FileApiError(file, 'is not a target object (name, id or type missing)');
  }
  const groups = (json.compileGroups ?? []).map((g) => ({
    language: language(g.language),
    args: [
      ...fragmentWords(g.compileCommandFragments),
      ...(g.defines ?? []).map((d) => `-D${d.define ?? ''}`),
      ...(g.includes ?? []).map((i) => `-I${i.path ?? ''}`),
    ],
  }));
  const units: CompileUnit[] = [];
  const objectInputs: string[] = [];
  for (const s of json.sources ?? []) {
    if (s.path === undefined) continue;
    const path = resolvePath(sourceDir, s.path);
    const group = s.compileGroupIndex === undefined ? undefined : groups[s.compileGroupIndex];
    if (group !== undefined) units.push({ source: path, language: group.language, args: group.args });
    else if (s.isGenerated === true && /\.(o|obj)$/.test(path)) objectInputs.push(path);
  }
  const artifacts = (json.artifacts ?? []).flatMap((a) => (a.path === undefined ? [] : [resolvePath(buildDir, a.path)]));
  let link: BuildTarget['link'];
  if (json.link !== undefined) {
    const fragments = json.link.commandFragments ?? [];
    const args = fragments.filter((f) => f.role === 'flags').flatMap((f) => splitShellWords(f.fragment ?? ''));
    const inputs = fragments
      .filter((f) => f.role === 'libraries')
      .flatMap((f) => splitShellWords(f.fragment ?? ''))
      .filter((w) => !w.startsWith('-'))
      // Generators run the link in the top build directory (Ninja) or the target's (Makefiles).
      .flatMap((w) => [resolvePath(buildDir, w), resolvePath(targetBuildDir, w)]);
    link = { args, inputs };
  }
  return {
    id: json.id,
    name: json.name,
    type,
    artifacts,
    units,
    objectInputs,
    ...(link !== undefined ? { link } : {}),
    dependencies: (json.dependencies ?? []).flatMap((d) => (d.id === undefined ? [] : [d.id])),
  };
}

const TRIPLET_IN_PATH = /\/(?:lib|lib64)\/(?:gcc|gcc-cross)\/([a-z0-9_]+-[a-z0-9_-]+)\/\d/;

function readToolchain(tc: Toolchains | undefined): BuildToolchain {
  const entries = tc?.toolchains ?? [];
  const chosen = entries.find((t) => t.language === 'C') ?? entries.find((t) => t.language === 'CXX');
  const compiler = chosen?.compiler;
  if (compiler === undefined) return {};
  let arch: string | undefined;
  if (compiler.target !== undefined) arch = debianArchFromGnuTriplet(compiler.target);
  for (const dir of compiler.implicit?.linkDirectories ?? []) {
    if (arch !== undefined) break;
    const m = TRIPLET_IN_PATH.exec(dir) ?? /^\/usr\/lib\/([a-z0-9_]+-linux-[a-z0-9_]+)$/.exec(dir);
    if (m !== null) arch = debianArchFromGnuTriplet(m[1] as string);
  }
  const family = compiler.id === undefined ? undefined : familyForCMakeId(compiler.id);
  return {
    ...(compiler.id !== undefined ? { cmakeId: compiler.id } : {}),
    ...(family !== undefined ? { family } : {}),
    ...(compiler.version !== undefined ? { version: compiler.version } : {}),
    ...(arch !== undefined ? { arch } : {}),
  };
}

/** Reads the build model from the reply named by `indexFile`. Throws FileApiError. */
export function readFileApi(files: BuildFiles, buildDir: string, indexFile: string): BuildModel {
  const dir = replyDir(buildDir);
  const index = parseJson<ReplyIndex>(files, indexFile);
  const objectFile = (kind: string): string | undefined =>
    (index.objects ?? []).find((o) => o.kind === kind && o.jsonFile !== undefined)?.jsonFile;
  const codemodelFile = objectFile('codemodel');
  if (codemodelFile === undefined) throw new FileApiError(indexFile, 'lists no codemodel object');
  const codemodel = parseJson<Codemodel>(files, `${dir}/${codemodelFile}`);
  const sourceDir = codemodel.paths?.source;
  const topBuild = codemodel.paths?.build ?? buildDir;
  if (sourceDir === undefined) throw new FileApiError(codemodelFile, 'has no source path');
  const toolchainsFile = objectFile('toolchains');
  const toolchain = readToolchain(toolchainsFile === undefined ? undefined : parseJson<Toolchains>(files, `${dir}/${toolchainsFile}`));

  const configurations: BuildConfiguration[] = (codemodel.configurations ?? []).map((c) => {
    const directories = c.directories ?? [];
    const targets = (c.targets ?? []).map((t) => {
      if (t.jsonFile === undefined) throw new FileApiError(codemodelFile, `target ${t.name ?? '?'} has no jsonFile`);
      const file = `${dir}/${t.jsonFile}`;
      const dirBuild = directories[t.directoryIndex ?? 0]?.build ?? '.';
      return readTarget(parseJson<TargetJson>(files, file), file, sourceDir, topBuild, resolvePath(topBuild, dirBuild));
    });
    return { name: c.name ?? '', targets };
  });
  const generator = index.cmake?.generator?.name;
  return {
    reader: 'cmake-file-api',
    buildDir: topBuild,
    sourceDir,
    ...(generator !== undefined ? { generator } : {}),
    configurations,
    toolchain,
    linkKnown: true,
    notes: [],
  };
}
