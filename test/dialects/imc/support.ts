// An IMC client for the tests: a server with workers, the IMC team with its members, and Basic credentials.
import { copyFileSync, mkdirSync, symlinkSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { findProgram } from '../../../src/drivers/local/processes/find-program.ts';
import type { Backend } from '../../support/backends.ts';
import { eventually } from '../../support/eventually.ts';
import { startServer, type Response, type TestServer } from '../../support/server.ts';
import { scratchDir } from '../../support/scratch.ts';

export const basic = (username: string, password: string) =>
  `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

export interface ImcUser {
  id: string;
  token: string;
  authorization: string;
}

export interface ImcServer {
  server: TestServer;
  /** Creates a user and adds them to the IMC team with `role` (none: not a member). */
  user(username: string, role?: 'viewer' | 'member' | 'admin'): Promise<ImcUser>;
  imc<T = any>(method: string, path: string, authorization: string | undefined, body?: unknown): Promise<Response<T>>;
  /** Polls a description until its status is one of `wanted`. */
  until(id: string, authorization: string, ...wanted: string[]): Promise<Response>;
}

export const runnableImage = 'tiny:1';

/** A rootfs for `tiny:1` holding busybox, when bwrap and busybox exist here; else undefined. */
export function tinyImageRoot(): string | undefined {
  const busybox = findProgram('busybox');
  if (!findProgram('bwrap') || !busybox) return undefined;
  const imageRoot = scratchDir('imc-images-');
  const bin = path.join(imageRoot, 'tiny_1', 'bin');
  mkdirSync(bin, { recursive: true });
  copyFileSync(busybox, path.join(bin, 'busybox'));
  for (const tool of ['sh', 'echo', 'cat', 'true', 'false', 'sleep']) symlinkSync('busybox', path.join(bin, tool));
  return imageRoot;
}

/** `settings`: what goes under dialects.imc (clouds, images) beside the defaults; `local`: under engine.local. */
export async function startImcServer(
  backend: Backend,
  imageRoot?: string,
  settings: Record<string, unknown> = {},
  local: Record<string, unknown> = {},
): Promise<ImcServer> {
  const server = await startServer(backend, {
    engine: {
      workers: 2,
      backoffBaseMs: 50,
      backoffMaxMs: 200,
      maxAttempts: 2,
      local: { ...(imageRoot ? { imageRoot } : {}), ...local },
    },
    dialects: { imc: settings },
  });
  const team = await server.call('POST', '/api/v1/teams', { token: server.adminToken, body: { name: 'imc' } });
  if (team.status !== 201) throw new Error(`creating team imc: ${team.text}`);
  const imc: ImcServer['imc'] = (method, path, authorization, body) =>
    server.call(method, path, { body, headers: authorization ? { authorization } : {} });
  return {
    server,
    imc,
    async user(username, role) {
      const { id, token } = await server.user(username);
      if (role)
        await server.call('POST', '/api/v1/teams/imc/members', {
          token: server.adminToken,
          body: { user: username, role },
        });
      return { id, token, authorization: basic(username, `${username}-password`) };
    },
    until: (id, authorization, ...wanted) =>
      eventually(
        () => imc('GET', `/v1/infrastructures/${id}`, authorization),
        (r) => wanted.includes(r.body.status),
        `${id} ${wanted.join(' or ')}`,
        60,
      ),
  };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  body: any;
}

/**
 * Sends exactly these bytes and headers (fetch refuses a GET with a body and adds headers of its own), as a
 * client written in another language does; the body is parsed when the answer says it is JSON.
 */
export function sendRaw(
  baseUrl: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string | Buffer,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const outgoing = request(new URL(path, baseUrl), { method, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const json = /json/.test(response.headers['content-type'] ?? '') && text !== '';
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          text,
          body: json ? JSON.parse(text) : text,
        });
      });
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}
