/**
 * One compiler-driver or archiver invocation, as a compilation database or a ninja link edge
 * writes it: what program runs, what it reads and writes, and its options.
 */

export interface DriverInvocation {
  readonly kind: 'compile' | 'link' | 'archive';
  readonly program: string;
  /** Every argument after the program name, in order. */
  readonly args: readonly string[];
  readonly output: string | undefined;
  /** Sources (compile), objects and libraries (link, archive), in order. */
  readonly inputs: readonly string[];
}

/** Options of gcc and clang whose value is the following word. */
const SEPARATE_VALUE = new Set([
  '-o', '-I', '-D', '-U', '-include', '-imacros', '-isystem', '-iquote', '-idirafter', '-isysroot', '-iprefix',
  '-iwithprefix', '-x', '-MF', '-MT', '-MQ', '-Xlinker', '-Xassembler', '-Xpreprocessor', '-L', '-T', '-u',
  '-z', '-arch', '-target', '--param', '--sysroot', '-Xclang', '-e', '--entry', '-aux-info', '-l',
]);

const ARCHIVERS = /(^|\/)(?:[\w.-]+-)?(ar|llvm-ar|gcc-ar)(-\d+(\.\d+)*)?$/;

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * Reads the words of one command. Returns undefined for programs that are neither a compiler
 * driver nor an archiver (cmake -E, ranlib, true, …).
 */
export function parseInvocation(words: readonly string[]): DriverInvocation | undefined {
  const program = words[0];
  if (program === undefined) return undefined;
  const args = words.slice(1);
  if (ARCHIVERS.test(program)) {
    // ar <operation letters> <archive> <members…>
    const [, archive, ...members] = args;
    return archive === undefined ? undefined : { kind: 'archive', program, args, output: archive, inputs: members };
  }
  const name = basename(program);
  if (!/(cc|c\+\+|gcc|g\+\+|clang|clang\+\+)(-\d+(\.\d+)*)?$/.test(name)) return undefined;
  let output: string | undefined;
  let compileOnly = false;
  const inputs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '-c' || a === '-S' || a === '-E') compileOnly = true;
    if (a === '-o') {
      output = args[i + 1];
      i++;
    } else if (a.startsWith('-o') && a.length > 2) {
      output = a.slice(2);
    } else if (a === '-l' || a.startsWith('-l')) {
      // A library name is an input of the link, in its place on the line.
      inputs.push(a === '-l' ? `-l${args[++i] ?? ''}` : a);
    } else if (SEPARATE_VALUE.has(a)) {
      i++;
    } else if (!a.startsWith('-') && a !== '') {
      inputs.push(a);
    }
  }
  return { kind: compileOnly ? 'compile' : 'link', program, args, output, inputs };
}
