// Opens the store: SQLite through node:sqlite by default, PostgreSQL through pg when a URL is given.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, Migrator, SqliteDialect, type Migration } from 'kysely';
import pg from 'pg';
import { groupCommitter } from './group-commit.ts';
import { coalescedNotifier, queuedWorkIn } from './notify.ts';
import { openSqlite } from './sqlite-driver.ts';
import { batchingPostgresDialect } from './pg-batching-driver.ts';
import { initialSchema } from './migrations/001-initial.ts';
import { operationsSchema } from './migrations/002-operations.ts';
import { billingSchema } from './migrations/003-billing.ts';
import { pkiSchema } from './migrations/004-pki.ts';
import { krak8sSchema } from './migrations/005-krak8s.ts';
import { conpaasSchema } from './migrations/006-conpaas.ts';
import { conpaasAppsSchema } from './migrations/007-conpaas-apps.ts';
import { usageCountersSchema } from './migrations/008-usage-counters.ts';
import { resourceStateIndex } from './migrations/009-resource-state-index.ts';
import { listCoveringIndexes } from './migrations/011-list-covering-indexes.ts';
import { eventsObjectIndex } from './migrations/010-events-object-index.ts';
import { openStoreReads } from './resource-reads.ts';
import type { Database } from './tables.ts';
import type { Store } from './store.ts';
import type { SqlDialectName, UsageOf } from './db.ts';

// pg returns int8 (counts, bigserial ids) as strings by default; every such value here fits a double.
pg.types.setTypeParser(20, (value) => Number(value));

/** `usageOf` counts what existing resources hold when usage counters are first added (migration 008). */
export function migrationsFor(dialect: SqlDialectName, usageOf?: UsageOf): Record<string, Migration> {
  return {
    '001-initial': initialSchema(dialect),
    '002-operations': operationsSchema,
    '003-billing': billingSchema,
    '004-pki': pkiSchema,
    '005-krak8s': krak8sSchema,
    '006-conpaas': conpaasSchema(dialect),
    '007-conpaas-apps': conpaasAppsSchema(dialect),
    '008-usage-counters': usageCountersSchema(usageOf),
    '009-resource-state-index': resourceStateIndex,
    '010-events-object-index': eventsObjectIndex,
    '011-list-covering-indexes': listCoveringIndexes,
  };
}

/** PostgreSQL transactions that notify other processes' workers once they commit, if they queued work. */
function notifyingTransactions(db: Kysely<Database>) {
  const notify = coalescedNotifier(db);
  return async <T>(work: (trx: Kysely<Database>) => Promise<T>): Promise<T> => {
    let queued = false;
    const result = await db.transaction().execute(async (trx) => {
      const value = await work(trx);
      queued = queuedWorkIn(trx);
      return value;
    });
    if (queued) notify();
    return result;
  };
}

export async function openStore(
  options: { url: string; sqlitePath: string; poolSize: number },
  usageOf?: UsageOf,
): Promise<Store> {
  const dialect: SqlDialectName = /^postgres(ql)?:\/\//.test(options.url) ? 'postgres' : 'sqlite';
  let db: Kysely<Database>;
  if (dialect === 'postgres') {
    const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize });
    // An idle connection that the server drops (restart, failover) is replaced on next use, not fatal.
    pool.on('error', () => {});
    db = new Kysely<Database>({ dialect: batchingPostgresDialect({ pool }) });
  } else {
    if (options.sqlitePath !== ':memory:') mkdirSync(dirname(options.sqlitePath), { recursive: true });
    const sqlite = openSqlite(options.sqlitePath);
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  }
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrationsFor(dialect, usageOf) } });
  const { error } = await migrator.migrateToLatest();
  if (error) {
    await db.destroy();
    throw error;
  }
  const transaction = dialect === 'sqlite' ? groupCommitter(db) : notifyingTransactions(db);
  // After the migrations, so the read-only connection finds the schema (and the WAL) in place.
  const reads = openStoreReads(
    db,
    dialect === 'sqlite' && options.sqlitePath !== ':memory:' ? options.sqlitePath : undefined,
  );
  return {
    db,
    dialect,
    transaction,
    reads,
    close: async () => {
      reads.close();
      await db.destroy();
    },
  };
}
