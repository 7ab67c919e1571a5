// What the rest of the code holds of the store: its query builder, its hot reads and its one way to commit a change.
import type { Db, SqlDialectName } from './db.ts';
import type { StoreReads } from './resource-reads.ts';

export interface Store {
  db: Db;
  dialect: SqlDialectName;
  /** Runs one change atomically: a PostgreSQL transaction, or a savepoint in a group commit on SQLite. */
  transaction<T>(work: (db: Db) => Promise<T>): Promise<T>;
  /** The hot reads, answered outside the writer's queue: committed data only, never inside a transaction. */
  reads: StoreReads;
  close(): Promise<void>;
}
