// Wakes workers in other processes when work is queued: PostgreSQL LISTEN/NOTIFY (SQLite has one process).
import { sql } from 'kysely';
import pg from 'pg';
import { sqlDialectOf, type Db } from './db.ts';

const channel = 'cloudplane_operations';

/** The transactions that queued work: their commit is followed by a notification. */
const queuedWork = new WeakSet<Db>();

/**
 * Inside the enqueuing transaction: marks it, and the store notifies once it has committed. Not a pg_notify in the
 * transaction: that takes a database-wide lock at commit, which serialised every create's commit (issue 10).
 */
export function notifyWorkers(db: Db) {
  if (sqlDialectOf(db) === 'postgres') queuedWork.add(db);
}

export const queuedWorkIn = (transaction: Db) => queuedWork.has(transaction);

/**
 * Returns `notify()`: sends one notification on `db`, or, while one is on its way, one more after it, so a burst of
 * commits costs two notifications, not one each. A notification is only a wake-up: workers also poll, so one lost
 * to a crash between a commit and its notification delays that work by a poll interval, never loses it.
 */
export function coalescedNotifier(db: Db): () => void {
  let sending = false;
  let again = false;
  async function send() {
    sending = true;
    do {
      again = false;
      await sql`select pg_notify(${channel}, '')`.execute(db).catch(() => {});
    } while (again);
    sending = false;
  }
  return () => {
    if (sending) again = true;
    else void send();
  };
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
