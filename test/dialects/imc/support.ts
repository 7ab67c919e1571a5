// An IMC client for the tests: a server with workers, the IMC team with its members, and Basic credentials.
import { copyFileSync, mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findProgram } from '../../../src/drivers/local/processes/find-program.ts';
import type { Backend } from '../../support/backends.ts';
import { eventually } from '../../support/eventually.ts';
import { startServer, type Response, type TestServer } from '../../support/server.ts';

export const basic = (username: string, password: string) => `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

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
  const imageRoot = mkdtempSync(path.join(tmpdir(), 'imc-images-'));
  const bin = path.join(imageRoot, 'tiny_1', 'bin');
  mkdirSync(bin, { recursive: true });
  copyFileSync(busybox, path.join(bin, 'busybox'));
  for (const tool of ['sh', 'echo', 'cat', 'true', 'false', 'sleep']) symlinkSync('busybox', path.join(bin, tool));
  return imageRoot;
}

export async function startImcServer(backend: Backend, imageRoot?: string): Promise<ImcServer> {
  const server = await startServer(backend, {
    engine: { workers: 2, backoffBaseMs: 50, backoffMaxMs: 200, maxAttempts: 2, ...(imageRoot ? { local: { imageRoot } } : {}) },
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
      if (role) await server.call('POST', '/api/v1/teams/imc/members', { token: server.adminToken, body: { user: username, role } });
      return { id, token, authorization: basic(username, `${username}-password`) };
    },
    until: (id, authorization, ...wanted) =>
      eventually(() => imc('GET', `/v1/infrastructures/${id}`, authorization), (r) => wanted.includes(r.body.status), `${id} ${wanted.join(' or ')}`, 60),
  };
}
