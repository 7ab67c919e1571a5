// Resolves the server url and token for a command and gives it a client and a printer.
import type { Command } from 'commander';
import { createClient, type Client } from './client.ts';
import { readConfig } from './config-file.ts';
import { formatJson } from './output.ts';

export const defaultUrl = 'http://127.0.0.1:8080';

interface GlobalOptions {
  url?: string;
  token?: string;
  json?: boolean;
}

export interface Session {
  api: Client;
  json: boolean;
  env: NodeJS.ProcessEnv;
  /** Prints the raw value with --json, otherwise the human form. */
  print(raw: unknown, human: () => string): void;
  /** A line for people only: --json output stays parseable. */
  say(line: string): void;
}

/** The saved token is only sent to the server that issued it, so --url elsewhere never leaks it. */
export function resolveTarget(
  options: GlobalOptions,
  env: NodeJS.ProcessEnv,
): { url: string; token: string | undefined } {
  const saved = readConfig(env);
  const url = (options.url ?? saved.url ?? env.CLOUDPLANE_URL ?? defaultUrl).replace(/\/+$/, '');
  const token =
    options.token ?? env.CLOUDPLANE_TOKEN ?? (saved.url?.replace(/\/+$/, '') === url ? saved.token : undefined);
  return { url, token };
}

export function sessionOf(command: Command, env: NodeJS.ProcessEnv = process.env): Session {
  const options = command.optsWithGlobals<GlobalOptions>();
  const { url, token } = resolveTarget(options, env);
  const json = options.json === true;
  return {
    api: createClient(url, token),
    json,
    env,
    print: (raw, human) => process.stdout.write(json ? formatJson(raw) : human()),
    say: (line) => {
      if (!json) process.stdout.write(`${line}\n`);
    },
  };
}

/** Commander hands an action its arguments, then the options, then the command itself. */
export function action<A extends unknown[]>(run: (session: Session, ...args: A) => Promise<void>) {
  return (...args: unknown[]) => run(sessionOf(args[args.length - 1] as Command), ...(args.slice(0, -1) as A));
}
