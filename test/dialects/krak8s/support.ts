// A cloudplane with workers and the krak8s service user, and raw HTTP for what fetch cannot send (a GET with a body).
import { request as httpRequest } from 'node:http';
import { after, before, describe } from 'node:test';
import { backends, type Backend } from '../../support/backends.ts';
import { eventually } from '../../support/eventually.ts';
import { startServer, type Response, type TestServer } from '../../support/server.ts';

export const serviceUser = 'krak8s';

export interface Krak8sServer extends TestServer {
  serviceUserToken: string;
}

export async function startKrak8s(
  backend: Backend,
  krak8s: Record<string, unknown> = { user: serviceUser },
): Promise<Krak8sServer> {
  const server = await startServer(backend, { engine: { workers: 2 }, dialects: { krak8s } });
  const { token } = await server.user(serviceUser);
  return Object.assign(server, { serviceUserToken: token });
}

/** Any method with any body and headers, exactly as given (curl -XGET -d ... does this). */
export function rawCall(
  server: TestServer,
  method: string,
  path: string,
  body?: string,
  headers: Record<string, string> = {},
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const url = new URL(server.url + path);
    const outgoing = httpRequest(
      {
        method,
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        headers: { ...headers, ...(body === undefined ? {} : { 'content-length': Buffer.byteLength(body) }) },
      },
      (incoming) => {
        let text = '';
        incoming.setEncoding('utf8');
        incoming.on('data', (chunk) => (text += chunk));
        incoming.on('end', () => {
          const responseHeaders = new Headers();
          for (const [key, value] of Object.entries(incoming.headers))
            if (typeof value === 'string') responseHeaders.set(key, value);
          const json = (incoming.headers['content-type'] ?? '').includes('json') && text !== '';
          resolve({
            status: incoming.statusCode ?? 0,
            headers: responseHeaders,
            body: json ? JSON.parse(text) : text,
            text,
          });
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** GET .../applications with its JSON body, as the seed document does. */
export const listApplications = (server: TestServer, pid: string, namespaceid: string) =>
  rawCall(server, 'GET', `/v1/projects/${pid}/applications`, JSON.stringify({ namespaceid }), {
    'content-type': 'application/json',
  });

export const rfc3339Nano = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/;
export const oidPattern = /^[0-9a-f]{8}$/;

/** goa's error media type (application/vnd.goa.error) does not say json: parse it here. */
export const goaError = (response: Response) => JSON.parse(response.text);

/** Deletes every project these callers see and waits until the core has removed them (and stopped their processes). */
export async function deleteAllProjects(server: Krak8sServer, tokens: (string | undefined)[] = [undefined]) {
  for (const token of tokens) {
    for (const project of (await server.call('GET', '/v1/projects', { token })).body)
      await server.call('DELETE', `/v1/projects/${project.id}`, { token });
    await eventually(
      () => server.call('GET', '/api/v1/teams', { token: token ?? server.serviceUserToken }),
      (r) => r.body.items.length === 0,
      'every team is removed',
    );
  }
}

/** A test file's tests, once on each database backend, with one server each, emptied and closed after them. */
export function onEachBackend(title: string, suite: (server: () => Krak8sServer, backend: Backend) => void) {
  for (const backend of backends()) {
    describe(`${title} [${backend}]`, () => {
      let server: Krak8sServer;
      before(async () => {
        server = await startKrak8s(backend);
      });
      after(async () => {
        await deleteAllProjects(server);
        await server.close();
      });
      suite(() => server, backend);
    });
  }
}
