// The software of the php and mysql catalogue types, and talking to such services as their users do: HTTP GET,
// and SQL through the real `mariadb` client with the credentials file the service was given.
import { execFile } from 'node:child_process';
import { connect } from 'node:net';
import { promisify } from 'node:util';
import { findProgram } from '../../src/drivers/local/processes/find-program.ts';

const needed = ['php', 'mariadbd', 'mariadb-install-db', 'mariadb-admin', 'mariadb'];

/** Why the php and mysql tests cannot run here, or undefined; in CI a missing program is an error, never a skip. */
export function catalogueTestsSkipped(): string | undefined {
  const missing = needed.filter((program) => !findProgram(program));
  if (missing.length === 0) return undefined;
  if (process.env.CI)
    throw new Error(`CI must install ${missing.join(', ')}: catalogue tests may not be skipped there`);
  return `needs ${missing.join(', ')} (apt-get install php-cli mariadb-server mariadb-client; CI never skips this)`;
}

export async function httpGet(address: string, path: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`http://${address}${path}`);
  return { status: response.status, body: await response.text() };
}

/** Runs `query` with the mariadb client against host:port, logged in by the credentials file; its tab-separated rows. */
export async function sql(credentials: string, address: string, query: string): Promise<string> {
  const [host, port] = address.split(':');
  const { stdout } = await promisify(execFile)('mariadb', [
    `--defaults-extra-file=${credentials}`,
    '--protocol=tcp',
    `--host=${host}`,
    `--port=${port}`,
    '--batch',
    '--skip-column-names',
    '--execute',
    query,
  ]);
  return stdout;
}

/** Whether anything accepts connections at host:port. */
export const listening = (address: string): Promise<boolean> =>
  new Promise((resolve) => {
    const [host, port] = address.split(':');
    const socket = connect(Number(port), host);
    const done = (answered: boolean) => {
      socket.destroy();
      resolve(answered);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
