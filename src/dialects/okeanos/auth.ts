// `Authorization: Token <token>`: a native API token, else a token the identity service vouches for;
// either way the caller works in a personal team that owns their lambda instances and applications.
import type { FastifyRequest } from 'fastify';
import type { ServiceContext } from '../../domain/context.ts';
import { DomainError } from '../../domain/errors.ts';
import type { Caller } from '../../domain/caller.ts';
import { callerForExternalUser } from '../../identity/external-users.ts';
import { createTeam } from '../../identity/teams.ts';
import { getTeam } from '../../resources/containers.ts';
import { tokenPrefix } from '../../identity/token-secrets.ts';
import { authenticate } from '../../identity/tokens.ts';
import type { IdentityService } from './identity-service.ts';
import { messages, OkeanosError } from './errors.ts';

export interface OkeanosCaller {
  caller: Caller;
  /** The id of the caller's personal team. */
  team: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    okeanosCaller: OkeanosCaller | null;
  }
}

/** DRF's TokenAuthentication: another scheme counts as no credentials; a malformed Token header is refused. */
function tokenOf(request: FastifyRequest): string {
  const parts = (request.headers.authorization ?? '').split(/\s+/).filter((part) => part !== '');
  if (parts.length === 0 || parts[0].toLowerCase() !== 'token')
    throw new OkeanosError(401, messages.notAuthenticated, { drf: true });
  if (parts.length === 1) throw new OkeanosError(401, 'Invalid token header. No credentials provided.', { drf: true });
  if (parts.length > 2)
    throw new OkeanosError(401, 'Invalid token header. Token string should not contain spaces.', { drf: true });
  return parts[1];
}

const isUnauthorized = (error: unknown) => error instanceof DomainError && error.code === 'unauthorized';

async function callerOf(ctx: ServiceContext, identity: IdentityService, token: string): Promise<Caller> {
  try {
    return await authenticate(ctx, token);
  } catch (error) {
    if (!isUnauthorized(error)) throw error;
  }
  // A native token (revoked, expired) is never sent to the outside service.
  if (!identity.configured || token.startsWith(tokenPrefix)) throw new OkeanosError(401, messages.invalidToken);
  const userUuid = await identity.userOf(token);
  try {
    return await callerForExternalUser(ctx, `${userUuid}@okeanos`, `${userUuid}@okeanos.invalid`);
  } catch (error) {
    if (isUnauthorized(error)) throw new OkeanosError(401, messages.invalidToken);
    throw error;
  }
}

/** `okeanos-<user id>`, made on first use with the caller as its admin. */
async function personalTeam(ctx: ServiceContext, caller: Caller): Promise<string> {
  const name = `okeanos-${caller.userId}`;
  const existing = () => getTeam(ctx, caller, name);
  try {
    return (await existing()).id;
  } catch (error) {
    if (!(error instanceof DomainError && error.code === 'not-found')) throw error;
  }
  try {
    return (
      await createTeam(ctx, caller, {
        name,
        description: 'lambda instances and applications made through the ~okeanos API',
      })
    ).id;
  } catch (error) {
    // Made by a concurrent first request of the same user.
    if (error instanceof DomainError && error.code === 'conflict') return (await existing()).id;
    throw error;
  }
}

/** An onRequest hook: as in DRF, authentication comes before the body is parsed or checked. */
export const okeanosAuthentication =
  (ctx: ServiceContext, identity: IdentityService) => async (request: FastifyRequest) => {
    const caller = await callerOf(ctx, identity, tokenOf(request));
    request.okeanosCaller = { caller, team: await personalTeam(ctx, caller) };
  };

export function okeanosCallerOf(request: FastifyRequest): OkeanosCaller {
  if (!request.okeanosCaller) throw new OkeanosError(401, messages.notAuthenticated, { drf: true });
  return request.okeanosCaller;
}
