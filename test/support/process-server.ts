// Runs `src/main.ts` as a real child process (as `npm start` does), for crash and multi-process tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { call, type CallOptions } from './server.ts';
import { eventually } from './eventually.ts';

const root = new URL('../../', import.meta.url).pathname;

// Ports below the kernel's ephemeral range (32768-60999 on Linux): an outgoing connection of another test
// process (to PostgreSQL, a registry, a server) can never be given one between our probe and the child's
// bind. Each port is handed out once per process; across processes a clash is a random draw in 12,000.
const lowestPort = 20_000;
const portCount = 12_000;
const handedOut = new Set<number>();

const canListen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const probe = createServer()
      .once('error', () => resolve(false))
      .listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });

export async function freePort(): Promise<number> {
  for (;;) {
    const port = lowestPort + Math.floor(Math.random() * portCount);
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    if (await canListen(port)) return port;
  }
}

export interface ChildServer {
  url: string;
  child: ChildProcess;
  call(method: string, path: string, options?: CallOptions): ReturnType<typeof call>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts a server (or, with `worker`, a worker-only process) and waits until it answers. */
export async function startChild(
  env: Record<string, string>,
  options: { worker?: boolean; preload?: string } = {},
): Promise<ChildServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startChildOnce(env, options);
    } catch (error) {
      // The port we drew was taken by another test process between our probe and the child's bind.
      const ourPortTaken = env.PORT === undefined && /server\.port/.test((error as Error).message);
      if (!ourPortTaken || attempt === 3) throw error;
    }
  }
}

async function startChildOnce(
  env: Record<string, string>,
  options: { worker?: boolean; preload?: string },
): Promise<ChildServer> {
  const port = await freePort();
  const preload = options.preload ? ['--import', options.preload] : [];
  const args = [...preload, ...(options.worker ? [`${root}bin/cloudplane.js`, 'worker'] : [`${root}src/main.ts`])];
  const child = spawn(process.execPath, args, {
    env: {
      ...process.env,
      CLOUDPLANE_LOG_LEVEL: 'warn',
      CLOUDPLANE_SERVER_HOST: '127.0.0.1',
      PORT: String(port),
      CLOUDPLANE_DIALECTS_CONCERTIM_PORT: '0',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  // Passed on as it comes; the last of it is kept to say why a start failed.
  let stderrTail = '';
  child.stderr.on('data', (chunk: Buffer) => {
    process.stderr.write(chunk);
    stderrTail = (stderrTail + chunk.toString()).slice(-2000);
  });
  const url = `http://127.0.0.1:${port}`;
  const exited = once(child, 'exit');
  if (!options.worker) {
    await eventually(
      () =>
        call(url, 'GET', '/readyz').then(
          (r) => r.status,
          () => (child.exitCode === null ? 0 : -1),
        ),
      (status) => status === 200 || status === -1,
      'server up',
    );
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${stderrTail.trim()}`);
  }
  return {
    url,
    child,
    call: (method, path, callOptions) => call(url, method, path, callOptions),
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
