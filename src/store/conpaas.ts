// SQL for the ConPaaS dialect's integer ids: uids of users (with their ConPaaS profile), sids of services and aids of applications.
import type { Generated, Insertable, Selectable } from 'kysely';
import type { Db } from './db.ts';

export interface ConpaasUsersTable {
  uid: Generated<number>;
  user_id: string;
  fname: string;
  lname: string;
  affiliation: string;
  uuid: string;
  team_id: string | null;
  created_at: string;
  default_app_at: string | null;
}

export interface ConpaasServicesTable {
  sid: Generated<number>;
  resource_id: string;
  created_at: string;
}

export interface ConpaasAppsTable {
  aid: Generated<number>;
  uid: number;
  name: string;
  namespace_id: string;
  status: string;
  created_at: string;
}

type ConpaasTables = {
  conpaas_users: ConpaasUsersTable;
  conpaas_services: ConpaasServicesTable;
  conpaas_apps: ConpaasAppsTable;
};

export type ConpaasUserRow = Selectable<ConpaasUsersTable>;
export type ConpaasServiceRow = Selectable<ConpaasServicesTable>;
/** An application with the team of its namespace. */
export type ConpaasAppRow = Selectable<ConpaasAppsTable> & { team_id: string };

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

/** Applications whose namespace is there and not being deleted: one deleted on the native API is gone here too. */
const liveApps = (db: Db) =>
  tables(db)
    .selectFrom('conpaas_apps')
    .innerJoin('namespaces', 'namespaces.id', 'conpaas_apps.namespace_id')
    .where('namespaces.deletion_requested_at', 'is', null)
    .selectAll('conpaas_apps')
    .select('namespaces.team_id');

export const findLiveConpaasApp = (db: Db, uid: number, aid: number): Promise<ConpaasAppRow | undefined> =>
  liveApps(db).where('conpaas_apps.uid', '=', uid).where('conpaas_apps.aid', '=', aid).executeTakeFirst();

export const listLiveConpaasApps = (db: Db, uid: number): Promise<ConpaasAppRow[]> =>
  liveApps(db).where('conpaas_apps.uid', '=', uid).orderBy('conpaas_apps.aid').execute();

export const findLiveConpaasAppsIn = async (db: Db, namespaceIds: string[]): Promise<ConpaasAppRow[]> =>
  namespaceIds.length === 0 ? [] : liveApps(db).where('conpaas_apps.namespace_id', 'in', namespaceIds).execute();

/** Forgets the user's applications whose namespace went (deleted on the native API), freeing their names. */
export const deleteGoneConpaasApps = (db: Db, uid: number) =>
  tables(db)
    .deleteFrom('conpaas_apps')
    .where('uid', '=', uid)
    .where('namespace_id', 'not in', (q) =>
      q.selectFrom('namespaces').select('id').where('deletion_requested_at', 'is', null),
    )
    .execute();

export const isConpaasAppNameTaken = async (db: Db, uid: number, name: string) =>
  (await tables(db)
    .selectFrom('conpaas_apps')
    .select('aid')
    .where('uid', '=', uid)
    .where('name', '=', name)
    .executeTakeFirst()) !== undefined;

/** The new application's aid (a serial, as the director's). */
export async function insertConpaasApp(db: Db, row: Insertable<ConpaasAppsTable>): Promise<number> {
  await tables(db).insertInto('conpaas_apps').values(row).execute();
  const inserted = await tables(db)
    .selectFrom('conpaas_apps')
    .select('aid')
    .where('namespace_id', '=', row.namespace_id)
    .executeTakeFirstOrThrow();
  return inserted.aid;
}

export const updateConpaasApp = (db: Db, aid: number, changes: { name?: string; status?: string }) =>
  tables(db).updateTable('conpaas_apps').set(changes).where('aid', '=', aid).execute();

export const deleteConpaasApp = (db: Db, aid: number) =>
  tables(db).deleteFrom('conpaas_apps').where('aid', '=', aid).execute();

/** Marks the user's default application as made, once: of two first calls racing, one makes it. */
export async function claimDefaultConpaasApp(db: Db, uid: number, at: string): Promise<boolean> {
  const result = await tables(db)
    .updateTable('conpaas_users')
    .set({ default_app_at: at })
    .where('uid', '=', uid)
    .where('default_app_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
