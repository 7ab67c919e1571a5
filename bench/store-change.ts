// The store's cost per change: a resource create's rows (resource, operation, event, and the team's usage counter)
// through store.transaction, next to the same three rows inserted raw (node:sqlite, pg) into the same schema, in
// the same run and at the same concurrency.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';
import { newId } from '../src/lib/ids.ts';
import { createKindRegistry, usageOfKinds } from '../src/resources/kinds/registry.ts';
import { openStore } from '../src/store/database.ts';
import { appendEvent } from '../src/store/events.ts';
import { enqueueOperation } from '../src/store/outbox.ts';
import { insertResource, type ResourceRow } from '../src/store/resources.ts';
import type { Store } from '../src/store/store.ts';
import { insertTeam } from '../src/store/teams.ts';
import { openBenchPostgres } from './postgres.ts';
import { atMost, type Section } from './section.ts';

/** Changes measured per database and way; in flight at once, as 50 connections' creates would be. */
const changes = Number(process.env.BENCH_STORE_CHANGES ?? 5000);
const inFlight = 50;
const teamId = 'bench-team';

/** Ids as the store makes them (time-ordered UUIDv7s, appended to each index); names as users pick them (random). */
function resourceRow(): ResourceRow {
  const at = new Date().toISOString();
  return {
    id: newId(),
    team_id: teamId,
    namespace_id: null,
    kind: 'cluster',
    name: `c-${randomUUID()}`,
    parent_id: null,
    labels: '{}',
    spec: JSON.stringify({ nodePoolSize: 3, node: { cpus: 1, memoryMiB: 1024 } }),
    state: 'pending',
    status: JSON.stringify({
      message: 'waiting to be provisioned',
      conditions: [],
      observedGeneration: 0,
      details: {},
    }),
    generation: 1,
    resource_version: 1,
    created_by: null,
    created_at: at,
    updated_at: at,
    deletion_requested_at: null,
    driver: 'local',
    usage_cpus: 3,
    usage_memory_mib: 3072,
  };
}

const eventOf = (row: ResourceRow) => ({
  at: row.created_at,
  actor_id: null,
  team_id: row.team_id,
  type: 'resource.created',
  object_kind: row.kind,
  object_id: row.id,
  data: JSON.stringify({ name: row.name, state: row.state, spec: JSON.parse(row.spec) }),
});

const operationOf = (row: ResourceRow) => ({
  id: newId(),
  resource_id: row.id,
  team_id: row.team_id,
  type: 'apply',
  action: null,
  generation: 1,
  state: 'queued',
  attempts: 0,
  run_after: row.created_at,
  lease_owner: null,
  lease_expires_at: null,
  last_error: null,
  created_at: row.created_at,
  updated_at: row.created_at,
});

/** Microseconds per change when `change` runs `changes` times, `inFlight` at a time. */
async function perChange(change: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  for (let done = 0; done < changes; done += inFlight) await Promise.all(Array.from({ length: inFlight }, change));
  return Number(process.hrtime.bigint() - started) / 1000 / changes;
}

/** What a create writes, through the store: one transaction (a group commit's savepoint on SQLite). */
const storeChange = (store: Store) => () =>
  store.transaction(async (db) => {
    const row = resourceRow();
    await insertResource(db, row);
    await enqueueOperation(db, row, 'apply');
    await appendEvent(db, eventOf(row));
  });

async function openSchema(database: { url: string; sqlitePath: string }) {
  const store = await openStore({ ...database, poolSize: 10 }, usageOfKinds(createKindRegistry()));
  const at = new Date().toISOString();
  await insertTeam(store.db, { id: teamId, name: 'bench', description: '', created_at: at, updated_at: at } as never);
  return store;
}

const insertSql = (table: string, row: object, placeholder: (n: number) => string) =>
  `insert into ${table} (${Object.keys(row).join(', ')}) values (${Object.keys(row)
    .map((_, i) => placeholder(i + 1))
    .join(', ')})`;

/** The same three rows with prepared statements, `inFlight` changes per transaction, as a group commit batches them. */
function rawSqliteChanges(path: string): number {
  const db = new DatabaseSync(path);
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON');
  const sample = resourceRow();
  const resource = db.prepare(insertSql('resources', sample, () => '?'));
  const operation = db.prepare(insertSql('operations', operationOf(sample), () => '?'));
  const event = db.prepare(insertSql('events', eventOf(sample), () => '?'));
  const started = process.hrtime.bigint();
  for (let done = 0; done < changes; done += inFlight) {
    db.exec('begin');
    for (let i = 0; i < inFlight; i++) {
      const row = resourceRow();
      resource.run(...(Object.values(row) as never[]));
      operation.run(...(Object.values(operationOf(row)) as never[]));
      event.run(...(Object.values(eventOf(row)) as never[]));
    }
    db.exec('commit');
  }
  const micros = Number(process.hrtime.bigint() - started) / 1000 / changes;
  db.close();
  return micros;
}

/** The same three rows in one pg transaction per change, on a pool as large as the store's. */
async function rawPgChanges(url: string): Promise<number> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const sample = resourceRow();
  const sql = {
    resource: insertSql('resources', sample, (n) => `$${n}`),
    operation: insertSql('operations', operationOf(sample), (n) => `$${n}`),
    event: insertSql('events', eventOf(sample), (n) => `$${n}`),
  };
  try {
    return await perChange(async () => {
      const client = await pool.connect();
      try {
        const row = resourceRow();
        await client.query('begin');
        await client.query(sql.resource, Object.values(row));
        await client.query(sql.operation, Object.values(operationOf(row)));
        await client.query(sql.event, Object.values(eventOf(row)));
        await client.query('commit');
      } finally {
        client.release();
      }
    });
  } finally {
    await pool.end();
  }
}

async function sqliteFigures(dir: string) {
  const store = await openSchema({ url: '', sqlitePath: join(dir, 'store.db') });
  await perChange(storeChange(store)); // a warm-up: statements prepared, pages cached
  const measured = await perChange(storeChange(store));
  await store.close();
  await (await openSchema({ url: '', sqlitePath: join(dir, 'raw.db') })).close();
  rawSqliteChanges(join(dir, 'raw.db'));
  return { store: measured, raw: rawSqliteChanges(join(dir, 'raw.db')) };
}

async function postgresFigures() {
  const storeDb = await openBenchPostgres();
  const rawDb = await openBenchPostgres();
  try {
    const store = await openSchema({ url: storeDb.url, sqlitePath: '' });
    await perChange(storeChange(store));
    const measured = await perChange(storeChange(store));
    await store.close();
    await (await openSchema({ url: rawDb.url, sqlitePath: '' })).close();
    await rawPgChanges(rawDb.url);
    return { store: measured, raw: await rawPgChanges(rawDb.url), origin: storeDb.origin };
  } finally {
    await storeDb.dispose();
    await rawDb.dispose();
  }
}

export async function run(): Promise<Section> {
  const dir = await mkdtemp(join(tmpdir(), 'cloudplane-bench-store-'));
  try {
    const sqlite = await sqliteFigures(dir);
    const postgres = await postgresFigures().catch((error: Error) => ({ skipped: error.message.split('\n')[0] }));
    const lines = [
      `${changes} changes, ${inFlight} in flight; a change = resource + operation + event (+ the team's usage counter through the store)`,
      `SQLite: store ${sqlite.store.toFixed(1)} µs/change, raw node:sqlite ${sqlite.raw.toFixed(1)} µs/change (${inFlight} per transaction): ${(sqlite.store / sqlite.raw).toFixed(2)}x the raw cost`,
      'skipped' in postgres
        ? `PostgreSQL: skipped (${postgres.skipped})`
        : `PostgreSQL (${postgres.origin}): store ${postgres.store.toFixed(1)} µs/change, raw pg ${postgres.raw.toFixed(1)} µs/change (a transaction each): ${(postgres.raw / postgres.store).toFixed(2)}x the raw rate`,
    ];
    return {
      title: "The store's cost per change",
      lines,
      targets: [atMost('SQLite store cost per change', Number(sqlite.store.toFixed(1)), 100, ' µs')],
      data: { changes, inFlight, sqlite, postgres },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
