// The store's query builder and the SQL dialect it speaks: what every table's queries are written against.
import { SqliteAdapter, type Kysely } from 'kysely';
import type { Database } from './tables.ts';

export type SqlDialectName = 'sqlite' | 'postgres';

/** The store's query builder: the whole database, or one transaction of it. */
export type Db = Kysely<Database>;

/** What a resource of `kind` holds, from its spec: the kinds' answer, given to the store by the composition root. */
export type UsageOf = (kind: string, spec: Record<string, unknown>) => { cpus: number; memoryMiB: number };

/** The SQL dialect a query builder speaks, so that no caller has to pass it along. */
export const sqlDialectOf = (db: Db): SqlDialectName =>
  db.getExecutor().adapter instanceof SqliteAdapter ? 'sqlite' : 'postgres';
