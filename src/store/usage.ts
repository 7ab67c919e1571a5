// Team usage counters: kept by every write of a resource row, in the same transaction, so they are always exact.
import { CompiledQuery } from 'kysely';
import { sqlDialectOf, type Db } from './db.ts';
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
export async function listTeamUsage(db: Db, teamId: string): Promise<Omit<TeamUsageTable, 'shard' | 'team_id'>[]> {
  const { rows } = await db.executeQuery<Record<'kind' | 'resources' | 'cpus' | 'memory_mib', string | number>>(
    CompiledQuery.raw(teamUsage[sqlDialectOf(db)], [teamId]),
  );
  return rows.map((row) => ({
    kind: String(row.kind),
    resources: Number(row.resources),
    cpus: Number(row.cpus),
    memory_mib: Number(row.memory_mib),
  }));
}
