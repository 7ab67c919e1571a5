// Billing accounts: one per user or team, created on first use; who may see, charge or manage one.
import { commitChange, recordEvent } from '../domain/commit.ts';
import type { ServiceContext } from '../domain/context.ts';
import { DomainError, forbidden, invalid, notFound } from '../domain/errors.ts';
import { requireTeamRole } from '../identity/access.ts';
import { actsAsPlatformAdmin, type Caller } from '../domain/caller.ts';
import * as store from '../store/billing.ts';
import { isUuid, newId, nowIso } from '../lib/ids.ts';
import { findUserById, findUserByUsername } from '../store/users.ts';
import type { BillingAccount } from './models.ts';

export interface AccountOwner {
  type: 'user' | 'team';
  id: string;
  name: string;
  createdAt: string;
  /** A team removed since: its row is gone, its account stays. */
  removedAt?: string;
}

export interface AccountAccess {
  account: store.BillingAccountRow;
  owner: AccountOwner;
  /** The owner itself (the user, a team admin) or a platform admin: may post debits. */
  manages: boolean;
}

/** `me`, `user:<id|username>` or `team:<id|name>`. */
function parseAccountRef(ref: string): { type: 'user' | 'team'; ref: string } | 'me' {
  if (ref === 'me') return 'me';
  const match = /^(user|team):(.+)$/.exec(ref);
  if (!match)
    throw invalid(`"${ref}" is not an account: use me, user:<id|username> or team:<id|name>`, { field: 'account' });
  return { type: match[1] as 'user' | 'team', ref: match[2] };
}

async function findUserOwner(
  ctx: ServiceContext,
  caller: Caller,
  ref: string,
  accountRef: string,
): Promise<AccountAccess['owner']> {
  const db = ctx.store.db;
  const user = isUuid(ref) ? await findUserById(db, ref) : await findUserByUsername(db, ref);
  // Another user's account does not exist for anyone but platform admins.
  if (!user || (user.id !== caller.userId && !actsAsPlatformAdmin(caller)))
    throw notFound('billing account', accountRef);
  return { type: 'user', id: user.id, name: user.username, createdAt: user.created_at };
}

/** A removed team keeps its account; it is found through its removal event, by id or last name. */
export async function removedTeamOwner(ctx: ServiceContext, ref: string): Promise<AccountOwner | undefined> {
  const db = ctx.store.db;
  const removal = await store.findTeamRemoval(db, ref, isUuid(ref));
  if (!removal) return undefined;
  const id = removal.object_id;
  const name = String(JSON.parse(removal.data).name ?? id);
  return {
    type: 'team',
    id,
    name,
    createdAt: (await store.findTeamCreation(db, id)) ?? removal.at,
    removedAt: removal.at,
  };
}

/** A team the caller is in; for platform admins also a removed one, whose ledger and invoices stay readable. */
async function findTeamOwner(
  ctx: ServiceContext,
  caller: Caller,
  ref: string,
): Promise<{ owner: AccountOwner; admin: boolean }> {
  try {
    const { team, role } = await requireTeamRole(ctx, caller, ref, 'viewer');
    return {
      owner: { type: 'team', id: team.id, name: team.name, createdAt: team.created_at },
      admin: role === 'admin',
    };
  } catch (error) {
    const gone = error instanceof DomainError && error.code === 'not-found' && actsAsPlatformAdmin(caller);
    const removed = gone ? await removedTeamOwner(ctx, ref) : undefined;
    if (!removed) throw error;
    return { owner: removed, admin: true };
  }
}

/** The owner of the account named by `ref`, if the caller may see it (their own, their teams', any for platform admins); writes nothing. */
export async function resolveOwner(
  ctx: ServiceContext,
  caller: Caller,
  ref: string,
): Promise<Omit<AccountAccess, 'account'>> {
  const parsed = parseAccountRef(ref);
  const admin = actsAsPlatformAdmin(caller);
  if (parsed === 'me' || parsed.type === 'user') {
    const owner = await findUserOwner(ctx, caller, parsed === 'me' ? caller.userId : parsed.ref, ref);
    return { owner, manages: admin || owner.id === caller.userId };
  }
  const team = await findTeamOwner(ctx, caller, parsed.ref);
  return { owner: team.owner, manages: admin || team.admin };
}

/** The account named by `ref`, created on first use, if the caller may see it. */
export async function resolveAccount(ctx: ServiceContext, caller: Caller, ref: string): Promise<AccountAccess> {
  const { owner, manages } = await resolveOwner(ctx, caller, ref);
  return { account: await ensureAccount(ctx, owner), owner, manages };
}

export async function ensureAccount(
  ctx: ServiceContext,
  owner: Pick<AccountOwner, 'type' | 'id'>,
): Promise<store.BillingAccountRow> {
  const db = ctx.store.db;
  const existing = await store.findAccountByOwner(db, owner.type, owner.id);
  if (existing) return existing;
  const row = {
    id: newId(),
    owner_type: owner.type,
    owner_id: owner.id,
    currency: ctx.config.billing.currency,
    prepaid: 0,
    created_at: nowIso(),
  };
  await store.insertAccountIfAbsent(db, row);
  return (await store.findAccountByOwner(db, owner.type, owner.id))!;
}

export const requirePlatformAdmin = (caller: Caller, what: string) => {
  if (!actsAsPlatformAdmin(caller)) throw forbidden(`only platform admins ${what}`);
};

export const teamOf = (access: AccountAccess) => (access.owner.type === 'team' ? access.owner.id : null);

export async function toAccount(ctx: ServiceContext, access: AccountAccess): Promise<BillingAccount> {
  const { account, owner } = access;
  return {
    id: account.id,
    owner: {
      type: owner.type,
      id: owner.id,
      name: owner.name,
      ...(owner.removedAt ? { removedAt: owner.removedAt } : {}),
    },
    currency: account.currency,
    prepaid: account.prepaid === 1,
    balance: await store.ledgerBalance(ctx.store.db, account.id),
    createdAt: account.created_at,
  };
}

export const getAccount = async (ctx: ServiceContext, caller: Caller, ref: string) =>
  toAccount(ctx, await resolveAccount(ctx, caller, ref));

export async function setPrepaid(
  ctx: ServiceContext,
  caller: Caller,
  ref: string,
  prepaid: boolean,
): Promise<BillingAccount> {
  const access = await resolveAccount(ctx, caller, ref);
  requirePlatformAdmin(caller, 'change how an account pays');
  await commitChange(ctx, async (db) => {
    await store.updateAccountPrepaid(db, access.account.id, prepaid);
    await recordEvent(db, caller, {
      type: 'billing.account.updated',
      teamId: teamOf(access),
      objectKind: 'billing-account',
      objectId: access.account.id,
      data: { prepaid },
    });
  });
  return toAccount(ctx, { ...access, account: { ...access.account, prepaid: prepaid ? 1 : 0 } });
}
