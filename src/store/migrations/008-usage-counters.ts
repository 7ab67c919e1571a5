// Usage kept as counters: what each resource holds (from its spec, at write) and each team's sums per kind,
// so that a quota check reads one team's few rows instead of every live resource; plus the sweeps' indexes.
import { sql, type Kysely, type Migration } from 'kysely';
import type { UsageOf } from '../db.ts';

const backfillBatch = 1000;

interface StoredResource {
  id: string;
  kind: string;
  spec: string;
}

/** Every existing row gets what its kind says it holds; a database with rows needs the kinds to say it. */
async function backfillResourceUsage(db: Kysely<unknown>, usageOf: UsageOf | undefined) {
  const raw = db as unknown as Kysely<{ resources: StoredResource & { usage_cpus: number; usage_memory_mib: number } }>;
  let after = '';
  for (;;) {
    const rows = await raw
      .selectFrom('resources')
      .select(['id', 'kind', 'spec'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(backfillBatch)
      .execute();
    if (rows.length === 0) return;
    if (!usageOf) throw new Error('migration 008 needs the kinds to count the usage of existing resources');
    for (const row of rows) {
      const held = usageOf(row.kind, JSON.parse(row.spec));
      await raw
        .updateTable('resources')
        .set({ usage_cpus: held.cpus, usage_memory_mib: held.memoryMiB })
        .where('id', '=', row.id)
        .execute();
    }
    after = rows[rows.length - 1].id;
  }
}

async function addUsage(db: Kysely<unknown>, usageOf: UsageOf | undefined) {
  await db.schema
    .alterTable('resources')
    .addColumn('usage_cpus', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('resources')
    .addColumn('usage_memory_mib', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  // A few rows per team and kind it has live resources of, summed when a quota is checked. On PostgreSQL a change
  // adds to one of several shards, so concurrent creates in one team do not all wait for one row's lock.
  await db.schema
    .createTable('team_usage')
    .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('shard', 'integer', (c) => c.notNull())
    .addColumn('resources', 'integer', (c) => c.notNull())
    .addColumn('cpus', 'integer', (c) => c.notNull())
    .addColumn('memory_mib', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('team_usage_pk', ['team_id', 'kind', 'shard'])
    .execute();
  await backfillResourceUsage(db, usageOf);
  await sql`insert into team_usage (team_id, kind, shard, resources, cpus, memory_mib)
    select team_id, kind, 0, count(*), sum(usage_cpus), sum(usage_memory_mib)
      from resources where state <> 'deleted' group by team_id, kind`.execute(db);
}

async function addSweepIndexes(db: Kysely<unknown>) {
  // The reconcile sweep pages through the resources of the drivers it asks, in the states it checks.
  await db.schema.createIndex('resources_driver_state').on('resources').columns(['driver', 'state', 'id']).execute();
  // The purge (deleted, oldest first) and the agent-timeout sweep (unfinished, silent since) read the oldest of a state.
  await db.schema.createIndex('resources_state_updated').on('resources').columns(['state', 'updated_at']).execute();
}

export function usageCountersSchema(usageOf: UsageOf | undefined): Migration {
  return {
    async up(db: Kysely<unknown>) {
      const up = async (trx: Kysely<unknown>) => {
        await addUsage(trx, usageOf);
        await addSweepIndexes(trx);
      };
      // Kysely runs SQLite's migrations outside a transaction: the backfill must not leave half the counters.
      await (db.isTransaction ? up(db) : db.transaction().execute(up));
    },
  };
}
