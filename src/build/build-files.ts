/**
 * The file access the build readers need, behind an interface: the readers stay pure (a test
 * or a browser can hand them an in-memory tree) and the CLI passes the real file system.
 */
export interface BuildFiles {
  /** The text of a file, or undefined when it does not exist or cannot be read. */
  readText(path: string): string | undefined;
  /** The names in a directory, or undefined when it is not one. */
  list(dir: string): string[] | undefined;
  isDirectory(path: string): boolean;
  /** Writes a file, creating its directory. */
  writeText(path: string, text: string): void;
}
