// Reads secrets: all of stdin for --password-stdin, or a hidden prompt on a terminal.
import { createInterface } from 'node:readline/promises';
import { UsageError } from './errors.ts';

/** One trailing newline is dropped: `echo secret |` should not change the password. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

export async function promptLine(question: string): Promise<string> {
  const lines = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await lines.question(question)).trim();
  } finally {
    lines.close();
  }
}

/** Raw mode keeps the typed characters off the screen. */
export function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(question);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve) => {
    let value = '';
    const finish = () => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
    };
    const onData = (chunk: string) => {
      for (const character of chunk) {
        if (character === '\u0003') {
          finish();
          process.exit(130);
        } else if (character === '\r' || character === '\n' || character === '\u0004') {
          finish();
          return resolve(value);
        } else if (character === '\u007f' || character === '\b') {
          value = value.slice(0, -1);
        } else {
          value += character;
        }
      }
    };
    stdin.on('data', onData);
  });
}

export async function readPassword(fromStdin: boolean | undefined, question = 'Password: '): Promise<string> {
  const password = fromStdin ? await readStdin() : process.stdin.isTTY ? await promptHidden(question) : undefined;
  if (password === undefined)
    throw new UsageError('no password: pass --password-stdin, or run in a terminal to be prompted');
  if (password === '') throw new UsageError('the password is empty');
  return password;
}
