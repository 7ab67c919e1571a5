// Username and password on every request (HTTP Basic, as some dialects' clients send): the caller, with a cache so scrypt runs once per credential.
import { createHash } from 'node:crypto';
import type { ServiceContext } from '../domain/context.ts';
import { unauthorized } from '../domain/errors.ts';
import { findUserByUsername } from '../store/users.ts';
import type { Caller, Scope } from '../domain/caller.ts';
import { unknownUserHash, verifyPassword } from './passwords.ts';

/**
 * Kept in the access cache beside tokens (so a password change, a disabled user or a deleted one empties it);
 * the prefix keeps these keys apart from token hashes, which are bare hex.
 */
const cacheKey = (username: string, password: string) =>
  `password:${createHash('sha256').update(username).update('\0').update(password).digest('hex')}`;

/** The caller a correct username and password stand for, acting with every scope the user has (as a login does). */
export async function authenticateWithPassword(
  ctx: ServiceContext,
  username: string,
  password: string,
): Promise<Caller> {
  const key = cacheKey(username, password);
  const cached = ctx.access.token(key);
  if (cached) return cached.caller;
  const user = await findUserByUsername(ctx.store.db, username);
  const ok = await verifyPassword(password, user?.password_hash ?? (await unknownUserHash));
  if (!user || !user.password_hash || !ok || user.disabled === 1) throw unauthorized('invalid username or password');
  const isAdmin = user.is_admin === 1;
  const scopes: Scope[] = isAdmin ? ['read', 'write', 'agent', 'admin'] : ['read', 'write', 'agent'];
  const caller: Caller = { userId: user.id, username: user.username, isAdmin, scopes, tokenId: '' };
  ctx.access.rememberToken(key, { caller, expiresAt: null, lastUsedAt: Date.now() });
  return caller;
}
