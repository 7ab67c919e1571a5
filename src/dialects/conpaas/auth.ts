// Who calls: a username and password (or the uuid) on the user routes, a client certificate from our CA on the others.
import type { FastifyRequest } from 'fastify';
import { identityFromRequest } from '../../api/mtls.ts';
import type { ServiceContext } from '../../domain/context.ts';
import { DomainError } from '../../domain/errors.ts';
import type { Caller } from '../../domain/caller.ts';
import { authenticateWithPassword } from '../../identity/password-callers.ts';
import { CertificateError } from '../../pki/identity.ts';
import type { CertificateIdentity } from '../../pki/models.ts';
import { findUserById, findUserByUsername, type UserRow } from '../../store/users.ts';
import { refused, unauthorizedText } from './errors.ts';
import { profileByUuid, profileOf, type ConpaasProfile } from './ids.ts';

export interface ConpaasCaller {
  caller: Caller;
  user: UserRow;
  profile: ConpaasProfile;
}

/** ConPaaS has no platform admins: everyone acts as a plain member of their own team. */
export const callerOf = (user: UserRow): Caller => ({
  userId: user.id,
  username: user.username,
  isAdmin: false,
  scopes: ['read', 'write'],
  tokenId: '',
});

async function known(ctx: ServiceContext, user: UserRow | undefined): Promise<ConpaasCaller> {
  if (!user || user.disabled === 1) throw refused();
  return { caller: callerOf(user), user, profile: await profileOf(ctx, user) };
}

async function byPassword(ctx: ServiceContext, username: string, password: string): Promise<UserRow | undefined> {
  try {
    await authenticateWithPassword(ctx, username, password);
  } catch (error) {
    if (error instanceof DomainError && error.code === 'unauthorized') return undefined;
    throw error;
  }
  return findUserByUsername(ctx.store.db, username);
}

/** The director's login_required: username and password, else the uuid (`<none>` is none); `false` when neither fits. */
export async function loginCaller(ctx: ServiceContext, values: Record<string, string>): Promise<ConpaasCaller> {
  const username = values.username ?? '';
  if (username.trim() !== '') {
    const user = await byPassword(ctx, username, values.password ?? '');
    if (user) return known(ctx, user);
  }
  const uuid = values.uuid === '<none>' ? '' : (values.uuid ?? '');
  if (ctx.config.dialects.conpaas.uuidLogin && uuid.trim() !== '') {
    const profile = await profileByUuid(ctx, uuid);
    if (profile) return known(ctx, await findUserById(ctx.store.db, profile.user_id));
  }
  throw refused();
}

/** No trusted certificate is no UID: the decorator's 401; a user that is gone is `false`, as an unknown UID was. */
function certificateIdentity(request: FastifyRequest): CertificateIdentity {
  const identity = identityFromRequest(request);
  if (!(identity instanceof CertificateError)) return identity;
  if (identity.reason === 'unknown-user') throw refused();
  const why =
    identity.reason === 'no-certificate' || identity.reason === 'unknown-ca'
      ? 'client certificate does NOT provide UID'
      : identity.message;
  throw unauthorizedText(`cert_required: ${why}`);
}

/** available_services, start, stop, rename, list: a user certificate (a manager's or agent's is refused). */
export async function certificateUser(ctx: ServiceContext, request: FastifyRequest): Promise<ConpaasCaller> {
  const identity = certificateIdentity(request);
  if (identity.kind !== 'user') throw refused();
  return known(ctx, await findUserById(ctx.store.db, identity.userId));
}

/** The callbacks: a manager certificate, whose service the caller checks is theirs. */
export async function certificateManager(
  ctx: ServiceContext,
  request: FastifyRequest,
): Promise<ConpaasCaller & { serviceId: string }> {
  const identity = certificateIdentity(request);
  // A user certificate's serviceLocator is 0, which is no service; an agent is not a manager.
  if (identity.kind !== 'service' || identity.role !== 'manager') throw refused();
  return { ...(await known(ctx, await findUserById(ctx.store.db, identity.userId))), serviceId: identity.serviceId };
}
