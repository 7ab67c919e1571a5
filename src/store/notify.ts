// Wakes workers in other processes when work is queued: PostgreSQL LISTEN/NOTIFY (SQLite has one process).
import { sql } from 'kysely';
import pg from 'pg';
import { sqlDialectOf, type Db } from './db.ts';

const channel = 'cloudplane_operations';

/** Inside the enqueuing transaction: delivered to listeners only if it commits. */
export async function notifyWorkers(db: Db) {
  if (sqlDialectOf(db) === 'postgres') await sql`select pg_notify(${channel}, '')`.execute(db);
}

/** A dedicated connection that calls `wake` on every notification; returns a function that closes it. */
export async function listenForWork(url: string, wake: () => void): Promise<() => Promise<void>> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {}); // workers also poll, so a lost listener only delays them
  await client.connect();
  client.on('notification', wake);
  await client.query(`listen ${channel}`);
  return () => client.end();
}
