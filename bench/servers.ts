// Starts the servers under test as child processes, so the load generator never shares their event loop.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export interface ChildServer {
  url: string;
  stop(): Promise<void>;
}

const mainScript = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const baselineScript = fileURLToPath(new URL('./baseline-server.ts', import.meta.url));

/** Extra node flags for the cloudplane child, e.g. BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof". */
const serverNodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Keeps the last few KB of a child's output so a failed start can say why. */
function captureOutput(child: ChildProcess): () => string {
  let tail = '';
  const keep = (chunk: Buffer) => (tail = (tail + chunk.toString('utf8')).slice(-4000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => tail;
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      // SIGTERM lets cloudplane close its store (and write a --cpu-prof); SIGKILL if it hangs.
      const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        clearTimeout(force);
        resolve();
      });
      child.kill('SIGTERM');
    });
}

async function waitUntilReady(url: string, child: ChildProcess, output: () => string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`cloudplane exited with code ${child.exitCode} before it was ready:\n${output()}`);
    try {
      const response = await fetch(`${url}/readyz`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`cloudplane was not ready within ${timeoutMs} ms:\n${output()}`);
}

/** Starts `src/main.ts` with the given environment: the database (SQLite path or PostgreSQL URL), engine settings. */
export async function startCloudplane(extraEnv: Record<string, string>, adminPassword: string): Promise<ChildServer> {
  const port = await freePort();
  const env = {
    ...process.env,
    ...extraEnv,
    CLOUDPLANE_BOOTSTRAP_ADMIN_PASSWORD: adminPassword,
    PORT: String(port),
    CLOUDPLANE_SERVER_HOST: '127.0.0.1',
    CLOUDPLANE_LOG_LEVEL: 'warn',
  };
  const child = spawn(process.execPath, [...serverNodeArgs, mainScript], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = captureOutput(child);
  const server = { url: `http://127.0.0.1:${port}`, stop: stopper(child) };
  try {
    await waitUntilReady(server.url, child, output);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

/** Starts the bare node:http baseline; it reports its port over IPC. */
export async function startBaseline(): Promise<ChildServer> {
  const child = spawn(process.execPath, [baselineScript], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const stop = stopper(child);
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message: { port: number }) => resolve(message.port));
    child.once('exit', (code) => reject(new Error(`the baseline server exited with code ${code}`)));
  }).catch(async (error) => {
    await stop();
    throw error;
  });
  child.disconnect();
  return { url: `http://127.0.0.1:${port}`, stop };
}
