// What the rest of the code holds of the store: its query builder and its one way to commit a change.
import { SqliteAdapter, type Kysely } from 'kysely';
import type { Database } from './tables.ts';
import type { StoreReads } from './resource-reads.ts';

export type SqlDialectName = 'sqlite' | 'postgres';

/** The store's query builder: the whole database, or one transaction of it. */
export type Db = Kysely<Database>;

/** What a resource of `kind` holds, from its spec: the kinds' answer, given to the store by the composition root. */
export type UsageOf = (kind: string, spec: Record<string, unknown>) => { cpus: number; memoryMiB: number };

export interface Store {
  db: Db;
  dialect: SqlDialectName;
  /** Runs one change atomically: a PostgreSQL transaction, or a savepoint in a group commit on SQLite. */
  transaction<T>(work: (db: Db) => Promise<T>): Promise<T>;
  /** The hot reads, answered outside the writer's queue: committed data only, never inside a transaction. */
  reads: StoreReads;
  close(): Promise<void>;
}

/** The SQL dialect a query builder speaks, so that no caller has to pass it along. */
export const sqlDialectOf = (db: Db): SqlDialectName =>
  db.getExecutor().adapter instanceof SqliteAdapter ? 'sqlite' : 'postgres';
