// The credit ledger: append-only entries per account; the balance is their sum and never goes below zero unasked.
import { commitChange, recordEvent } from '../domain/commit.ts';
import { conflict, invalid, notFound } from '../domain/errors.ts';
import type { Caller } from '../domain/caller.ts';
import type { ResourceContext } from '../resources/context.ts';
import * as store from '../store/billing.ts';
import { isUniqueViolation } from '../store/errors.ts';
import { newId, nowIso } from '../lib/ids.ts';
import type { Db } from '../store/db.ts';
import { InsufficientCredit } from './errors.ts';
import type { EntryType, LedgerEntry } from './models.ts';
import { stopAtZeroCredit } from './zero-credit.ts';

export interface EntryInput {
  type: EntryType;
  /** Signed: positive adds credit, negative takes it. */
  amount: number;
  reason: string;
  reference: string;
  actor: Caller | null;
  /** A charge that may take the balance below zero (usage already consumed, an admin's correction). */
  allowNegative?: boolean;
}

export interface Posted {
  entry: LedgerEntry;
  /** The reference was used before: this is that first entry, and nothing was written. */
  replayed: boolean;
}

export const toEntry = (row: store.LedgerEntryRow): LedgerEntry => ({
  id: row.id,
  account: row.account_id,
  type: row.type as EntryType,
  amount: Number(row.amount),
  reason: row.reason,
  reference: row.reference,
  actor: row.actor_id,
  createdAt: row.created_at,
});

function checkInput(input: EntryInput) {
  if (!Number.isSafeInteger(input.amount) || input.amount === 0)
    throw invalid('amount must be a whole number of minor units other than 0', { field: 'amount' });
  if (input.reason.trim() === '') throw invalid('a ledger entry needs a reason', { field: 'reason' });
  if (input.reference.trim() === '') throw invalid('a ledger entry needs a reference', { field: 'reference' });
}

/** A reference names one entry: the same again is its replay, anything else a conflict (nothing is charged twice, or silently not at all). */
function replay(existing: store.LedgerEntryRow, input: EntryInput): Posted {
  if (existing.amount !== input.amount || existing.type !== input.type) {
    throw conflict(
      `reference "${input.reference}" was already used for a ${existing.type} of ${existing.amount}; use a new reference for a different entry`,
      { reference: input.reference },
    );
  }
  return { entry: toEntry(existing), replayed: true };
}

/** Writes one entry inside the caller's transaction, after locking the account so concurrent charges queue. */
export async function writeEntry(ctx: ResourceContext, db: Db, accountId: string, input: EntryInput): Promise<Posted> {
  checkInput(input);
  const account = await store.lockAccount(db, accountId);
  if (!account) throw notFound('billing account', accountId);
  const existing = await store.findEntryByReference(db, accountId, input.reference);
  if (existing) return replay(existing, input);
  const balance = await store.ledgerBalance(db, accountId);
  if (input.amount < 0 && !input.allowNegative && balance + input.amount < 0)
    throw new InsufficientCredit(accountId, balance, -input.amount);
  const row: store.LedgerEntryRow = {
    id: newId(),
    account_id: accountId,
    type: input.type,
    amount: input.amount,
    reason: input.reason,
    reference: input.reference,
    actor_id: input.actor?.userId ?? null,
    created_at: nowIso(),
  };
  await store.insertEntry(db, row);
  await recordEvent(db, input.actor, {
    type: 'billing.ledger',
    teamId: account.owner_type === 'team' ? account.owner_id : null,
    objectKind: 'billing-account',
    objectId: accountId,
    data: {
      entry: row.id,
      type: row.type,
      amount: row.amount,
      reference: row.reference,
      balance: balance + row.amount,
    },
  });
  if (row.amount < 0 && balance > 0) await stopAtZeroCredit(ctx, db, account, balance + row.amount);
  return { entry: toEntry(row), replayed: false };
}

/** One entry in its own transaction; a reference raced in by another process is answered with its entry. */
export async function postEntry(ctx: ResourceContext, accountId: string, input: EntryInput): Promise<Posted> {
  try {
    return await commitChange(ctx, (db) => writeEntry(ctx, db, accountId, input));
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const existing = await store.findEntryByReference(ctx.store.db, accountId, input.reference);
    if (!existing) throw error;
    return replay(existing, input);
  }
}

export interface DebitOptions {
  reason: string;
  reference: string;
  actor: Caller | null;
  allowNegative?: boolean;
  /** What the charge is: a plain debit, metered usage, or a service's credit-decrement callback. */
  type?: Extract<EntryType, 'debit' | 'usage' | 'callback'>;
}

export function requirePositive(amount: number) {
  if (!Number.isSafeInteger(amount) || amount <= 0)
    throw invalid('amount must be a positive whole number of minor units', { field: 'amount' });
}

/** Takes `amount` (positive minor units) from the account; throws InsufficientCredit (409) rather than overdraw. */
export async function debit(
  ctx: ResourceContext,
  accountId: string,
  amount: number,
  options: DebitOptions,
): Promise<LedgerEntry> {
  requirePositive(amount);
  return (await postEntry(ctx, accountId, { ...options, type: options.type ?? 'debit', amount: -amount })).entry;
}

/** Adds `amount` (positive minor units) to the account: a grant, or a refund of an earlier charge. */
export async function credit(
  ctx: ResourceContext,
  accountId: string,
  amount: number,
  options: Omit<DebitOptions, 'type' | 'allowNegative'> & { type?: 'grant' | 'refund' },
) {
  requirePositive(amount);
  return (await postEntry(ctx, accountId, { ...options, type: options.type ?? 'grant', amount })).entry;
}
