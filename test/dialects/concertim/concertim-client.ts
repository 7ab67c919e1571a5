// Talks to the Concertim dialect as Concertim's Rails client does (app/utility/http_requests/faraday/job_runner.rb):
// Faraday 2.9 on Net::HTTP, a fresh HS256 JWT per call, JSON bodies (also on GET and DELETE), JSON answers.
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { SignJWT } from 'jose';
import type { Backend } from '../../support/backends.ts';
import { adminPassword, startServer, type Response, type TestServer } from '../../support/server.ts';

export const jwtSecret = 'concertim-shared-secret';

/** JobRunner#auth_token: {"exp" => now + 60}, to which Warden::JWTAuth::TokenEncoder adds iat and jti. */
export const signJwt = (
  claims: Record<string, unknown> = { exp: Math.floor(Date.now() / 1000) + 60, jti: randomUUID() },
  secret = jwtSecret,
) => new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().sign(new TextEncoder().encode(secret));

/** The four keys the Rails jobs send; user_id is a cloudplane user id (or username). */
export const cloudEnv = (userId: string, password: string, projectId = 'concertim') => ({
  auth_url: 'http://keystone.example:5000/v3',
  user_id: userId,
  password,
  project_id: projectId,
});
export const adminEnv = cloudEnv('admin', adminPassword);

/** What Net::HTTP and Faraday put on every request: Faraday's User-Agent, Net::HTTP's Accept and Accept-Encoding. */
const faradayHeaders = {
  'user-agent': 'Faraday v2.9.0',
  accept: '*/*',
  'accept-encoding': 'gzip;q=1.0,deflate;q=0.6,identity;q=0.3',
};

/**
 * One request as Faraday sends it: `f.request :json` encodes a body and sets Content-Type only when there is one
 * (a string or Buffer body goes out as it is). node:http, because fetch refuses a body on GET, and Concertim sends one.
 */
export function send(
  baseUrl: string,
  method: string,
  path: string,
  body: unknown,
  headers: Record<string, string>,
): Promise<Response> {
  const payload =
    body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  const merged: Record<string, string> = {
    ...faradayHeaders,
    ...(payload === undefined
      ? {}
      : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) }),
    ...headers,
  };
  // A header given as '' is left out, so a test can send a body without a Content-Type.
  const all = Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== ''));
  return new Promise((resolve, reject) => {
    const outgoing = request(baseUrl + path, { method, headers: all }, (incoming) => {
      let text = '';
      incoming.setEncoding('utf8');
      incoming.on('data', (chunk) => (text += chunk));
      incoming.on('end', () => {
        // `f.response :json` parses a body whose media type (parameters aside) ends in json.
        const mediaType = String(incoming.headers['content-type'] ?? '')
          .split(';')[0]
          .trim();
        const responseHeaders = new Headers(Object.entries(incoming.headers).map(([k, v]) => [k, String(v)]));
        resolve({
          status: incoming.statusCode ?? 0,
          headers: responseHeaders,
          body: /\bjson$/.test(mediaType) && text !== '' ? JSON.parse(text) : text,
          text,
        });
      });
    });
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
}

export interface ConcertimServer extends TestServer {
  concertim(
    method: string,
    path: string,
    body?: unknown,
    options?: { token?: string; headers?: Record<string, string> },
  ): Promise<Response>;
}

export async function startConcertim(
  settings: Record<string, unknown> = {},
  overrides: Record<string, Record<string, unknown>> = {},
  backend: Backend = 'sqlite',
): Promise<ConcertimServer> {
  const server = await startServer(backend, { ...overrides, dialects: { concertim: { jwtSecret, ...settings } } });
  return Object.assign(server, {
    async concertim(
      method: string,
      path: string,
      body?: unknown,
      options: { token?: string; headers?: Record<string, string> } = {},
    ) {
      return send(server.url, method, path, body, {
        authorization: `Bearer ${options.token ?? (await signJwt())}`,
        ...options.headers,
      });
    },
  });
}
