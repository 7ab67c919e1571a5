// Runs `src/main.ts` as `npm start` does, keeping everything it prints, optionally on a terminal (script(1)).
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { once } from 'node:events';
import { eventually } from './eventually.ts';

const main = new URL('../../src/main.ts', import.meta.url).pathname;

export interface MainProcess {
  child: ChildProcess;
  /** stdout and stderr as printed so far. */
  output(): string;
  /** Resolves with the output once it matches (or throws with it, if the process ends first). */
  waitFor(pattern: RegExp, what: string): Promise<string>;
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** `terminal`: stdout is a pseudo-terminal, as when a person runs `npm start`; `cwd`: where it runs (./data goes there). */
export function runMain(env: Record<string, string>, options: { terminal?: boolean; cwd?: string } = {}): MainProcess {
  const settings: SpawnOptions = {
    env: { ...process.env, ...env },
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  };
  const command = options.terminal
    ? spawn('script', ['-qfec', `exec '${process.execPath}' '${main}'`, '/dev/null'], settings)
    : spawn(process.execPath, [main], settings);
  let output = '';
  command.stdout!.on('data', (chunk) => (output += chunk));
  command.stderr!.on('data', (chunk) => (output += chunk));
  const exited = once(command, 'exit').then(([code]) => code as number | null);
  let done = false;
  void exited.then(() => (done = true));
  return {
    child: command,
    output: () => output,
    async waitFor(pattern, what) {
      await eventually(
        async () => pattern.test(output) || done,
        (settled) => settled,
        what,
        60,
      );
      if (!pattern.test(output)) throw new Error(`${what}: the server exited first; it printed:\n${output}`);
      return output;
    },
    exited,
    async stop(signal = 'SIGTERM') {
      if (!done) command.kill(signal);
      return exited;
    },
  };
}
