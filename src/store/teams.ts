// SQL for teams, memberships and namespaces.
import { CompiledQuery } from 'kysely';
import { sqlDialectOf, type Db } from './db.ts';
import type { MembershipsTable, NamespacesTable, TeamsTable } from './tables.ts';

export type TeamRow = TeamsTable;
export type MembershipRow = MembershipsTable;
export type NamespaceRow = NamespacesTable;

export const insertTeam = (db: Db, row: TeamRow) => db.insertInto('teams').values(row).execute();

export const findTeamById = (db: Db, id: string) =>
  db.selectFrom('teams').selectAll().where('id', '=', id).executeTakeFirst();

/**
 * Inside a transaction, reads the team and makes every other locker of it wait until the transaction
 * ends: PostgreSQL locks the row; SQLite has one writer, which already serializes them.
 */
export const findTeamQuotas = async (db: Db, id: string) =>
  (await db.selectFrom('teams').select('quotas').where('id', '=', id).executeTakeFirstOrThrow()).quotas;

export const setTeamQuotas = (db: Db, id: string, quotas: string) =>
  db.updateTable('teams').set({ quotas }).where('id', '=', id).execute();

// Read in every create of a team with quotas: written once per dialect rather than built per call.
const lockTeamQuotasSql = {
  sqlite: 'select quotas from teams where id = ?',
  postgres: 'select quotas from teams where id = $1 for update',
};

/**
 * A team's quotas, its row held for the rest of the transaction on PostgreSQL (SQLite has one writer), so
 * concurrent admissions count each other.
 */
export async function lockTeamQuotas(db: Db, id: string): Promise<string | undefined> {
  const { rows } = await db.executeQuery<{ quotas: string }>(
    CompiledQuery.raw(lockTeamQuotasSql[sqlDialectOf(db)], [id]),
  );
  return rows[0]?.quotas;
}

/** Holds the namespace row for the rest of the transaction (PostgreSQL; SQLite has one writer). */
export const lockNamespace = (db: Db, id: string) =>
  db
    .selectFrom('namespaces')
    .select('id')
    .where('id', '=', id)
    .$if(sqlDialectOf(db) === 'postgres', (q) => q.forUpdate())
    .executeTakeFirst();

export const findTeamByName = (db: Db, name: string) =>
  db.selectFrom('teams').selectAll().where('name', '=', name).executeTakeFirst();

/** Teams visible to a user: all of them for a platform admin (userId undefined), else their memberships. */
export const listTeams = (db: Db, userId: string | undefined, after: string | undefined, limit: number) =>
  db
    .selectFrom('teams')
    .selectAll('teams')
    .$if(userId !== undefined, (q) =>
      q.where('teams.id', 'in', (sub) =>
        sub.selectFrom('memberships').select('team_id').where('user_id', '=', userId!),
      ),
    )
    .$if(after !== undefined, (q) => q.where('teams.id', '>', after!))
    .orderBy('teams.id')
    .limit(limit)
    .execute();

export const updateTeam = (db: Db, id: string, changes: Partial<TeamRow>) =>
  db.updateTable('teams').set(changes).where('id', '=', id).execute();

/** Its resources go by the foreign key's cascade; their finished operations have none, so they go here. */
export async function deleteTeam(db: Db, id: string) {
  await db.deleteFrom('operations').where('team_id', '=', id).execute();
  await db.deleteFrom('teams').where('id', '=', id).execute();
}

/** The first request's time stays: a repeated DELETE retries what failed, it does not restart the clock. */
export const markTeamDeletion = (db: Db, id: string, at: string) =>
  db
    .updateTable('teams')
    .set({ deletion_requested_at: at })
    .where('id', '=', id)
    .where('deletion_requested_at', 'is', null)
    .execute();

export const markNamespaceDeletion = (db: Db, id: string, at: string) =>
  db
    .updateTable('namespaces')
    .set({ deletion_requested_at: at })
    .where('id', '=', id)
    .where('deletion_requested_at', 'is', null)
    .execute();

export async function countTeams(db: Db): Promise<number> {
  const row = await db
    .selectFrom('teams')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export const findMembership = (db: Db, teamId: string, userId: string) =>
  db
    .selectFrom('memberships')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('user_id', '=', userId)
    .executeTakeFirst();

export const listMemberships = (db: Db, teamId: string) =>
  db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select(['memberships.user_id', 'memberships.role', 'memberships.created_at', 'users.username', 'users.email'])
    .where('memberships.team_id', '=', teamId)
    .orderBy('users.username')
    .execute();

export const listTeamIdsOfUser = async (db: Db, userId: string) =>
  (await db.selectFrom('memberships').select('team_id').where('user_id', '=', userId).execute()).map((r) => r.team_id);

export const insertMembership = (db: Db, row: MembershipRow) => db.insertInto('memberships').values(row).execute();

export const updateMembershipRole = (db: Db, teamId: string, userId: string, role: string) =>
  db.updateTable('memberships').set({ role }).where('team_id', '=', teamId).where('user_id', '=', userId).execute();

export const deleteMembership = (db: Db, teamId: string, userId: string) =>
  db.deleteFrom('memberships').where('team_id', '=', teamId).where('user_id', '=', userId).execute();

export async function countAdmins(db: Db, teamId: string): Promise<number> {
  const row = await db
    .selectFrom('memberships')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('team_id', '=', teamId)
    .where('role', '=', 'admin')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export const insertNamespace = (db: Db, row: NamespaceRow) => db.insertInto('namespaces').values(row).execute();

export const findNamespace = (db: Db, teamId: string, idOrName: string) =>
  db
    .selectFrom('namespaces')
    .selectAll()
    .where('team_id', '=', teamId)
    .where((eb) => eb.or([eb('id', '=', idOrName), eb('name', '=', idOrName)]))
    .executeTakeFirst();

export const listNamespaces = (db: Db, teamId: string) =>
  db.selectFrom('namespaces').selectAll().where('team_id', '=', teamId).orderBy('id').execute();

/** Once it holds no live resource (the rows that cascade with it are deleted ones, holding no usage). */
export async function deleteNamespace(db: Db, id: string) {
  await db
    .deleteFrom('operations')
    .where('resource_id', 'in', (q) => q.selectFrom('resources').select('id').where('namespace_id', '=', id))
    .execute();
  await db.deleteFrom('namespaces').where('id', '=', id).execute();
}
