// The ports a configuration listens on, checked free before anything runs (no migration, no bootstrap),
// and a port that cannot be taken named by the key and variable that move it.
import { createServer } from 'node:net';
import { ConfigError } from './load.ts';
import type { Config } from './schema.ts';

export interface ConfiguredListener {
  name: string;
  host: string;
  port: number;
  portKey: string;
  hostKey: string;
  /** The environment variables that set the port. */
  portVariables: string;
}

/** Main, Concertim's own and HTTPS, as far as the configuration opens them. */
export function configuredListeners(config: Config): ConfiguredListener[] {
  const listeners: ConfiguredListener[] = [
    {
      name: 'the main listener',
      host: config.server.host,
      port: config.server.port,
      portKey: 'server.port',
      hostKey: 'server.host',
      portVariables: 'CLOUDPLANE_SERVER_PORT (or PORT)',
    },
  ];
  const concertim = config.dialects.concertim;
  if (concertim.enabled && concertim.port !== 0)
    listeners.push({
      name: "Concertim's listener",
      host: concertim.host,
      port: concertim.port,
      portKey: 'dialects.concertim.port',
      hostKey: 'dialects.concertim.host',
      portVariables: 'CLOUDPLANE_DIALECTS_CONCERTIM_PORT (0: only the main port)',
    });
  if (config.pki.https.enabled)
    listeners.push({
      name: 'the HTTPS listener',
      host: config.pki.https.host,
      port: config.pki.https.port,
      portKey: 'pki.https.port',
      hostKey: 'pki.https.host',
      portVariables: 'CLOUDPLANE_PKI_HTTPS_PORT',
    });
  return listeners;
}

/** What to tell an operator whose listener failed with this error code. */
export function listenProblem(listener: ConfiguredListener, code: string): string {
  const where = `${listener.name} cannot listen on ${listener.host}:${listener.port}`;
  const movePort = `set ${listener.portKey} in the config file, or ${listener.portVariables}, to a free port`;
  if (code === 'EADDRINUSE') return `${where}: the port is already in use; ${movePort}`;
  if (code === 'EACCES') return `${where}: this user may not open that port; ${movePort}`;
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
    return `${where}: the address is not one of this machine's; set ${listener.hostKey}`;
  return `${where} (${code}); check ${listener.hostKey} and ${listener.portKey}`;
}

const tryListen = (listener: ConfiguredListener) =>
  new Promise<string | undefined>((resolve) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    probe.listen({ host: listener.host, port: listener.port, exclusive: true }, () =>
      probe.close(() => resolve(undefined)),
    );
  });

/** Throws a ConfigError naming the key to change when a configured port is taken (0, a port the system picks, always is free). */
export async function checkPortsFree(config: Config): Promise<void> {
  const fixed = configuredListeners(config).filter((listener) => listener.port !== 0);
  for (const [index, listener] of fixed.entries()) {
    const twin = fixed.slice(index + 1).find((other) => other.port === listener.port);
    if (twin)
      throw new ConfigError(
        `${listener.portKey} and ${twin.portKey} are both ${listener.port}: give ${twin.name} another port`,
      );
  }
  for (const listener of fixed) {
    const code = await tryListen(listener);
    if (code) throw new ConfigError(listenProblem(listener, code));
  }
}

/** A listen error raised later (a port taken between the check and the listen), as the same message; undefined if it is no listen error. */
export function describeListenError(config: Config, error: unknown): string | undefined {
  const { code, port, syscall } = error as NodeJS.ErrnoException & { port?: number };
  if (syscall !== 'listen' || !code) return undefined;
  const listener = configuredListeners(config).find((candidate) => candidate.port === port);
  return listener ? listenProblem(listener, code) : undefined;
}
