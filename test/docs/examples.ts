// What the tests of the README's and docs/'s examples share: the ```sh blocks of a Markdown file, bash to run
// them in a scratch copy of the clone's entry points, and a real server started as `npm start` starts it.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from '../support/eventually.ts';
import { runMain, type MainProcess } from '../support/main-process.ts';
import { killSupervisedProcesses } from '../support/processes.ts';
import { call } from '../support/server.ts';

export const root = new URL('../../', import.meta.url).pathname;

/** A block the tests cannot run says why, on the line before its fence. */
const skipMark = /^<!-- (?:readme|docs)-test: skip: (.+) -->$/;

export interface Block {
  /** Its section and file line, as a failure names it. */
  name: string;
  code: string;
  skip?: string;
}

/** The ```sh blocks of `file` (relative to the clone), from the heading `from` (if given) to the one starting `to`. */
export function shellBlocks(file: string, range: { from?: string; to?: string } = {}): Block[] {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const blocks: Block[] = [];
  let section = '';
  let inScope = range.from === undefined;
  for (let i = 0; i < lines.length; i++) {
    if (/^##+ /.test(lines[i])) section = lines[i].replace(/^#+ /, '');
    if (lines[i] === range.from) inScope = true;
    if (range.to !== undefined && lines[i].startsWith(range.to)) break;
    if (!lines[i].startsWith('```')) continue;
    const end = lines.indexOf('```', i + 1);
    if (inScope && lines[i] === '```sh')
      blocks.push({
        name: `"${section}", ${file} line ${i + 1}`,
        code: lines.slice(i + 1, end).join('\n'),
        skip: skipMark.exec(lines[i - 1] ?? '')?.[1],
      });
    i = end;
  }
  return blocks;
}

const shellQuote = (value: string) => `'${value.replaceAll("'", "'\\''")}'`;

/** The block with the test's values for the placeholders a reader fills in (`PASSWORD='<...>'`). */
export const withValues = (code: string, values: Record<string, string>) =>
  code.replace(/^([A-Za-z_][A-Za-z0-9_]*)=.*$/gm, (line, name: string) =>
    name in values ? `${name}=${shellQuote(values[name])}` : line,
  );

/** What every script starts with: stop at the first failure, and an HTTP error answer is a failure too. */
export const strictPrologue = ['set -eo pipefail', 'curl() { command curl --fail-with-body "$@"; }'];

export async function runBash(code: string, cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number) {
  const bash = spawn('bash', ['-c', code], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  bash.stdout.on('data', (chunk) => (output += chunk));
  bash.stderr.on('data', (chunk) => (output += chunk));
  // A block that hangs (a loop waiting for a state never reached) is a failure, not a stuck suite.
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    process.kill(-bash.pid!, 'SIGKILL');
  }, timeoutMs);
  const [status] = await once(bash, 'exit');
  clearTimeout(timer);
  return { status: status as number | null, output, timedOut };
}

/** npm runs the CLI from the clone's package.json; the examples' files land in a scratch directory instead. */
export function workspace(dir: string): string {
  const work = join(dir, 'work');
  mkdirSync(work);
  for (const entry of ['package.json', 'bin', 'node_modules']) symlinkSync(join(root, entry), join(work, entry));
  return work;
}

/** The environment of the examples' bash: the caller's, without its cloudplane settings, with a home of its own. */
export function exampleEnv(home: string, extra: Record<string, string>): NodeJS.ProcessEnv {
  mkdirSync(home, { recursive: true });
  const inherited = Object.entries(process.env).filter(([name]) => !/^(CLOUDPLANE_|XDG_CONFIG_HOME$)/.test(name));
  return { ...Object.fromEntries(inherited), HOME: home, npm_config_update_notifier: 'false', ...extra };
}

export interface ExampleServer {
  url: string;
  /** The bootstrap admin's one-time password, as the first start prints it. */
  password: string;
  stop(): Promise<void>;
}

/** `npm start` in `cwd` with `env` (its data under cwd/data, as in a clone), ready once /readyz says so. */
export async function startExampleServer(
  cwd: string,
  port: number,
  env: Record<string, string>,
): Promise<ExampleServer> {
  const server: MainProcess = runMain(
    { CLOUDPLANE_SERVER_HOST: '127.0.0.1', PORT: String(port), CLOUDPLANE_LOG_LEVEL: 'warn', ...env },
    { cwd },
  );
  const stop = async () => {
    await server.stop();
    killSupervisedProcesses(env.CLOUDPLANE_ENGINE_STATE_DIR ?? join(cwd, 'data', 'state'));
  };
  try {
    const printed = await server.waitFor(/one-time password: \S+/, 'bootstrap');
    const url = `http://127.0.0.1:${port}`;
    await eventually(
      () =>
        call(url, 'GET', '/readyz').then(
          (r) => r.status,
          () => 0,
        ),
      (status) => status === 200,
      'server ready',
      60, // a loaded machine starts slowly
    );
    return { url, password: /one-time password: (\S+)/.exec(printed)![1], stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
