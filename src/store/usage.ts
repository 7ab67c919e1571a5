// Team usage counters: kept by every write of a resource row, in the same transaction, so they are always exact.
import { CompiledQuery } from 'kysely';
import { sqlDialectOf, type Db } from './db.ts';
import { lockTeamQuotas } from './teams.ts';
import { registerBatchableWrite } from './batched-writes.ts';
import type { ResourcesTable, TeamUsageTable } from './tables.ts';

type Held = Pick<ResourcesTable, 'team_id' | 'kind' | 'state' | 'usage_cpus' | 'usage_memory_mib'>;

const counts = (row: Held | undefined) => row !== undefined && row.state !== 'deleted';

/**
 * PostgreSQL holds a row's lock until the commit: with one row per team and kind, concurrent creates in a team would
 * queue for it. SQLite has one writer anyway, and keeps one row.
 */
const shards = { sqlite: 1, postgres: 8 };

// Written once per dialect (it runs in every create): the one statement both speak, with their placeholders.
const upsertSql = (placeholder: (n: number) => string) =>
  `insert into team_usage (team_id, kind, shard, resources, cpus, memory_mib)
   values (${[1, 2, 3, 4, 5, 6].map(placeholder).join(', ')})
   on conflict (team_id, kind, shard) do update set
     resources = team_usage.resources + excluded.resources,
     cpus = team_usage.cpus + excluded.cpus,
     memory_mib = team_usage.memory_mib + excluded.memory_mib`;
const upsert = { sqlite: upsertSql(() => '?'), postgres: upsertSql((n) => `$${n}`) };
registerBatchableWrite(upsert.postgres, 'team_usage');

async function addToTeam(db: Db, teamId: string, kind: string, resources: number, cpus: number, memoryMiB: number) {
  if (resources === 0 && cpus === 0 && memoryMiB === 0) return;
  const dialect = sqlDialectOf(db);
  const shard = Math.floor(Math.random() * shards[dialect]);
  await db.executeQuery(CompiledQuery.raw(upsert[dialect], [teamId, kind, shard, resources, cpus, memoryMiB]));
}

/**
 * Moves the counters from what `previous` held to what `next` holds (either may be absent: a new row, a
 * removed one). A row counts while it is not deleted. Both rows are of one team and one kind.
 */
export async function recordUsageChange(db: Db, previous: Held | undefined, next: Held | undefined) {
  const was = counts(previous) ? previous! : undefined;
  const is = counts(next) ? next! : undefined;
  const row = (is ?? was)!;
  if (!row) return;
  await addToTeam(
    db,
    row.team_id,
    row.kind,
    (is ? 1 : 0) - (was ? 1 : 0),
    (is?.usage_cpus ?? 0) - (was?.usage_cpus ?? 0),
    (is?.usage_memory_mib ?? 0) - (was?.usage_memory_mib ?? 0),
  );
}

// Read in every create of a team with quotas: written once per dialect rather than built per call.
const teamUsageSql = (placeholder: string) =>
  `select kind, sum(resources) as resources, sum(cpus) as cpus, sum(memory_mib) as memory_mib
   from team_usage where team_id = ${placeholder} group by kind`;
const teamUsage = { sqlite: teamUsageSql('?'), postgres: teamUsageSql('$1') };

/** A team's usage per kind it holds (or held) live resources of: its shards summed. */
export async function listTeamUsage(db: Db, teamId: string): Promise<UsageRow[]> {
  const { rows } = await db.executeQuery<Record<'kind' | 'resources' | 'cpus' | 'memory_mib', string | number>>(
    CompiledQuery.raw(teamUsage[sqlDialectOf(db)], [teamId]),
  );
  return rows.map(toUsageRow);
}

type UsageRow = Omit<TeamUsageTable, 'shard' | 'team_id'>;

const toUsageRow = (row: Record<'kind' | 'resources' | 'cpus' | 'memory_mib', string | number>): UsageRow => ({
  kind: String(row.kind),
  resources: Number(row.resources),
  cpus: Number(row.cpus),
  memory_mib: Number(row.memory_mib),
});

// SQLite's one writer already serialises admissions: the quotas and the counters come in one statement.
const quotasWithUsageSql = `select t.quotas, u.kind, sum(u.resources) as resources, sum(u.cpus) as cpus,
    sum(u.memory_mib) as memory_mib
  from teams t left join team_usage u on u.team_id = t.id
  where t.id = ? group by u.kind`;

/**
 * What a create in a team with quotas reads: the quotas (the team row held until the commit on PostgreSQL, so
 * concurrent admissions count each other) and the usage per kind. One query on SQLite: two there were a third of
 * what a quota added to a create (issue 10).
 */
export async function lockQuotasWithUsage(
  db: Db,
  teamId: string,
): Promise<{ quotas: string | undefined; usage: UsageRow[] }> {
  if (sqlDialectOf(db) === 'postgres')
    return { quotas: await lockTeamQuotas(db, teamId), usage: await listTeamUsage(db, teamId) };
  const { rows } = await db.executeQuery<
    { quotas: string } & Record<'kind' | 'resources' | 'cpus' | 'memory_mib', string | number | null>
  >(CompiledQuery.raw(quotasWithUsageSql, [teamId]));
  return {
    quotas: rows[0]?.quotas,
    usage: rows.filter((row) => row.kind !== null).map((row) => toUsageRow(row as never)),
  };
}
