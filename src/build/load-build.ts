/**
 * Finds how a build directory can be read: the CMake File API reply first (it knows targets,
 * link steps and dependencies), else a compilation database. In a CMake build directory with
 * no reply, it writes the File API query so that the next cmake run answers it.
 */
import type { BuildFiles } from './build-files.js';
import type { BuildModel } from './build-model.js';
import { fileApiState, FileApiError, readFileApi, writeFileApiQuery } from './cmake-file-api.js';
import { CompileCommandsError, readCompileCommands } from './compile-commands.js';

export type LoadOutcome =
  | { readonly kind: 'model'; readonly model: BuildModel; readonly notes: readonly string[] }
  | { readonly kind: 'unreadable'; readonly message: string; readonly notes: readonly string[] };

export interface LoadOptions {
  /** Write the File API query when a CMake build directory has none (default true). */
  readonly writeQuery?: boolean;
}

export function loadBuild(files: BuildFiles, buildDir: string, options: LoadOptions = {}): LoadOutcome {
  if (!files.isDirectory(buildDir)) return { kind: 'unreadable', message: `${buildDir} is not a directory`, notes: [] };
  const notes: string[] = [];
  try {
    const state = fileApiState(files, buildDir);
    if (state.state === 'reply') {
      return { kind: 'model', model: readFileApi(files, buildDir, state.indexFile), notes };
    }
    const isCMake = files.readText(`${buildDir}/CMakeCache.txt`) !== undefined;
    if (isCMake && state.state === 'none' && options.writeQuery !== false) {
      const query = writeFileApiQuery(files, buildDir);
      notes.push(`wrote the CMake File API query ${query}: re-run cmake in ${buildDir} so that it writes the reply the audit reads`);
    } else if (state.state === 'query-only') {
      notes.push(`the CMake File API query in ${buildDir} has no reply yet: re-run cmake in ${buildDir}`);
    }
    const compdb = `${buildDir}/compile_commands.json`;
    if (files.readText(compdb) !== undefined) {
      const model = readCompileCommands(files, compdb, buildDir);
      return { kind: 'model', model, notes: [...notes, ...model.notes] };
    }
    return {
      kind: 'unreadable',
      message: `${buildDir} has neither a CMake File API reply nor a compile_commands.json`,
      notes,
    };
  } catch (e) {
    if (e instanceof FileApiError || e instanceof CompileCommandsError) {
      return { kind: 'unreadable', message: e.message, notes };
    }
    throw e;
  }
}
