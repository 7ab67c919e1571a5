// Who calls IMC: HTTP Basic with a cloudplane username and password (as IMC's clients send), or a native bearer token.
import type { FastifyRequest } from 'fastify';
import type { ServiceContext } from '../../domain/context.ts';
import { DomainError, forbidden, unauthorized } from '../../domain/errors.ts';
import { requireTeamRole } from '../../identity/access.ts';
import type { Caller } from '../../domain/caller.ts';
import { authenticateWithPassword } from '../../identity/password-callers.ts';
import { authenticate } from '../../identity/tokens.ts';

async function callerFrom(ctx: ServiceContext, header: string | undefined): Promise<Caller> {
  const [scheme, credentials] = (header ?? '').trim().split(/\s+/, 2);
  if (/^basic$/i.test(scheme) && credentials) {
    const decoded = Buffer.from(credentials, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) return authenticateWithPassword(ctx, decoded.slice(0, colon), decoded.slice(colon + 1));
  }
  if (/^bearer$/i.test(scheme) && credentials) return authenticate(ctx, credentials);
  throw unauthorized('send HTTP Basic credentials or a bearer token');
}

/**
 * IMC users are the members of the configured team: anyone else fails authentication, as a wrong password
 * does on the real server. A token needs the read scope to look and write to change.
 */
export function imcAuthentication(ctx: ServiceContext, team: string) {
  return async (request: FastifyRequest) => {
    const caller = await callerFrom(ctx, request.headers.authorization);
    const needed = request.method === 'GET' || request.method === 'HEAD' ? 'read' : 'write';
    if (!caller.scopes.includes(needed)) throw forbidden(`this token lacks the ${needed} scope`);
    try {
      await requireTeamRole(ctx, caller, team, 'viewer');
    } catch (error) {
      if (error instanceof DomainError && error.code === 'not-found')
        throw unauthorized(`not a member of team ${team}`);
      throw error;
    }
    request.caller = caller;
  };
}
