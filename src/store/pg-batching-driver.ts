// PostgreSQL: a transaction's blind writes wait, and go to the server together as one statement.
//
// Why: each statement is a round trip, and on a loopback socket the write that sends it costs the sender the
// receiver's side of TCP too (writev was 26% of the server's CPU under creates, issue 10). A create wrote its
// resource, usage counter, operation and event in six round trips (begin, four inserts, commit); as one
// statement it is one round trip, and PostgreSQL parses and plans once.
//
// How: inside a transaction, a write registered as batchable (src/store/batched-writes.ts) is queued instead of
// sent. Any other statement first sends the queue (data-modifying CTEs, one statement) and then itself. `begin`
// waits for the first statement that has to be sent inside the transaction: a transaction that only queued
// writes commits as that one statement alone, which PostgreSQL runs atomically without begin and commit.
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresDriver,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type PostgresDialectConfig,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import { batchableTable } from './batched-writes.ts';

/** The statements of a batch as one: each a CTE but the last, their parameters renumbered in order. */
function fusedSql(queued: readonly CompiledQuery[]): string {
  let offset = 0;
  const parts = queued.map((query) => {
    const shift = offset;
    offset += query.parameters.length;
    return query.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + shift}`);
  });
  const last = parts.pop()!;
  return `with ${parts.map((part, i) => `w${i} as (${part})`).join(', ')} ${last}`;
}

// A batch's statement, built once per sequence of statements (a handful: a create's, a deletion's...), looked up
// statement by statement: each SQL string is a constant whose hash V8 keeps, so a lookup hashes nothing new.
interface FusedNode {
  sql?: string;
  next: Map<string, FusedNode>;
}
const fusedTree: FusedNode = { next: new Map() };

function fuse(queued: readonly CompiledQuery[]): CompiledQuery {
  if (queued.length === 1) return queued[0];
  let node = fusedTree;
  for (const query of queued) {
    let next = node.next.get(query.sql);
    if (!next) node.next.set(query.sql, (next = { next: new Map() }));
    node = next;
  }
  node.sql ??= fusedSql(queued);
  return CompiledQuery.raw(
    node.sql,
    queued.flatMap((query) => query.parameters),
  );
}

/** pg's connection as Kysely's driver hands it out (its class is not exported). */
type PostgresConnection = Parameters<PostgresDriver['releaseConnection']>[0];

class BatchingConnection implements DatabaseConnection {
  readonly inner: PostgresConnection;
  private readonly driver: PostgresDriver;
  /** Set from the transaction's start until its end; `begun` once `begin` has been sent. */
  private transaction: { settings: TransactionSettings; begun: boolean } | undefined;
  private queued: CompiledQuery[] = [];
  private queuedTables = new Set<string>();

  constructor(inner: PostgresConnection, driver: PostgresDriver) {
    this.inner = inner;
    this.driver = driver;
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const table = this.transaction ? batchableTable(query.sql) : undefined;
    if (table === undefined) {
      await this.sendQueued();
      return this.inner.executeQuery<R>(query);
    }
    if (this.queuedTables.has(table)) await this.sendQueued();
    this.queued.push(query);
    this.queuedTables.add(table);
    return { rows: [] };
  }

  async *streamQuery<R>(query: CompiledQuery, chunkSize: number): AsyncIterableIterator<QueryResult<R>> {
    await this.sendQueued();
    yield* this.inner.streamQuery<R>(query, chunkSize);
  }

  startTransaction(settings: TransactionSettings) {
    this.transaction = { settings, begun: false };
  }

  /** Sends `begin` if it has not been, then the queued writes. What follows runs inside the transaction. */
  async sendQueued(): Promise<void> {
    const transaction = this.transaction;
    if (transaction && !transaction.begun) {
      transaction.begun = true;
      await this.driver.beginTransaction(this.inner, transaction.settings);
    }
    if (this.queued.length > 0) await this.inner.executeQuery(fuse(this.takeQueued()));
  }

  /** Commits: the queued writes alone when nothing else was sent (no `begin` needed), else them and `commit`. */
  async commit(): Promise<void> {
    if (!this.transaction?.begun) {
      this.transaction = undefined;
      const batch = this.takeQueued();
      if (batch.length > 0) await this.inner.executeQuery(fuse(batch));
      return;
    }
    await this.sendQueued(); // should it fail, the transaction is still open: the rollback that follows ends it
    this.transaction = undefined;
    await this.driver.commitTransaction(this.inner);
  }

  /** Drops the queued writes, and sends `rollback` if `begin` was sent. */
  async rollback(): Promise<void> {
    const begun = this.transaction?.begun ?? false;
    this.transaction = undefined;
    this.takeQueued();
    if (begun) await this.driver.rollbackTransaction(this.inner);
  }

  /** Queued writes made since the savepoint that is being rolled back to: they were never sent. */
  dropQueued(): void {
    this.takeQueued();
  }

  private takeQueued() {
    const batch = this.queued;
    this.queued = [];
    this.queuedTables.clear();
    return batch;
  }
}

export class BatchingPostgresDriver implements Driver {
  private readonly inner: PostgresDriver;
  private readonly wrappers = new WeakMap<PostgresConnection, BatchingConnection>();

  constructor(config: PostgresDialectConfig) {
    this.inner = new PostgresDriver(config);
  }

  init() {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const connection = (await this.inner.acquireConnection()) as PostgresConnection;
    let wrapper = this.wrappers.get(connection);
    if (!wrapper) this.wrappers.set(connection, (wrapper = new BatchingConnection(connection, this.inner)));
    return wrapper;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings) {
    (connection as BatchingConnection).startTransaction(settings);
  }

  commitTransaction(connection: DatabaseConnection) {
    return (connection as BatchingConnection).commit();
  }

  rollbackTransaction(connection: DatabaseConnection) {
    return (connection as BatchingConnection).rollback();
  }

  async savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']) {
    const wrapper = connection as BatchingConnection;
    await wrapper.sendQueued();
    await this.inner.savepoint(wrapper.inner, name, compile);
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']) {
    const wrapper = connection as BatchingConnection;
    wrapper.dropQueued();
    await this.inner.rollbackToSavepoint(wrapper.inner, name, compile);
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']) {
    const wrapper = connection as BatchingConnection;
    await wrapper.sendQueued();
    await this.inner.releaseSavepoint(wrapper.inner, name, compile);
  }

  releaseConnection(connection: DatabaseConnection) {
    return this.inner.releaseConnection((connection as BatchingConnection).inner);
  }

  destroy() {
    return this.inner.destroy();
  }
}

/** Kysely's PostgreSQL dialect, with the batching driver. */
export const batchingPostgresDialect = (config: PostgresDialectConfig): Dialect => ({
  createAdapter: () => new PostgresAdapter(),
  createDriver: () => new BatchingPostgresDriver(config),
  createIntrospector: (db) => new PostgresIntrospector(db),
  createQueryCompiler: () => new PostgresQueryCompiler(),
});
