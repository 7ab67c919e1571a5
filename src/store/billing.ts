// SQL for billing: accounts, the append-only credit ledger, finalized invoices, and the events metering reads.
import { sqlDialectOf, type Db } from './db.ts';
import type { BillingAccountsTable, InvoicesTable, LedgerEntriesTable } from './tables.ts';

export type BillingAccountRow = BillingAccountsTable;
export type LedgerEntryRow = LedgerEntriesTable;
export type InvoiceRow = InvoicesTable;

/** Creates the account unless the owner already has one (concurrent first uses create one). */
export const insertAccountIfAbsent = (db: Db, row: BillingAccountRow) =>
  db
    .insertInto('billing_accounts')
    .values(row)
    .onConflict((oc) => oc.columns(['owner_type', 'owner_id']).doNothing())
    .execute();

export const findAccountByOwner = (db: Db, ownerType: string, ownerId: string) =>
  db
    .selectFrom('billing_accounts')
    .selectAll()
    .where('owner_type', '=', ownerType)
    .where('owner_id', '=', ownerId)
    .executeTakeFirst();

export const findAccountById = (db: Db, id: string) =>
  db.selectFrom('billing_accounts').selectAll().where('id', '=', id).executeTakeFirst();

export const updateAccountPrepaid = (db: Db, id: string, prepaid: boolean) =>
  db
    .updateTable('billing_accounts')
    .set({ prepaid: prepaid ? 1 : 0 })
    .where('id', '=', id)
    .execute();

/**
 * Inside a transaction, reads the account and makes every other writer of its ledger wait until the
 * transaction ends: PostgreSQL locks the row; SQLite has one writer, which already serializes them.
 */
export const lockAccount = (db: Db, accountId: string) =>
  db
    .selectFrom('billing_accounts')
    .selectAll()
    .where('id', '=', accountId)
    .$if(sqlDialectOf(db) === 'postgres', (q) => q.forUpdate())
    .executeTakeFirst();

export async function ledgerBalance(db: Db, accountId: string): Promise<number> {
  const row = await db
    .selectFrom('ledger_entries')
    .select((eb) => eb.fn.sum<number | string | null>('amount').as('balance'))
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return Number(row?.balance ?? 0);
}

export const findEntryByReference = (db: Db, accountId: string, reference: string) =>
  db
    .selectFrom('ledger_entries')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('reference', '=', reference)
    .executeTakeFirst();

export const insertEntry = (db: Db, row: LedgerEntryRow) => db.insertInto('ledger_entries').values(row).execute();

/** Where a page starts: after a key (the cursor's: an entry's id, an invoice's month), or this many rows in (older clients). */
export type PageStart = { after: string | undefined } | { offset: number };

export const listEntries = (db: Db, accountId: string, start: PageStart, limit: number) => {
  let query = db.selectFrom('ledger_entries').selectAll().where('account_id', '=', accountId);
  if ('offset' in start) query = query.offset(start.offset);
  else if (start.after !== undefined) query = query.where('id', '>', start.after);
  return query.orderBy('id').limit(limit).execute();
};

async function countWhere(db: Db, table: 'ledger_entries' | 'invoices', accountId: string): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_id', '=', accountId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export const countEntries = (db: Db, accountId: string) => countWhere(db, 'ledger_entries', accountId);

/** A finalized invoice is written once: a concurrent finalization of the same month keeps the first. */
export async function insertInvoiceIfAbsent(db: Db, row: InvoiceRow): Promise<boolean> {
  const result = await db
    .insertInto('invoices')
    .values(row)
    .onConflict((oc) => oc.columns(['account_id', 'period']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export const findInvoiceByPeriod = (db: Db, accountId: string, period: string) =>
  db
    .selectFrom('invoices')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('period', '=', period)
    .executeTakeFirst();

export const findInvoiceById = (db: Db, accountId: string, id: string) =>
  db.selectFrom('invoices').selectAll().where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst();

export const listInvoices = (db: Db, accountId: string, start: PageStart, limit: number) => {
  let query = db.selectFrom('invoices').selectAll().where('account_id', '=', accountId);
  if ('offset' in start) query = query.offset(start.offset);
  else if (start.after !== undefined) query = query.where('period', '>', start.after);
  return query.orderBy('period').limit(limit).execute();
};

/** The invoices of the months from `first` to `last` (YYYY-MM, both included). */
export const listInvoicesOfMonths = (db: Db, accountId: string, first: string, last: string) =>
  db
    .selectFrom('invoices')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('period', '>=', first)
    .where('period', '<=', last)
    .execute();

export const listInvoicePeriods = async (db: Db, accountId: string) =>
  (await db.selectFrom('invoices').select('period').where('account_id', '=', accountId).execute()).map((r) => r.period);

export const countInvoices = (db: Db, accountId: string) => countWhere(db, 'invoices', accountId);

/** Only a finalized invoice can be voided; false means it already was. */
export async function voidInvoice(db: Db, id: string, at: string, by: string): Promise<boolean> {
  const result = await db
    .updateTable('invoices')
    .set({ state: 'void', voided_at: at, voided_by: by })
    .where('id', '=', id)
    .where('state', '=', 'final')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The events metering reads: states entered, and specs recorded at creation and on every update. */
export const resourceHistoryTypes = [
  'resource.created',
  'resource.updated',
  'resource.status',
  'resource.deleting',
  'resource.deleted',
];

/** A team's resource history before `before`, in the order it happened (by time, then id). */
export const listResourceHistory = (db: Db, teamId: string, before: string) =>
  db
    .selectFrom('events')
    .select(['id', 'at', 'type', 'object_kind', 'object_id', 'data'])
    .where('team_id', '=', teamId)
    .where('type', 'in', resourceHistoryTypes)
    .where('at', '<', before)
    .orderBy('at')
    .orderBy('id')
    .execute();

export type ResourceHistoryRow = Awaited<ReturnType<typeof listResourceHistory>>[number];

export const findResourcesOfTeam = (db: Db, teamId: string, ids: string[]) =>
  ids.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('resources')
        .select(['id', 'kind', 'name', 'spec'])
        .where('team_id', '=', teamId)
        .where('id', 'in', ids)
        .execute();

/** The removal of a team whose row is gone: by its id, or the latest removed team of that name (names are reused). */
export async function findTeamRemoval(db: Db, ref: string, byId: boolean) {
  const removals = await db
    .selectFrom('events')
    .select(['object_id', 'at', 'data'])
    .where('type', '=', 'team.deleted')
    .$if(byId, (q) => q.where('team_id', '=', ref))
    .orderBy('id', 'desc')
    .execute();
  return removals.find((removal) => byId || JSON.parse(removal.data).name === ref);
}

export const findTeamCreation = async (db: Db, teamId: string) =>
  (
    await db
      .selectFrom('events')
      .select('at')
      .where('team_id', '=', teamId)
      .where('type', '=', 'team.created')
      .orderBy('id')
      .executeTakeFirst()
  )?.at;

/** Every team, live or removed, whose resources have a history: the accounts the billing sweep finalizes. */
export const listTeamsWithUsage = async (db: Db) =>
  (
    await db
      .selectFrom('events')
      .select('team_id')
      .distinct()
      .where('team_id', 'is not', null)
      .where('type', 'in', resourceHistoryTypes)
      .execute()
  ).map((r) => r.team_id!);

export const listPrepaidTeamAccounts = (db: Db) =>
  db
    .selectFrom('billing_accounts')
    .selectAll()
    .where('prepaid', '=', 1)
    .where('owner_type', '=', 'team')
    .orderBy('id')
    .execute();

/** When each resource was last asked to stop (its latest `stop` operation). */
export async function lastStopRequests(db: Db, resourceIds: string[]): Promise<Map<string, string>> {
  if (resourceIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('operations')
    .select(['resource_id', (eb) => eb.fn.max('created_at').as('at')])
    .where('resource_id', 'in', resourceIds)
    .where('type', '=', 'action')
    .where('action', '=', 'stop')
    .groupBy('resource_id')
    .execute();
  return new Map(rows.map((r) => [r.resource_id, String(r.at)]));
}

/** When each resource last entered `active`, looking only at status events from `since` on. */
export async function lastActivations(
  db: Db,
  teamId: string,
  resourceIds: string[],
  since: string,
): Promise<Map<string, string>> {
  if (resourceIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('events')
    .select(['object_id', 'at', 'data'])
    .where('team_id', '=', teamId)
    .where('type', '=', 'resource.status')
    .where('object_id', 'in', resourceIds)
    .where('at', '>=', since)
    .orderBy('id')
    .execute();
  const entered = rows.filter((r) => {
    const data = JSON.parse(r.data);
    return data.state === 'active' && data.previousState !== 'active';
  });
  return new Map(entered.map((r) => [r.object_id, r.at]));
}
