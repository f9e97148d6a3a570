/**
 * Splits a POSIX shell command line into words, as compile_commands.json's `command` strings
 * and ninja's link commands are written: blanks separate words, single quotes keep everything,
 * double quotes keep all but `\` escapes of `"`, `\`, `$` and `` ` ``, and a backslash outside
 * quotes escapes the next character. Operators (`&&`, `;`, `|`) come back as their own words
 * so that a caller can cut a `: && cc … && :` chain into commands.
 */

export function splitShellWords(command: string): string[] {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  let i = 0;
  const push = (): void => {
    if (inWord) words.push(current);
    current = '';
    inWord = false;
  };
  while (i < command.length) {
    const c = command[i] as string;
    if (c === ' ' || c === '\t' || c === '\n') {
      push();
      i++;
    } else if (c === "'") {
      const end = command.indexOf("'", i + 1);
      const stop = end === -1 ? command.length : end;
      current += command.slice(i + 1, stop);
      inWord = true;
      i = stop + 1;
    } else if (c === '"') {
      inWord = true;
      i++;
      while (i < command.length && command[i] !== '"') {
        const d = command[i] as string;
        const next = command[i + 1];
        if (d === '\\' && next !== undefined && '"\\$`'.includes(next)) {
          current += next;
          i += 2;
        } else {
          current += d;
          i++;
        }
      }
      i++;
    } else if (c === '\\') {
      const next = command[i + 1];
      if (next !== undefined && next !== '\n') current += next;
      inWord = true;
      i += 2;
    } else if (c === '&' && command[i + 1] === '&') {
      push();
      words.push('&&');
      i += 2;
    } else if (c === ';' || c === '|') {
      push();
      words.push(c);
      i++;
    } else {
      current += c;
      inWord = true;
      i++;
    }
  }
  push();
  return words;
}

/** Cuts a word list at `&&`, `;` and `|` into separate commands (empty ones dropped). */
export function splitCommands(words: readonly string[]): string[][] {
  const commands: string[][] = [[]];
  for (const w of words) {
    if (w === '&&' || w === ';' || w === '|') commands.push([]);
    else (commands[commands.length - 1] as string[]).push(w);
  }
  return commands.filter((c) => c.length > 0);
}
