// SQL for the ConPaaS dialect's integer ids: uids of users (with their ConPaaS profile) and sids of services.
import type { Generated, Insertable, Selectable } from 'kysely';
import type { Db } from './store.ts';

export interface ConpaasUsersTable {
  uid: Generated<number>;
  user_id: string;
  fname: string;
  lname: string;
  affiliation: string;
  uuid: string;
  team_id: string | null;
  created_at: string;
}

export interface ConpaasServicesTable {
  sid: Generated<number>;
  resource_id: string;
  created_at: string;
}

type ConpaasTables = {
  conpaas_users: ConpaasUsersTable;
  conpaas_services: ConpaasServicesTable;
};

export type ConpaasUserRow = Selectable<ConpaasUsersTable>;
export type ConpaasServiceRow = Selectable<ConpaasServicesTable>;

/** These tables belong to the dialect alone, so they are declared here rather than in tables.ts. */
const tables = (db: Db) => db.withTables<ConpaasTables>();

/** Gives the user a uid unless they have one; a concurrent insert for the same user is a no-op. */
export const insertConpaasUserIfAbsent = (db: Db, row: Insertable<ConpaasUsersTable>) =>
  tables(db)
    .insertInto('conpaas_users')
    .values(row)
    .onConflict((conflict) => conflict.column('user_id').doNothing())
    .execute();

export const findConpaasUserByUserId = (db: Db, userId: string) =>
  tables(db).selectFrom('conpaas_users').selectAll().where('user_id', '=', userId).executeTakeFirst();

export const findConpaasUserByUid = (db: Db, uid: number) =>
  tables(db).selectFrom('conpaas_users').selectAll().where('uid', '=', uid).executeTakeFirst();

export const findConpaasUserByUuid = (db: Db, uuid: string) =>
  tables(db).selectFrom('conpaas_users').selectAll().where('uuid', '=', uuid).orderBy('uid').executeTakeFirst();

/** Sets the personal team only if it is still `expected`: of two racing starts, one team wins. */
export async function claimConpaasTeam(db: Db, uid: number, teamId: string, expected: string | null): Promise<boolean> {
  const result = await tables(db)
    .updateTable('conpaas_users')
    .set({ team_id: teamId })
    .where('uid', '=', uid)
    .where((eb) => (expected === null ? eb('team_id', 'is', null) : eb('team_id', '=', expected)))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export const insertConpaasServiceIfAbsent = (db: Db, resourceId: string, at: string) =>
  tables(db)
    .insertInto('conpaas_services')
    .values({ resource_id: resourceId, created_at: at })
    .onConflict((conflict) => conflict.column('resource_id').doNothing())
    .execute();

export const findConpaasServiceBySid = (db: Db, sid: number) =>
  tables(db).selectFrom('conpaas_services').selectAll().where('sid', '=', sid).executeTakeFirst();

export const findConpaasServicesOf = async (db: Db, resourceIds: string[]): Promise<ConpaasServiceRow[]> =>
  resourceIds.length === 0
    ? []
    : tables(db).selectFrom('conpaas_services').selectAll().where('resource_id', 'in', resourceIds).execute();

export const deleteConpaasService = (db: Db, sid: number) =>
  tables(db).deleteFrom('conpaas_services').where('sid', '=', sid).execute();
