// Users: creation, lookup, updates and removal, with the rules on who may do what.
import { commitChange, recordEvent } from '../domain/commit.ts';
import type { ServiceContext } from '../domain/context.ts';
import { conflict, forbidden, invalid, notFound } from '../domain/errors.ts';
import { isUniqueViolation } from '../store/errors.ts';
import { isUuid, newId, nowIso } from '../lib/ids.ts';
import type { Db } from '../store/db.ts';
import * as store from '../store/users.ts';
import { revokeTokensOfUser } from '../store/tokens.ts';
import { actsAsPlatformAdmin, type Caller } from '../domain/caller.ts';
import type { User } from './models.ts';
import { hashPassword, verifyPassword } from './passwords.ts';

export const toUser = (row: store.UserRow): User => ({
  id: row.id,
  username: row.username,
  email: row.email,
  admin: row.is_admin === 1,
  disabled: row.disabled === 1,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export interface NewUser {
  username: string;
  email: string;
  password?: string;
  admin?: boolean;
}

/** Creates a user; `actor` is null for the bootstrap admin and for users created by a dialect's own rules. */
export async function createUser(ctx: ServiceContext, actor: Caller | null, input: NewUser): Promise<User> {
  if (actor && !actsAsPlatformAdmin(actor)) throw forbidden('only platform admins create users');
  const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
  const at = nowIso();
  const row: store.UserRow = {
    id: newId(),
    username: input.username,
    email: input.email,
    password_hash: passwordHash,
    is_admin: input.admin ? 1 : 0,
    disabled: 0,
    created_at: at,
    updated_at: at,
  };
  try {
    await commitChange(ctx, async (db) => {
      await store.insertUser(db, row);
      await recordEvent(db, actor, {
        type: 'user.created',
        teamId: null,
        objectKind: 'user',
        objectId: row.id,
        data: { username: row.username },
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`username "${input.username}" is already taken`);
    throw error;
  }
  return toUser(row);
}

/** A username stands for its user's id wherever an id is asked for; an unknown one is left to be not found. */
export async function userIdOf(db: Db, ref: string): Promise<string> {
  if (isUuid(ref)) return ref;
  return (await store.findUserByUsername(db, ref))?.id ?? ref;
}

/** Users see themselves; platform admins see everyone; anyone else is told the user does not exist. */
async function visibleUser(ctx: ServiceContext, caller: Caller, id: string): Promise<store.UserRow> {
  const row =
    caller.userId === id || actsAsPlatformAdmin(caller) ? await store.findUserById(ctx.store.db, id) : undefined;
  if (!row) throw notFound('user', id);
  return row;
}

export const getUser = async (ctx: ServiceContext, caller: Caller, ref: string) =>
  toUser(await visibleUser(ctx, caller, await userIdOf(ctx.store.db, ref)));

export async function listUsers(ctx: ServiceContext, caller: Caller, after: string | undefined, limit: number) {
  if (!actsAsPlatformAdmin(caller)) throw forbidden('only platform admins list users');
  return (await store.listUsers(ctx.store.db, after, limit)).map(toUser);
}

export interface UserChanges {
  email?: string;
  password?: string;
  currentPassword?: string;
  admin?: boolean;
  disabled?: boolean;
}

export async function updateUser(
  ctx: ServiceContext,
  caller: Caller,
  ref: string,
  changes: UserChanges,
): Promise<User> {
  const id = await userIdOf(ctx.store.db, ref);
  const row = await visibleUser(ctx, caller, id);
  const isAdmin = actsAsPlatformAdmin(caller);
  if (!isAdmin && (changes.admin !== undefined || changes.disabled !== undefined)) {
    throw forbidden('only platform admins change the admin flag or disable users');
  }
  if (isAdmin && id === caller.userId && (changes.admin === false || changes.disabled === true)) {
    throw conflict('an admin cannot remove their own admin flag or disable themselves');
  }
  const update: Partial<store.UserRow> = { updated_at: nowIso() };
  if (changes.password !== undefined) {
    if (!isAdmin) {
      const ok = row.password_hash !== null && (await verifyPassword(changes.currentPassword ?? '', row.password_hash));
      if (!ok) throw invalid('currentPassword is wrong or missing', { field: 'currentPassword' });
    }
    update.password_hash = await hashPassword(changes.password);
  }
  if (changes.email !== undefined) update.email = changes.email;
  if (changes.admin !== undefined) update.is_admin = changes.admin ? 1 : 0;
  if (changes.disabled !== undefined) update.disabled = changes.disabled ? 1 : 0;
  await commitChange(
    ctx,
    async (db) => {
      await store.updateUser(db, id, update);
      if (changes.disabled) await revokeTokensOfUser(db, id, update.updated_at!);
      await recordEvent(db, caller, {
        type: 'user.updated',
        teamId: null,
        objectKind: 'user',
        objectId: id,
        data: { fields: Object.keys(changes).filter((k) => k !== 'password' && k !== 'currentPassword') },
      });
    },
    { changesAccess: true },
  );
  return toUser({ ...row, ...update });
}

export async function deleteUser(ctx: ServiceContext, caller: Caller, ref: string): Promise<void> {
  if (!actsAsPlatformAdmin(caller)) throw notFound('user', ref);
  const id = await userIdOf(ctx.store.db, ref);
  if (id === caller.userId) throw conflict('an admin cannot delete themselves');
  await visibleUser(ctx, caller, id);
  await commitChange(
    ctx,
    async (db) => {
      await store.deleteUser(db, id);
      await recordEvent(db, caller, { type: 'user.deleted', teamId: null, objectKind: 'user', objectId: id });
    },
    { changesAccess: true },
  );
}
