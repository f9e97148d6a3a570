/**
 * The result of scanning one file: the contract between the analysis (src/checks), the policy
 * (src/policy) and every output format (src/report). The JSON output is this, versioned
 * (docs/schema), so fields are only ever added.
 */
import { type CheckId, type Status } from '../checks/types.js';

/** What kind of file this is, as far as hardening goes. */
export type FileKind =
  /** ET_EXEC with an interpreter. */
  | 'executable'
  /** ET_DYN executable (PT_INTERP or DF_1_PIE). */
  | 'pie-executable'
  /** ET_EXEC without PT_INTERP / PT_DYNAMIC. */
  | 'static-executable'
  /** ET_DYN, DF_1_PIE, no PT_INTERP (glibc's -static-pie, ldconfig). */
  | 'static-pie'
  /** ET_DYN without PT_INTERP or DF_1_PIE. */
  | 'shared-library'
  /** ET_DYN with PT_INTERP and a SONAME (libc.so.6): a library that also runs. */
  | 'runnable-shared-library'
  /** ET_REL: a relocatable object (`.o`, archive member, kernel module). */
  | 'object'
  /** ET_CORE. */
  | 'core'
  /** Any other e_type. */
  | 'other-elf'
  /** A static archive: its members are reported as `ARCHIVE!MEMBER`. */
  | 'archive'
  /** A package (.deb/.rpm/tarball): its members are reported as `PKG!path`. */
  | 'package'
  /** Not an ELF file (only reported when named explicitly, or in a package). */
  | 'not-elf'
  /** A symbolic link that was not followed. */
  | 'symlink'
  /** A FIFO, socket or device: never opened. */
  | 'special'
  /** Could not be read (the `error` field says why). */
  | 'unreadable';

export interface CheckResult {
  readonly status: Status;
  readonly evidence: string;
  readonly remedy?: string;
  readonly value?: string;
  /** Set by the policy when a config waiver covers this check for this file. */
  readonly waiver?: string;
}

/** The container a package's member rows come from (JSON `package`). */
export type PackageFormat = 'deb' | 'rpm' | 'tar' | 'cpio' | 'compressed';

/**
 * The package a row belongs to: for reports that speak of packages (lintian's `PACKAGE: TAG
 * PATH`) and for readers who want the name and version without opening the file again.
 */
export interface PackageRef {
  /** The package as scanned: `path` of a member row is `${package.path}!MEMBER`. */
  readonly path: string;
  readonly format: PackageFormat;
  /** deb `Package`, rpm NAME; a tarball's file name without its suffixes. */
  readonly name: string;
  /** deb `Version` as written ([epoch:]upstream[-revision]); rpm [EPOCH:]VERSION-RELEASE. */
  readonly version?: string;
  /** deb `Architecture`, rpm ARCH. */
  readonly architecture?: string;
}

export interface FileResult {
  /** As given or walked; members of archives and packages are `OUTER!MEMBER`. */
  readonly path: string;
  readonly kind: FileKind;
  /** Architecture (`x86-64`, `aarch64`, `s390x`...), for ELF files. */
  readonly machine?: string;
  /** Why the file could not be analysed (fully or in part). */
  readonly error?: string;
  /** For a row without checks (link, special file, skipped member): what it is, in words. */
  readonly note?: string;
  /** For `symlink`: where the link points (resolved), or why that cannot be told. */
  readonly target?: string;
  /** For a member of a package or tarball (and the package's own row): which package. */
  readonly package?: PackageRef;
  readonly checks: Partial<Record<CheckId, CheckResult>>;
}
