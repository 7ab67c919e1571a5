// Bearer authentication and scope checks for the native API.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { forbidden, unauthorized } from '../domain/errors.ts';
import type { Caller, Scope } from '../identity/caller.ts';
import { authenticate } from '../identity/tokens.ts';
import type { ServiceContext } from '../domain/context.ts';

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller | null;
  }
  interface FastifyContextConfig {
    /** No authentication at all (login, stats). */
    public?: boolean;
    /** Scopes that may call this route instead of the default (read for GET, write otherwise). */
    scopes?: Scope[];
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
    const needed = request.routeOptions.config.scopes ?? [request.method === 'GET' || request.method === 'HEAD' ? 'read' : 'write'];
    if (!needed.some((scope) => caller.scopes.includes(scope))) throw forbidden(`this token lacks the ${needed.join(' or ')} scope`);
    request.caller = caller;
  };
}
