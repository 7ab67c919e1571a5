// Inserts on the write path compiled once per dialect at load: building and compiling a query per change
// cost more than the insert itself (issue 10's profile of a create).
import {
  CompiledQuery,
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import { sqlDialectOf, type Db, type SqlDialectName } from './db.ts';
import type { Database } from './tables.ts';

/** Query builders that only compile (no connection), one per dialect. */
const compilers: Record<SqlDialectName, Kysely<Database>> = {
  sqlite: new Kysely<Database>({
    dialect: {
      createAdapter: () => new SqliteAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new SqliteIntrospector(db),
      createQueryCompiler: () => new SqliteQueryCompiler(),
    },
  }),
  postgres: new Kysely<Database>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  }),
};

/** Every column of a table, checked by the compiler: a column added to the table's type must be added here. */
export const columnsOf = <Row>(columns: Record<keyof Row, true>) => Object.keys(columns) as (keyof Row & string)[];

/**
 * An insert of one row into `table` with exactly `columns`, compiled now for both dialects; the returned
 * function runs it with a row's values, on the database or transaction it is given.
 */
export function precompiledInsert<Table extends keyof Database>(
  table: Table,
  columns: (keyof Database[Table] & string)[],
): (db: Db, row: Record<string, unknown>) => Promise<void> {
  const compile = (dialect: SqlDialectName) => {
    // Each value is its column's name, so the compiled parameters say which column goes where.
    const named = Object.fromEntries(columns.map((column) => [column, column]));
    const compiled = compilers[dialect]
      .insertInto(table)
      .values(named as never)
      .compile();
    return { sql: compiled.sql, columns: compiled.parameters as string[] };
  };
  const byDialect = { sqlite: compile('sqlite'), postgres: compile('postgres') };
  return async (db, row) => {
    const { sql, columns: order } = byDialect[sqlDialectOf(db)];
    await db.executeQuery(
      CompiledQuery.raw(
        sql,
        order.map((column) => row[column] ?? null),
      ),
    );
  };
}
