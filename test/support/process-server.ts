// Runs `src/main.ts` as a real child process (as `npm start` does), for crash and multi-process tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { call, type CallOptions } from './server.ts';
import { eventually } from './eventually.ts';

const root = new URL('../../', import.meta.url).pathname;

export const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

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
    stdio: ['ignore', 'ignore', 'inherit'],
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
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
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
