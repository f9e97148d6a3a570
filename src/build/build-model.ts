/**
 * A build as the audit sees it, whichever file it was read from: targets, the compile units
 * each one compiles (with their full option lists), what each one links, and which artifacts
 * of other targets go into it. Paths are absolute.
 */
import type { CompilerFamily } from '../flags/index.js';

/** CMake's target types; `UNKNOWN` when a compilation database does not say. */
export type TargetType =
  | 'EXECUTABLE'
  | 'STATIC_LIBRARY'
  | 'SHARED_LIBRARY'
  | 'MODULE_LIBRARY'
  | 'OBJECT_LIBRARY'
  | 'INTERFACE_LIBRARY'
  | 'UTILITY'
  | 'UNKNOWN';

export type Language = 'C' | 'CXX' | 'OTHER';

export interface CompileUnit {
  /** Absolute path of the source file. */
  readonly source: string;
  readonly language: Language;
  /** The compiler's options (without the program name), in order. */
  readonly args: readonly string[];
  /** Absolute path of the object file, when the reader knows it. */
  readonly object?: string;
}

export interface LinkStep {
  /** The link's options, in order (for CMake shared libraries, without the implicit -shared). */
  readonly args: readonly string[];
  /** Absolute paths of the object files and libraries the link reads. */
  readonly inputs: readonly string[];
}

export interface BuildTarget {
  readonly id: string;
  readonly name: string;
  readonly type: TargetType;
  /** Absolute paths of what the target produces (the library or executable, or objects). */
  readonly artifacts: readonly string[];
  readonly units: readonly CompileUnit[];
  /** Object files of other targets that this target takes in (object libraries). */
  readonly objectInputs: readonly string[];
  readonly link?: LinkStep;
  /** Ids of the targets this one depends on (transitively, for CMake). */
  readonly dependencies: readonly string[];
}

export interface BuildConfiguration {
  /** The build type (`Release`), or '' when none was chosen. */
  readonly name: string;
  readonly targets: readonly BuildTarget[];
}

export interface BuildToolchain {
  readonly cmakeId?: string;
  readonly family?: CompilerFamily;
  readonly version?: string;
  /** Debian architecture of the target, when the toolchain shows it. */
  readonly arch?: string;
}

export interface BuildModel {
  readonly reader: 'cmake-file-api' | 'compile-commands';
  readonly buildDir: string;
  readonly sourceDir?: string;
  readonly generator?: string;
  readonly configurations: readonly BuildConfiguration[];
  readonly toolchain: BuildToolchain;
  /** False when the reader saw compile steps only: the link checks cannot run. */
  readonly linkKnown: boolean;
  /** Things the user should know about how the build was read. */
  readonly notes: readonly string[];
}
