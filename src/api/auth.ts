// Bearer authentication and scope checks for the native API.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { forbidden, unauthorized } from '../domain/errors.ts';
import type { Caller, Scope } from '../domain/caller.ts';
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

/** The token secret of `Authorization: Bearer <token>`, if the request sent one. */
export const bearerSecret = (request: FastifyRequest): string | undefined =>
  /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];

export function bearerAuthentication(ctx: ServiceContext) {
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    if (request.routeOptions.config.public) return;
    const secret = bearerSecret(request);
    if (secret === undefined) throw unauthorized('send Authorization: Bearer <token>');
    const caller = await authenticate(ctx, secret);
    const needed = request.routeOptions.config.scopes ?? [
      request.method === 'GET' || request.method === 'HEAD' ? 'read' : 'write',
    ];
    if (!needed.some((scope) => caller.scopes.includes(scope)))
      throw forbidden(`this token lacks the ${needed.join(' or ')} scope`);
    request.caller = caller;
  };
}
