// Bearer authentication and scope checks for the native API.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { forbidden, unauthorized } from '../domain/errors.ts';
import type { Caller } from '../identity/caller.ts';
import { authenticate } from '../identity/tokens.ts';
import type { ServiceContext } from '../domain/context.ts';

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller | null;
  }
  interface FastifyContextConfig {
    /** No authentication at all (login, stats). */
    public?: boolean;
  }
}

/** The authenticated caller; routes that are not public can rely on it being set. */
export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) throw unauthorized('authentication required');
  return request.caller;
}

export function bearerAuthentication(ctx: ServiceContext) {
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    if (request.routeOptions.config.public) return;
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) throw unauthorized('send Authorization: Bearer <token>');
    const caller = await authenticate(ctx, match[1]);
    const reading = request.method === 'GET' || request.method === 'HEAD';
    if (!caller.scopes.includes(reading ? 'read' : 'write')) throw forbidden(`this token lacks the ${reading ? 'read' : 'write'} scope`);
    request.caller = caller;
  };
}
