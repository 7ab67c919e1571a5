// Shared by the okeanos tests: calls with `Authorization: Token`, record bodies, a fake Astakos.
import { createServer, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { startServer, type CallOptions, type TestServer } from '../../support/server.ts';
import type { Backend } from '../../support/backends.ts';

export const startOkeanos = (backend: Backend, okeanos: Record<string, unknown> = {}) =>
  startServer(backend, { engine: { workers: 1, drivers: {} }, dialects: { okeanos } });

/** A call as a service VM makes it: the token in `Authorization: Token <token>`. */
export const withToken =
  (server: TestServer, token: string | undefined) =>
  (method: string, path: string, options: CallOptions = {}) =>
    server.call(method, path, {
      ...options,
      headers: { ...(token === undefined ? {} : { authorization: `Token ${token}` }), ...options.headers },
    });

/** A native API token of a new user, for `Authorization: Token`. */
export async function nativeToken(server: TestServer, username: string): Promise<{ id: string; token: string }> {
  const user = await server.user(username);
  const created = await server.call('POST', '/api/v1/tokens', { token: user.token, body: { name: 'okeanos' } });
  return { id: user.id, token: created.body.token };
}

export const instanceBody = (overrides: Record<string, unknown> = {}) => ({
  uuid: randomUUID(),
  name: 'My first Lambda instance',
  instance_info: JSON.stringify({
    instance_name: 'lambda',
    master_name: 'master',
    project_name: 'lambda.grnet.gr',
    ip_allocation: 'master',
    slaves: 2,
    vcpus_master: 4,
    vcpus_slave: 2,
    ram_master: 4096,
    ram_slave: 2048,
    disk_master: 20,
    disk_slave: 20,
    network_request: 1,
  }),
  status: '20',
  failure_message: '',
  ...overrides,
});

export const applicationBody = (overrides: Record<string, unknown> = {}) => ({
  uuid: randomUUID(),
  name: 'wordcount.jar',
  description: 'Counts words from a Kafka topic',
  status: '0',
  failure_message: '',
  ...overrides,
});

export interface FakeAstakos {
  url: string;
  /** Token -> Astakos user uuid. */
  users: Map<string, string>;
  calls: { path: string; body: string; xAuthToken: string | undefined }[];
  close(): Promise<void>;
}

/** A real HTTP server answering `POST /identity/v2.0/tokens` as Astakos does. */
export async function startFakeAstakos(): Promise<FakeAstakos> {
  const users = new Map<string, string>();
  const calls: FakeAstakos['calls'] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      calls.push({ path: request.url ?? '', body, xAuthToken: request.headers['x-auth-token'] as string | undefined });
      const token = (JSON.parse(body || '{}') as { auth?: { token?: { id?: string } } }).auth?.token?.id ?? '';
      const user = users.get(token);
      if (request.method !== 'POST' || request.url !== '/identity/v2.0/tokens' || !user) {
        response
          .writeHead(401, { 'content-type': 'application/json' })
          .end(JSON.stringify({ unauthorized: { code: 401, message: 'Invalid token' } }));
        return;
      }
      const access = {
        token: { id: token, expires: '2030-01-01T00:00:00Z' },
        user: { id: user, name: 'Lambda User', roles: [] },
        serviceCatalog: [],
      };
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    users,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
