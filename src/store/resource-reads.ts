// The hot reads (a resource, a page of resources, the feed's next events) outside the writer's queue: on SQLite a
// second, read-only connection (WAL lets it read while the writer writes) running cached prepared statements; on
// PostgreSQL the pool. Their SQL is compiled by Kysely once, or once per filter shape, never per request.
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import type { CompiledQuery } from 'kysely';
import { resourcePageQuery, type ResourceFilter, type ResourceRow } from './resources.ts';
import type { EventRow } from './events.ts';
import type { Db } from './db.ts';

/** Enough of a resource to tell whether a rendering of it is current. */
export interface ResourceVersion {
  id: string;
  resource_version: number;
}

/** A list page's [id, resource_version] pairs: arrays, since building 101 row objects cost half of the query. */
export type VersionPair = [id: string, version: number];

export interface StoreReads {
  /** The version of one resource of a team; undefined if the team has no such resource. */
  versionOf(teamId: string, id: string): Promise<ResourceVersion | undefined>;
  findResource(teamId: string, id: string): Promise<ResourceRow | undefined>;
  /** A page of `listResources`, ids and versions only. */
  listVersions(filter: ResourceFilter): Promise<VersionPair[]>;
  /** The resources of a team with these ids, in no particular order. */
  findResources(teamId: string, ids: string[]): Promise<ResourceRow[]>;
  eventsAfter(afterId: number, limit: number): Promise<EventRow[]>;
  close(): void;
}

type Run = <R>(query: CompiledQuery) => Promise<R[]>;
/** Runs a query whose rows are wanted as arrays of column values, in select order. */
type RunArrays = <R extends unknown[]>(query: CompiledQuery) => Promise<R[]>;

const statementCacheSize = 200;

/** Runs compiled queries on a read-only SQLite connection, their statements prepared once per SQL text. */
function sqliteRunner(path: string): { run: Run; runArrays: RunArrays; close: () => void } {
  const reader = new DatabaseSync(path, { readOnly: true });
  reader.exec('PRAGMA busy_timeout = 5000');
  const statements = new Map<string, StatementSync>();
  const prepare = (sql: string, arrays: boolean) => {
    const key = arrays ? `arrays:${sql}` : sql;
    let statement = statements.get(key);
    if (!statement) {
      statement = reader.prepare(sql);
      statement.setReturnArrays(arrays);
      if (statements.size >= statementCacheSize) statements.delete(statements.keys().next().value as string);
      statements.set(key, statement);
    }
    return statement;
  };
  const rows = (query: CompiledQuery, arrays: boolean) =>
    prepare(query.sql, arrays).all(...(query.parameters as SQLInputValue[])) as unknown[];
  return {
    run: async <R>(query: CompiledQuery) => rows(query, false) as R[],
    runArrays: async <R extends unknown[]>(query: CompiledQuery) => rows(query, true) as R[],
    close: () => reader.close(),
  };
}

const poolRunner =
  (db: Db): Run =>
  async <R>(query: CompiledQuery) =>
    (await db.executeQuery<R>(query)).rows;

const poolArrays =
  (db: Db): RunArrays =>
  async <R extends unknown[]>(query: CompiledQuery) =>
    (await db.executeQuery<Record<string, unknown>>(query)).rows.map((row) => Object.values(row) as R);

/** The same SQL with other parameters: the statement is compiled once, with placeholders standing in. */
const withParameters = (query: CompiledQuery, parameters: unknown[]): CompiledQuery => ({ ...query, parameters });

/**
 * `sqlitePath`: the database file, for a read-only connection of its own; none (PostgreSQL, or an in-memory
 * SQLite that a second connection could not see) reads through `db`.
 */
export function openStoreReads(db: Db, sqlitePath?: string): StoreReads {
  const sqlite = sqlitePath === undefined ? undefined : sqliteRunner(sqlitePath);
  const run = sqlite?.run ?? poolRunner(db);
  const runArrays = sqlite?.runArrays ?? poolArrays(db);
  const versionsQuery = compiledPerShape(db);
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
    listVersions: (filter) => runArrays<VersionPair>(versionsQuery(filter)),
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

/** The filters whose presence shapes the list's SQL; their values are only parameters. */
const shapingFields = ['teamId', 'kind', 'name', 'namespaceId', 'parentId', 'state', 'afterId'] as const;
type ShapingField = (typeof shapingFields)[number];
/** Stands in for the page size when compiling a shape: no real limit is negative. */
const limitMarker = -1_000_003;
const marker = (field: ShapingField) => `\u0000${field}`;

/**
 * Returns `compile(filter)` for the page-of-versions query, compiled by Kysely once per shape (which filters are
 * set) rather than per request (building it was ~5% of a list's time). A shape is compiled with a marker in each
 * value, so its parameters say which filter field each one takes; label selectors add subqueries, compiled each time.
 */
function compiledPerShape(db: Db): (filter: ResourceFilter) => CompiledQuery {
  const build = (filter: ResourceFilter) => resourcePageQuery(db, filter).compile();
  const shapes = new Map<string, { query: CompiledQuery; takes: (ShapingField | 'limit' | { constant: unknown })[] }>();
  return (filter) => {
    if (filter.labels && filter.labels.length > 0) return build(filter);
    const key =
      shapingFields.map((field) => (filter[field] === undefined ? '-' : '+')).join('') +
      (filter.includeDeleted ? 'd' : '');
    let shape = shapes.get(key);
    if (!shape) {
      const probe: ResourceFilter = { ...filter, limit: limitMarker };
      for (const field of shapingFields) if (filter[field] !== undefined) probe[field] = marker(field);
      const query = build(probe);
      const takes = query.parameters.map((value) => {
        const field = shapingFields.find((f) => value === marker(f));
        return field ?? (value === limitMarker ? 'limit' : { constant: value });
      });
      shape = { query, takes };
      shapes.set(key, shape);
    }
    const parameters = shape.takes.map((take) => (typeof take === 'object' ? take.constant : filter[take]));
    return withParameters(shape.query, parameters);
  };
}
