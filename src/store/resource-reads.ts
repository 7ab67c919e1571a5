// The hot reads (a resource, a page of resources, the feed's next events) outside the writer's queue: on SQLite a
// second, read-only connection (WAL lets it read while the writer writes) running cached prepared statements; on
// PostgreSQL the pool. Their SQL is compiled by Kysely once, or once per filter shape, never per request.
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import type { CompiledQuery } from 'kysely';
import { resourceListQuery, type ResourceFilter, type ResourceRow } from './resources.ts';
import type { EventRow } from './events.ts';
import type { Db } from './db.ts';

/** Enough of a resource to tell whether a rendering of it is current. */
export interface ResourceVersion {
  id: string;
  resource_version: number;
}

export interface StoreReads {
  /** The version of one resource of a team; undefined if the team has no such resource. */
  versionOf(teamId: string, id: string): Promise<ResourceVersion | undefined>;
  findResource(teamId: string, id: string): Promise<ResourceRow | undefined>;
  /** A page of `listResources`, ids and versions only. */
  listVersions(filter: ResourceFilter): Promise<ResourceVersion[]>;
  /** The resources of a team with these ids, in no particular order. */
  findResources(teamId: string, ids: string[]): Promise<ResourceRow[]>;
  eventsAfter(afterId: number, limit: number): Promise<EventRow[]>;
  close(): void;
}

type Run = <R>(query: CompiledQuery) => Promise<R[]>;

const statementCacheSize = 200;

/** Runs compiled queries on a read-only SQLite connection, their statements prepared once per SQL text. */
function sqliteRunner(path: string): { run: Run; close: () => void } {
  const reader = new DatabaseSync(path, { readOnly: true });
  reader.exec('PRAGMA busy_timeout = 5000');
  const statements = new Map<string, StatementSync>();
  const prepare = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = reader.prepare(sql);
      if (statements.size >= statementCacheSize) statements.delete(statements.keys().next().value as string);
      statements.set(sql, statement);
    }
    return statement;
  };
  return {
    run: async <R>(query: CompiledQuery) =>
      prepare(query.sql).all(...(query.parameters as SQLInputValue[])) as unknown as R[],
    close: () => reader.close(),
  };
}

const poolRunner =
  (db: Db): Run =>
  async <R>(query: CompiledQuery) =>
    (await db.executeQuery<R>(query)).rows;

/** The same SQL with other parameters: the statement is compiled once, with placeholders standing in. */
const withParameters = (query: CompiledQuery, parameters: unknown[]): CompiledQuery => ({ ...query, parameters });

/**
 * `sqlitePath`: the database file, for a read-only connection of its own; none (PostgreSQL, or an in-memory
 * SQLite that a second connection could not see) reads through `db`.
 */
export function openStoreReads(db: Db, sqlitePath?: string): StoreReads {
  const sqlite = sqlitePath === undefined ? undefined : sqliteRunner(sqlitePath);
  const run = sqlite?.run ?? poolRunner(db);
  const version = db
    .selectFrom('resources')
    .select(['id', 'resource_version'])
    .where('team_id', '=', '')
    .where('id', '=', '')
    .compile();
  const one = db.selectFrom('resources').selectAll().where('team_id', '=', '').where('id', '=', '').compile();
  const events = db.selectFrom('events').selectAll().where('id', '>', 0).orderBy('id').limit(1).compile();
  return {
    versionOf: async (teamId, id) => (await run<ResourceVersion>(withParameters(version, [teamId, id])))[0],
    findResource: async (teamId, id) => (await run<ResourceRow>(withParameters(one, [teamId, id])))[0],
    listVersions: (filter) =>
      run<ResourceVersion>(
        resourceListQuery(db, filter).clearSelect().select(['resources.id', 'resources.resource_version']).compile(),
      ),
    findResources: (teamId, ids) =>
      ids.length === 0
        ? Promise.resolve([])
        : run<ResourceRow>(
            db.selectFrom('resources').selectAll().where('team_id', '=', teamId).where('id', 'in', ids).compile(),
          ),
    eventsAfter: (afterId, limit) => run<EventRow>(withParameters(events, [afterId, limit])),
    close: () => sqlite?.close(),
  };
}
