// Talks to the Concertim dialect as Concertim's Rails client does: a fresh HS256 JWT {exp: now + 60} per call, JSON bodies.
import { request } from 'node:http';
import { SignJWT } from 'jose';
import type { Backend } from '../../support/backends.ts';
import { adminPassword, startServer, type Response, type TestServer } from '../../support/server.ts';

export const jwtSecret = 'concertim-shared-secret';

export const signJwt = (claims: Record<string, unknown> = { exp: Math.floor(Date.now() / 1000) + 60 }, secret = jwtSecret) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().sign(new TextEncoder().encode(secret));

/** The four keys the Rails jobs send; user_id is a cloudplane user id (or username). */
export const cloudEnv = (userId: string, password: string, projectId = 'concertim') => ({ auth_url: 'http://keystone.example:5000/v3', user_id: userId, password, project_id: projectId });
export const adminEnv = cloudEnv('admin', adminPassword);

/** node:http, because fetch refuses a body on GET, and Concertim sends one to GET /key_pairs. */
export function send(baseUrl: string, method: string, path: string, body: unknown, headers: Record<string, string>): Promise<Response> {
  const payload = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  const all: Record<string, string> = { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers, 'content-length': String(Buffer.byteLength(payload)) };
  return new Promise((resolve, reject) => {
    const outgoing = request(baseUrl + path, { method, headers: all }, (incoming) => {
      let text = '';
      incoming.setEncoding('utf8');
      incoming.on('data', (chunk) => (text += chunk));
      incoming.on('end', () => {
        const contentType = String(incoming.headers['content-type'] ?? '');
        const responseHeaders = new Headers(Object.entries(incoming.headers).map(([k, v]) => [k, String(v)]));
        resolve({ status: incoming.statusCode ?? 0, headers: responseHeaders, body: contentType.includes('json') && text !== '' ? JSON.parse(text) : text, text });
      });
    });
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
}

export interface ConcertimServer extends TestServer {
  concertim(method: string, path: string, body?: unknown, options?: { token?: string; headers?: Record<string, string> }): Promise<Response>;
}

export async function startConcertim(settings: Record<string, unknown> = {}, overrides: Record<string, Record<string, unknown>> = {}, backend: Backend = 'sqlite'): Promise<ConcertimServer> {
  const server = await startServer(backend, { ...overrides, dialects: { concertim: { jwtSecret, ...settings } } });
  return Object.assign(server, {
    async concertim(method: string, path: string, body?: unknown, options: { token?: string; headers?: Record<string, string> } = {}) {
      return send(server.url, method, path, body, { authorization: `Bearer ${options.token ?? (await signJwt())}`, ...options.headers });
    },
  });
}
