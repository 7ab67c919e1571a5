// Starts the servers under test as child processes, so the load generator never shares their event loop: cloudplane
// (every listener on a free port, its files in a temp dir, so it runs beside another cloudplane) and the bare peers.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir, tracked } from './cleanup.ts';

export interface ChildServer {
  url: string;
  /** The server's process, whose CPU time the bench reads (bench/cpu.ts). */
  pid: number;
  stop(): Promise<void>;
}

const mainScript = fileURLToPath(new URL('../src/main.ts', import.meta.url));

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

/** The parent's environment without cloudplane settings: a developer's shell must not reshape the server under test. */
function inheritedEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env))
    if (
      name.startsWith('CLOUDPLANE_') ? !name.startsWith('CLOUDPLANE_BENCH_') : ['PORT', 'DATABASE_URL'].includes(name)
    )
      delete env[name];
  return env;
}

/**
 * Starts `src/main.ts` with the given environment (the database: SQLite path or PostgreSQL URL; engine settings).
 * Every listener gets a free port or none, and every file it would keep under ./data goes to a temp dir unless
 * `extraEnv` says otherwise, so it never collides with a cloudplane already running here.
 */
export async function startCloudplane(extraEnv: Record<string, string>, adminPassword: string): Promise<ChildServer> {
  // A free port can be taken by someone else before the child listens on it: then it exits saying so, and we retry.
  for (let attempt = 1; ; attempt++) {
    try {
      return await launchCloudplane(extraEnv, adminPassword);
    } catch (error) {
      if (attempt === 3 || !/already in use/.test((error as Error).message)) throw error;
    }
  }
}

async function launchCloudplane(extraEnv: Record<string, string>, adminPassword: string): Promise<ChildServer> {
  const port = await freePort();
  const dir = await tempDir();
  const env = {
    ...inheritedEnv(),
    CLOUDPLANE_DATABASE_SQLITE_PATH: join(dir.path, 'cloudplane.db'),
    CLOUDPLANE_ENGINE_STATE_DIR: join(dir.path, 'state'),
    CLOUDPLANE_PKI_DIR: join(dir.path, 'pki'),
    CLOUDPLANE_PKI_HTTPS_PORT: String(await freePort()),
    ...extraEnv,
    CLOUDPLANE_BOOTSTRAP_ADMIN_PASSWORD: adminPassword,
    CLOUDPLANE_SERVER_PORT: String(port),
    CLOUDPLANE_SERVER_HOST: '127.0.0.1',
    // Concertim's own listener: 0 serves it on the main port only.
    CLOUDPLANE_DIALECTS_CONCERTIM_PORT: '0',
    CLOUDPLANE_LOG_LEVEL: 'warn',
  };
  const child = spawn(process.execPath, [...serverNodeArgs, mainScript], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = captureOutput(child);
  const stopChild = stopper(child);
  const server = tracked({
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    stop: () => stopChild().finally(() => dir.stop()),
  });
  try {
    await waitUntilReady(server.url, child, output);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

/**
 * Starts one of bench/peers/ with its settings (JSON, as its one argument); it listens on a port of its own
 * choosing and reports it over IPC.
 */
export async function startPeer(script: string, settings: unknown = {}): Promise<ChildServer> {
  const path = fileURLToPath(new URL(`./peers/${script}`, import.meta.url));
  const child = spawn(process.execPath, [path, JSON.stringify(settings)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const stop = stopper(child);
  const server = tracked({ url: '', pid: child.pid!, stop });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message: { port: number }) => resolve(message.port));
    child.once('exit', (code) => reject(new Error(`the peer ${script} exited with code ${code}`)));
  }).catch(async (error) => {
    await server.stop();
    throw error;
  });
  child.disconnect();
  return { ...server, url: `http://127.0.0.1:${port}` };
}
