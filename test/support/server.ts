// Starts a real cloudplane on a loopback port with a fresh database, and talks to it over HTTP.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.ts';
import type { Config } from '../../src/config/schema.ts';
import { buildApp, type BuildOptions, type CloudplaneApp } from '../../src/server.ts';
import { createPostgresDatabase, type Backend } from './backends.ts';
import { killSupervisedProcesses } from './processes.ts';

export const adminPassword = 'bootstrap-secret-123';

export interface Response<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

export interface TestServer {
  url: string;
  app: CloudplaneApp;
  adminToken: string;
  call<T = any>(method: string, path: string, options?: CallOptions): Promise<Response<T>>;
  /** Creates a user and returns a login token for them. */
  user(username: string): Promise<{ id: string; token: string }>;
  close(): Promise<void>;
}

export async function call(
  baseUrl: string,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(baseUrl + path, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  if ((response.headers.get('content-type') ?? '').includes('json') && text !== '') parsed = JSON.parse(text);
  return { status: response.status, headers: response.headers, body: parsed, text };
}

/** A second server on the database of `first`, as a second process sharing it would be. */
export const startServerSharing = (first: TestServer) =>
  startServer('sqlite', { database: { ...first.app.ctx.config.database } });

/** Where a test never reaches: pulls of images that name no registry fail here instead of going to Docker Hub. */
export const unreachableRegistry = '127.0.0.1:1';

/** The image cache goes in the test's dir, and pulls go to the test's registry or to none. */
const localDriverSettings = (dir: string, local: unknown) => {
  const given = (local ?? {}) as Record<string, unknown>;
  return {
    ...given,
    images: {
      cacheDir: join(dir, 'image-cache'),
      defaultRegistry: unreachableRegistry,
      ...(given.images as Record<string, unknown> | undefined),
    },
  };
};

export async function startServer(
  backend: Backend,
  overrides: Record<string, Record<string, unknown>> = {},
  build: Omit<BuildOptions, 'announce'> = {},
): Promise<TestServer> {
  const dir = await mkdtemp(join(tmpdir(), 'cloudplane-test-'));
  const postgres = backend === 'postgres' && !overrides.database ? await createPostgresDatabase() : undefined;
  // engine.drivers may name drivers only tests have (installScriptedDriver, or none at all), which the
  // configuration refuses: they are set once it is validated.
  const { drivers, ...engine } = overrides.engine ?? {};
  const config = loadConfig({
    env: {},
    overrides: {
      ...overrides,
      database: { url: postgres?.url ?? '', sqlitePath: join(dir, 'cloudplane.db'), ...overrides.database },
      bootstrap: { adminPassword, ...overrides.bootstrap },
      // API suites run an API-only process; engine suites ask for workers.
      engine: { workers: 0, stateDir: join(dir, 'state'), ...engine, local: localDriverSettings(dir, engine.local) },
      pki: { dir: join(dir, 'pki'), ...overrides.pki },
      server: { host: '127.0.0.1', port: 0, ...overrides.server },
      // Concertim's own listener would take its fixed port 42356 in every test server; a test asks for it.
      dialects: { ...overrides.dialects, concertim: { port: 0, ...(overrides.dialects?.concertim as object) } },
      log: { level: 'silent' },
    },
  });
  if (drivers !== undefined) config.engine.drivers = drivers as Config['engine']['drivers'];
  const app = await buildApp(config, { ...build, announce: () => {} });
  await app.http.listen({ host: '127.0.0.1', port: 0 });
  const address = app.http.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const login = await call(url, 'POST', '/api/v1/auth/login', { body: { username: 'admin', password: adminPassword } });
  const server: TestServer = {
    url,
    app,
    adminToken: login.body.token.token,
    call: (method, path, options) => call(url, method, path, options),
    async user(username) {
      const password = `${username}-password`;
      const created = await call(url, 'POST', '/api/v1/users', {
        token: server.adminToken,
        body: { username, email: `${username}@example.org`, password },
      });
      if (created.status !== 201) throw new Error(`creating ${username}: ${created.status} ${created.text}`);
      const session = await call(url, 'POST', '/api/v1/auth/login', { body: { username, password } });
      return { id: created.body.id, token: session.body.token.token };
    },
    async close() {
      await app.close();
      killSupervisedProcesses(app.ctx.config.engine.stateDir);
      await postgres?.drop();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return server;
}
