// SQL for Idempotency-Key records: the first response to a keyed POST, replayed on retries.
import type { Db } from './db.ts';

/** Claims a key; false means it already exists (in flight or finished). */
export async function claimIdempotencyKey(db: Db, userId: string, key: string, requestHash: string, at: string) {
  const result = await db
    .insertInto('idempotency_keys')
    .values({ user_id: userId, key, request_hash: requestHash, status_code: null, response_body: null, created_at: at })
    .onConflict((oc) => oc.columns(['user_id', 'key']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export const findIdempotencyKey = (db: Db, userId: string, key: string) =>
  db.selectFrom('idempotency_keys').selectAll().where('user_id', '=', userId).where('key', '=', key).executeTakeFirst();

export const completeIdempotencyKey = (db: Db, userId: string, key: string, statusCode: number, body: string) =>
  db
    .updateTable('idempotency_keys')
    .set({ status_code: statusCode, response_body: body })
    .where('user_id', '=', userId)
    .where('key', '=', key)
    .execute();

export const releaseIdempotencyKey = (db: Db, userId: string, key: string) =>
  db.deleteFrom('idempotency_keys').where('user_id', '=', userId).where('key', '=', key).execute();

export const purgeIdempotencyKeysBefore = (db: Db, before: string) =>
  db.deleteFrom('idempotency_keys').where('created_at', '<', before).execute();
