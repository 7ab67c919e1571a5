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
import { registerBatchableWrite } from './batched-writes.ts';

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

type Compiled = { sql: string; columns: string[] };

/** The insert of `count` rows into `table` with exactly `columns`: its SQL, and which column each parameter is. */
function compileInsert(dialect: SqlDialectName, table: keyof Database, columns: string[], count: number): Compiled {
  // Each value is its column's name, so the compiled parameters say which column goes where.
  const named = Object.fromEntries(columns.map((column) => [column, column]));
  const compiled = compilers[dialect]
    .insertInto(table)
    .values(Array.from({ length: count }, () => named) as never)
    .compile();
  if (dialect === 'postgres') registerBatchableWrite(compiled.sql, table);
  return { sql: compiled.sql, columns: compiled.parameters as string[] };
}

/**
 * An insert of one row into `table` with exactly `columns`, compiled now for both dialects; the returned
 * function runs it with a row's values, on the database or transaction it is given. A blind write: on PostgreSQL,
 * inside a transaction, it may be sent later with others (src/store/batched-writes.ts), so its caller must not
 * catch its failure there.
 */
export function precompiledInsert<Table extends keyof Database>(
  table: Table,
  columns: (keyof Database[Table] & string)[],
): (db: Db, row: Record<string, unknown>) => Promise<void> {
  const insertRows = precompiledInsertRows(table, columns);
  return (db, row) => insertRows(db, [row]);
}

/** As precompiledInsert, for any number of rows in one statement (compiled once per number of rows). */
export function precompiledInsertRows<Table extends keyof Database>(
  table: Table,
  columns: (keyof Database[Table] & string)[],
): (db: Db, rows: readonly Record<string, unknown>[]) => Promise<void> {
  const byDialect = { sqlite: new Map<number, Compiled>(), postgres: new Map<number, Compiled>() };
  const compiledFor = (dialect: SqlDialectName, count: number) => {
    let compiled = byDialect[dialect].get(count);
    if (!compiled) byDialect[dialect].set(count, (compiled = compileInsert(dialect, table, columns, count)));
    return compiled;
  };
  compiledFor('sqlite', 1);
  compiledFor('postgres', 1);
  return async (db, rows) => {
    if (rows.length === 0) return;
    const { sql, columns: order } = compiledFor(sqlDialectOf(db), rows.length);
    const perRow = columns.length;
    await db.executeQuery(
      CompiledQuery.raw(
        sql,
        order.map((column, i) => rows[Math.floor(i / perRow)][column] ?? null),
      ),
    );
  };
}
