// A cloudplane with workers and the HTTPS listener, and a ConPaaS client: form posts, multipart, client certificates.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { after, before, describe } from 'node:test';
import { strFromU8, unzipSync } from 'fflate';
import { backends, type Backend } from '../../support/backends.ts';
import { startServer, type TestServer } from '../../support/server.ts';

export interface ConpaasServer extends TestServer {
  httpsUrl: string;
  caPem: string;
}

export interface Credentials {
  key: string;
  cert: string;
}

export interface Answer {
  status: number;
  contentType: string;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON when the answer is JSON, else the text. */
  body: any;
  raw: Buffer;
}

export async function startConpaas(
  backend: Backend = 'sqlite',
  conpaas: Record<string, unknown> = {},
): Promise<ConpaasServer> {
  const server = await startServer(backend, {
    engine: { workers: 2 },
    pki: { https: { enabled: true, host: '127.0.0.1', port: 0 } },
    dialects: { conpaas },
  });
  return Object.assign(server, {
    httpsUrl: `https://127.0.0.1:${server.app.mtls!.port}`,
    caPem: server.app.pki.authority.certificatePem,
  });
}

/** One server per backend for a describe block. */
export function forEachConpaasBackend(title: string, suite: (server: () => ConpaasServer, backend: Backend) => void) {
  for (const backend of backends()) {
    describe(`${title} [${backend}]`, () => {
      let server: ConpaasServer;
      before(async () => {
        server = await startConpaas(backend);
      });
      after(async () => {
        await server?.close();
      });
      suite(() => server, backend);
    });
  }
}

export interface CallOptions {
  method?: string;
  /** Sent form-encoded. */
  form?: Record<string, string>;
  /** Sent as multipart/form-data files. */
  files?: Record<string, string>;
  json?: unknown;
  /** Sent as it is, with this content type (or none): for bodies no real encoder makes. */
  raw?: { body: string | Buffer; type?: string };
  credentials?: Credentials;
  /** Over the HTTPS listener (always so when credentials are given). */
  https?: boolean;
}

function encodeMultipart(files: Record<string, string>): { body: Buffer; type: string } {
  const boundary = `----conpaas${randomBytes(8).toString('hex')}`;
  const parts = Object.entries(files).map(
    ([name, content]) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${name}.pem"\r\nContent-Type: application/octet-stream\r\n\r\n${content}\r\n`,
  );
  return {
    body: Buffer.from(`${parts.join('')}--${boundary}--\r\n`),
    type: `multipart/form-data; boundary=${boundary}`,
  };
}

function encodeBody(options: CallOptions): { body?: Buffer; type?: string } {
  if (options.raw) return { body: Buffer.from(options.raw.body), type: options.raw.type };
  if (options.form)
    return {
      body: Buffer.from(new URLSearchParams(options.form).toString()),
      type: 'application/x-www-form-urlencoded',
    };
  if (options.files) return encodeMultipart(options.files);
  if (options.json !== undefined) return { body: Buffer.from(JSON.stringify(options.json)), type: 'application/json' };
  return {};
}

/** A real HTTP or TLS request; over TLS it trusts only our CA and presents the given client certificate. */
export function conpaasCall(server: ConpaasServer, path: string, options: CallOptions = {}): Promise<Answer> {
  const { body, type } = encodeBody(options);
  const tls = options.https || options.credentials !== undefined;
  const url = new URL((tls ? server.httpsUrl : server.url) + path);
  const headers: Record<string, string | number> = body ? { 'content-length': body.length } : {};
  if (type) headers['content-type'] = type;
  const method = options.method ?? 'POST';
  return new Promise((resolve, reject) => {
    const onResponse = (incoming: import('node:http').IncomingMessage) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => {
        const raw = Buffer.concat(chunks);
        const contentType = String(incoming.headers['content-type'] ?? '');
        const text = raw.toString('utf8');
        resolve({
          status: incoming.statusCode ?? 0,
          contentType,
          headers: incoming.headers,
          body: contentType.includes('json') ? JSON.parse(text) : text,
          raw,
        });
      });
    };
    const outgoing = tls
      ? httpsRequest(
          url,
          {
            method,
            headers,
            ca: server.caPem,
            key: options.credentials?.key,
            cert: options.credentials?.cert,
            agent: false,
          },
          onResponse,
        )
      : httpRequest(url, { method, headers }, onResponse);
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

export function unzip(raw: Buffer): Record<string, string> {
  return Object.fromEntries(
    Object.entries(unzipSync(new Uint8Array(raw))).map(([name, data]) => [name, strFromU8(data)]),
  );
}

/** A new ConPaaS user through /new_user, with their certificates through /get_user_certs. */
export async function conpaasUser(
  server: ConpaasServer,
  credit = 20,
  prefix = 'cp',
): Promise<{ username: string; password: string; uid: number; credentials: Credentials }> {
  const username = `${prefix}-${randomBytes(4).toString('hex')}`;
  const password = `${username}-secret`;
  const created = await conpaasCall(server, '/new_user', {
    form: {
      username,
      fname: 'Ada',
      lname: 'Lovelace',
      email: `${username}@example.org`,
      affiliation: 'VU',
      password,
      credit: String(credit),
      uuid: '<none>',
    },
  });
  if (typeof created.body !== 'object' || created.body.error)
    throw new Error(`new_user: ${JSON.stringify(created.body)}`);
  const certs = await conpaasCall(server, '/get_user_certs', { form: { username, password } });
  const files = unzip(certs.raw);
  return { username, password, uid: created.body.uid, credentials: { key: files['key.pem'], cert: files['cert.pem'] } };
}

/** A native login token for a ConPaaS user (ConPaaS users are cloudplane users). */
export async function nativeToken(server: ConpaasServer, username: string, password: string): Promise<string> {
  const login = await server.call('POST', '/api/v1/auth/login', { body: { username, password } });
  if (login.status !== 200) throw new Error(`login: ${login.status} ${login.text}`);
  return login.body.token.token;
}

/** Where a started service's manager finds its certificate: `conpaas/` beside the service's working directory. */
export const managerCertificateDir = (server: ConpaasServer, vmid: string) =>
  path.resolve(server.app.ctx.config.engine.stateDir, 'local', 'service', vmid, 'conpaas');

/** The manager's key and certificate, read as the manager reads them: from the service's own files. */
export async function managerCredentials(server: ConpaasServer, started: { vmid: string }): Promise<Credentials> {
  const dir = managerCertificateDir(server, started.vmid);
  return {
    key: await readFile(path.join(dir, 'key.pem'), 'utf8'),
    cert: await readFile(path.join(dir, 'cert.pem'), 'utf8'),
  };
}
