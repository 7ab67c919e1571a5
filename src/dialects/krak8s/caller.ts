// Who calls krak8s (which had no authentication): a native bearer token, HTTP Basic with a
// cloudplane user, or else the configured service user `dialects.krak8s.user`.
import type { FastifyRequest } from 'fastify';
import type { ServiceContext } from '../../domain/context.ts';
import { forbidden, unauthorized } from '../../domain/errors.ts';
import type { Caller } from '../../domain/caller.ts';
import { authenticateWithPassword } from '../../identity/password-callers.ts';
import { authenticate } from '../../identity/tokens.ts';
import { findUserByUsername } from '../../store/users.ts';

async function credentialsCaller(ctx: ServiceContext, header: string): Promise<Caller> {
  const [scheme, credentials] = header.trim().split(/\s+/, 2);
  if (/^bearer$/i.test(scheme) && credentials) return authenticate(ctx, credentials);
  if (/^basic$/i.test(scheme) && credentials) {
    const decoded = Buffer.from(credentials, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) return authenticateWithPassword(ctx, decoded.slice(0, colon), decoded.slice(colon + 1));
  }
  throw unauthorized('send Authorization: Bearer <token> or Basic credentials');
}

/** The service user acts as a plain member of its teams: never with platform-admin powers. */
async function serviceCaller(ctx: ServiceContext, username: string): Promise<Caller> {
  if (!username)
    throw unauthorized(
      'send Authorization: Bearer <token> (no dialects.krak8s.user is configured for anonymous krak8s clients)',
    );
  const user = await findUserByUsername(ctx.store.db, username);
  if (!user || user.disabled === 1)
    throw unauthorized(`the krak8s service user "${username}" does not exist or is disabled`);
  return { userId: user.id, username: user.username, isAdmin: false, scopes: ['read', 'write'], tokenId: '' };
}

export function krak8sAuthentication(ctx: ServiceContext) {
  return async (request: FastifyRequest) => {
    if (request.routeOptions.config.public) return;
    const header = request.headers.authorization;
    const caller = header
      ? await credentialsCaller(ctx, header)
      : await serviceCaller(ctx, ctx.config.dialects.krak8s.user);
    const needed = request.method === 'GET' || request.method === 'HEAD' ? 'read' : 'write';
    if (!caller.scopes.includes(needed)) throw forbidden(`this token lacks the ${needed} scope`);
    request.caller = caller;
  };
}
