// SQL for durable work: enqueue in the caller's transaction, claim with a lease, finish with fencing.
import { sql } from 'kysely';
import type { OperationsTable } from './tables.ts';
import { columnsOf, precompiledInsert } from './precompiled.ts';
import { sqlDialectOf, type Db } from './db.ts';

export type OperationRow = OperationsTable;

const insertRow = precompiledInsert(
  'operations',
  columnsOf<OperationsTable>({
    id: true,
    resource_id: true,
    team_id: true,
    type: true,
    action: true,
    generation: true,
    state: true,
    attempts: true,
    run_after: true,
    lease_owner: true,
    lease_expires_at: true,
    last_error: true,
    created_at: true,
    updated_at: true,
  }),
);

export const insertOperation = (db: Db, row: OperationRow) => insertRow(db, row as unknown as Record<string, unknown>);

/**
 * Claims the next runnable operation: queued and due. (One whose worker died goes back to the queue
 * first, with backoff: src/engine/expired-leases.ts.) Only the oldest unfinished operation of a
 * resource is runnable, so one resource's work runs in order and never twice at once. PostgreSQL
 * skips rows other workers are claiming.
 */
export async function claimNextOperation(db: Db, owner: string, now: string, leaseUntil: string) {
  const lock = sqlDialectOf(db) === 'postgres' ? sql`for update skip locked` : sql``;
  const result = await sql<OperationRow>`
    update operations
       set state = 'running', lease_owner = ${owner}, lease_expires_at = ${leaseUntil},
           attempts = attempts + 1, updated_at = ${now}
     where id = (
       select o.id from operations o
        where o.state = 'queued' and o.run_after <= ${now}
          and not exists (
            select 1 from operations earlier
             where earlier.resource_id = o.resource_id and earlier.id < o.id and earlier.state in ('queued', 'running'))
        order by o.run_after, o.id
        limit 1
        ${lock})
    returning *`.execute(db);
  return result.rows[0];
}

/** Running operations whose worker stopped renewing the lease (it crashed or stalled). */
export const listExpiredLeases = (db: Db, now: string, limit: number) =>
  db
    .selectFrom('operations')
    .selectAll()
    .where('state', '=', 'running')
    .where('lease_expires_at', '<', now)
    .orderBy('id')
    .limit(limit)
    .execute();

/** Extends a lease; false when the operation is no longer ours (it expired and was taken over). */
export async function renewLease(db: Db, id: string, owner: string, leaseUntil: string) {
  const result = await db
    .updateTable('operations')
    .set({ lease_expires_at: leaseUntil })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .where('state', '=', 'running')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Moves an operation held by `owner` to its next state; false when that lease was lost meanwhile.
 * With `leaseExpiredBefore`, only while the lease is still expired (taking over from a dead worker).
 */
export async function settleOperation(
  db: Db,
  id: string,
  owner: string,
  changes: { state: 'done' | 'failed' | 'queued'; run_after?: string; last_error?: string | null; attempts?: number },
  now: string,
  leaseExpiredBefore?: string,
) {
  const result = await db
    .updateTable('operations')
    .set({ ...changes, lease_owner: null, lease_expires_at: null, updated_at: now })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .where('state', '=', 'running')
    .$if(leaseExpiredBefore !== undefined, (q) => q.where('lease_expires_at', '<', leaseExpiredBefore!))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Supersedes the queued work of a resource (a delete makes pending applies pointless). */
export const cancelQueuedOperations = (db: Db, resourceId: string, now: string) =>
  db
    .updateTable('operations')
    .set({ state: 'cancelled', updated_at: now })
    .where('resource_id', '=', resourceId)
    .where('state', '=', 'queued')
    .execute();

export const listOperationsOf = (db: Db, resourceId: string) =>
  db.selectFrom('operations').selectAll().where('resource_id', '=', resourceId).orderBy('id').execute();
