// Splits a command line into words the way a POSIX shell does, quotes and backslashes included, with no
// expansion: a job's cmd and args then run as exactly the argv the user wrote, in images without a shell too.
import { PermanentDriverError } from '../../driver.ts';

/** Inside double quotes, a backslash escapes only these (as in sh); elsewhere it stays literal. */
const escapableInDoubleQuotes = new Set(['"', '\\', '$', '`', '\n']);

export const splitCommandLine = (line: string): string[] => {
  const words: string[] = [];
  let word: string | undefined;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i += 1) {
    const char = line[i];
    if (quote === "'") {
      if (char === "'") quote = undefined;
      else word += char;
    } else if (quote === '"') {
      if (char === '"') quote = undefined;
      else if (char === '\\' && escapableInDoubleQuotes.has(line[i + 1])) word += line[++i];
      else word += char;
    } else if (char === "'" || char === '"') {
      quote = char;
      word ??= '';
    } else if (char === '\\' && i + 1 < line.length) {
      word = (word ?? '') + line[++i];
    } else if (/\s/.test(char)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else {
      word = (word ?? '') + char;
    }
  }
  if (quote) throw new PermanentDriverError(`unterminated ${quote} quote in the command line: ${line}`);
  if (word !== undefined) words.push(word);
  return words;
};
