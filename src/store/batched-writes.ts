// The writes a PostgreSQL transaction may hold back and send together (src/store/pg-batching-driver.ts).

/**
 * Blind writes, by their PostgreSQL SQL: inserts whose result no caller reads and whose failure no caller catches
 * inside the transaction (a unique violation is handled once the transaction has failed as a whole). Each names
 * the table it writes: a batch holds at most one write per table, since the statements of one batch run on one
 * snapshot and would not see each other's rows.
 */
const tablesOfBatchable = new Map<string, string>();

export function registerBatchableWrite(postgresSql: string, table: string): void {
  tablesOfBatchable.set(postgresSql, table);
}

/** The table a batchable write goes to, or undefined for any other statement. */
export const batchableTable = (postgresSql: string): string | undefined => tablesOfBatchable.get(postgresSql);
