// Whether a service really answers: an HTTP 200, a TCP connection, or a check command that exits 0.
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import type { CatalogueEntry } from './catalogue.ts';

export type ReadinessCheck = NonNullable<CatalogueEntry['ready']>;

/** One probe is given this long; a service slower than that to answer is not ready yet. */
const probeTimeoutMs = 5000;

const httpAnswer = async (port: number, path: string): Promise<string | undefined> => {
  try {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(probeTimeoutMs) });
    await response.body?.cancel();
    return response.status === 200 ? undefined : `GET ${path} answers HTTP ${response.status}`;
  } catch {
    return `nothing answers HTTP on 127.0.0.1:${port}`;
  }
};

const tcpAnswer = (port: number): Promise<string | undefined> =>
  new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1', timeout: probeTimeoutMs });
    const done = (why?: string) => {
      socket.destroy();
      resolve(why);
    };
    socket.once('connect', () => done());
    socket.once('error', () => done(`nothing accepts connections on 127.0.0.1:${port}`));
    socket.once('timeout', () => done(`127.0.0.1:${port} does not accept connections`));
  });

const commandAnswer = (argv: string[], cwd: string, env: Record<string, string>): Promise<string | undefined> =>
  new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), { cwd, env, stdio: 'ignore', timeout: probeTimeoutMs });
    child.once('error', (error) => resolve(`${argv[0]}: ${error.message}`));
    child.once('close', (code) => resolve(code === 0 ? undefined : `${argv[0]} exited with code ${code}`));
  });

/** Undefined when the service answers, else why not, in words for status.message. */
export function probe(
  check: ReadinessCheck,
  port: number,
  command: { cwd: string; env: Record<string, string> },
): Promise<string | undefined> {
  if ('http' in check) return httpAnswer(port, check.http);
  if ('tcp' in check) return tcpAnswer(port);
  return commandAnswer(check.command, command.cwd, command.env);
}
