// Users vouched for by an outside identity service (a dialect's own rules): created on first sight.
import type { ServiceContext } from '../domain/context.ts';
import { DomainError, unauthorized } from '../domain/errors.ts';
import { findUserByUsername } from '../store/users.ts';
import type { Caller } from '../domain/caller.ts';
import { createUser } from './users.ts';

/**
 * The caller for the user `username`, created (without a password, so only the outside service
 * can vouch for them) when first seen. A disabled user is refused like a bad token.
 */
export async function callerForExternalUser(ctx: ServiceContext, username: string, email: string): Promise<Caller> {
  let user = await findUserByUsername(ctx.store.db, username);
  if (!user) {
    try {
      await createUser(ctx, null, { username, email });
    } catch (error) {
      // Another request created them at the same moment.
      if (!(error instanceof DomainError && error.code === 'conflict')) throw error;
    }
    user = await findUserByUsername(ctx.store.db, username);
  }
  if (!user || user.disabled === 1) throw unauthorized(`user ${username} is disabled`);
  // A user with a password was made here, not by the outside service: never hand it over.
  if (user.password_hash !== null) throw unauthorized(`user ${username} is a local user`);
  return { userId: user.id, username: user.username, isAdmin: false, scopes: ['read', 'write'], tokenId: '' };
}
