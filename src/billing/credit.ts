// Credit as callers use it: grants by platform admins, debits by an account's owner, the ledger read back.
import { forbidden } from '../domain/errors.ts';
import type { Caller } from '../domain/caller.ts';
import type { ResourceContext } from '../resources/context.ts';
import * as store from '../store/billing.ts';
import { requirePlatformAdmin, resolveAccount } from './accounts.ts';
import { postEntry, requirePositive, toEntry, type Posted } from './ledger.ts';
import type { LedgerEntry } from './models.ts';

export interface CreditRequest {
  amount: number;
  reason: string;
  reference: string;
}

export async function grantCredit(
  ctx: ResourceContext,
  caller: Caller,
  ref: string,
  request: CreditRequest & { type?: 'grant' | 'refund' },
): Promise<Posted> {
  const { account } = await resolveAccount(ctx, caller, ref);
  requirePlatformAdmin(caller, 'grant credit');
  requirePositive(request.amount);
  return postEntry(ctx, account.id, {
    type: request.type ?? 'grant',
    amount: request.amount,
    reason: request.reason,
    reference: request.reference,
    actor: caller,
  });
}

/** Owners spend their own credit; only platform admins may take an account below zero. */
export async function debitAccount(
  ctx: ResourceContext,
  caller: Caller,
  ref: string,
  request: CreditRequest & { allowNegative?: boolean },
): Promise<Posted> {
  const { account, manages } = await resolveAccount(ctx, caller, ref);
  if (!manages) throw forbidden('only the account owner (a team admin for a team) or a platform admin may debit it');
  if (request.allowNegative) requirePlatformAdmin(caller, 'may overdraw an account');
  requirePositive(request.amount);
  return postEntry(ctx, account.id, {
    type: 'debit',
    amount: -request.amount,
    reason: request.reason,
    reference: request.reference,
    actor: caller,
    allowNegative: request.allowNegative,
  });
}

export async function listLedger(
  ctx: ResourceContext,
  caller: Caller,
  ref: string,
  start: store.PageStart,
  limit: number,
): Promise<{ items: LedgerEntry[]; total: number }> {
  const { account } = await resolveAccount(ctx, caller, ref);
  const db = ctx.store.db;
  const [rows, total] = await Promise.all([
    store.listEntries(db, account.id, start, limit),
    store.countEntries(db, account.id),
  ]);
  return { items: rows.map(toEntry), total };
}
