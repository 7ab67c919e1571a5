// Store transactions: concurrent changes each commit or roll back on their own (SQLite groups them into one commit).
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { openStore } from '../../src/store/database.ts';
import { listenForWork, notifyWorkers } from '../../src/store/notify.ts';
import type { Store } from '../../src/store/store.ts';
import { backends, createPostgresDatabase } from '../support/backends.ts';
import { eventually } from '../support/eventually.ts';

for (const backend of backends()) {
  describe(`store transactions [${backend}]`, () => {
    let store: Store;
    let reopen: () => Promise<Store>;
    let cleanup: () => Promise<void>;
    let url = '';

    before(async () => {
      if (backend === 'postgres') {
        const database = await createPostgresDatabase();
        url = database.url;
        reopen = () => openStore({ url: database.url, sqlitePath: '', poolSize: 5 });
        cleanup = database.drop;
      } else {
        const dir = await mkdtemp(join(tmpdir(), 'cloudplane-trx-'));
        reopen = () => openStore({ url: '', sqlitePath: join(dir, 'db.sqlite'), poolSize: 1 });
        cleanup = () => rm(dir, { recursive: true, force: true });
      }
      store = await reopen();
      await sql`create table things (name text primary key, batch text not null)`.execute(store.db);
    });
    after(async () => {
      await store.close();
      await cleanup();
    });

    const insert = (batch: string, name: string) => (db: Store['db']) =>
      sql`insert into things (name, batch) values (${name}, ${batch})`.execute(db);
    const namesIn = async (reader: Store, batch: string) =>
      (
        await sql<{ name: string }>`select name from things where batch = ${batch} order by name`.execute(reader.db)
      ).rows.map((r) => r.name);

    test('concurrent changes all commit, each answered with its own result, and survive a reopen', async () => {
      const names = Array.from({ length: 40 }, (_, i) => `all-${String(i).padStart(2, '0')}`);
      const results = await Promise.all(
        names.map((name) => store.transaction(async (db) => (await insert('all', name)(db), name.toUpperCase()))),
      );
      assert.deepEqual(
        results,
        names.map((n) => n.toUpperCase()),
      );
      const fresh = await reopen();
      try {
        assert.deepEqual(await namesIn(fresh, 'all'), names);
      } finally {
        await fresh.close();
      }
    });

    test('a change that throws rolls back alone; the changes around it commit', async () => {
      const outcomes = await Promise.allSettled(
        Array.from({ length: 30 }, (_, i) =>
          store.transaction(async (db) => {
            await insert('mixed', `mixed-${String(i).padStart(2, '0')}`)(db);
            if (i % 3 === 0) throw new Error(`change ${i} refused`);
            return i;
          }),
        ),
      );
      outcomes.forEach((outcome, i) => {
        if (i % 3 === 0)
          assert.equal(outcome.status === 'rejected' && (outcome.reason as Error).message, `change ${i} refused`);
        else assert.deepEqual(outcome, { status: 'fulfilled', value: i });
      });
      const kept = Array.from({ length: 30 }, (_, i) => i)
        .filter((i) => i % 3 !== 0)
        .map((i) => `mixed-${String(i).padStart(2, '0')}`);
      assert.deepEqual(await namesIn(store, 'mixed'), kept);
    });

    test('a change that breaks a constraint fails alone, even next to the change it collides with', async () => {
      const [first, second, third] = await Promise.allSettled([
        store.transaction(insert('dup', 'dup-a')),
        store.transaction(insert('dup', 'dup-a')),
        store.transaction(insert('dup', 'dup-b')),
      ]);
      // Which of the two colliding changes wins is up to the database; exactly one does.
      assert.deepEqual([first.status, second.status].sort(), ['fulfilled', 'rejected']);
      assert.equal(third.status, 'fulfilled');
      assert.deepEqual(await namesIn(store, 'dup'), ['dup-a', 'dup-b']);
    });

    test('a change reads its own writes before it commits', async () => {
      const seen = await store.transaction(async (db) => {
        await insert('own', 'own-1')(db);
        await insert('own', 'own-2')(db);
        return (await sql<{ n: number }>`select count(*) as n from things where batch = 'own'`.execute(db)).rows[0].n;
      });
      assert.equal(Number(seen), 2);
    });
    test(
      'workers in other processes are notified after a commit that queued work, not before and not on a rollback',
      {
        skip: backend !== 'postgres' && 'LISTEN/NOTIFY is PostgreSQL only',
      },
      async () => {
        let notifications = 0;
        const stopListening = await listenForWork(url, () => notifications++);
        try {
          await store.transaction(insert('quiet', 'no-work'));
          const rolledBack = store.transaction(async (db) => {
            notifyWorkers(db);
            throw new Error('rolled back');
          });
          await assert.rejects(rolledBack, /rolled back/);
          let seenBeforeCommit = -1;
          await store.transaction(async (db) => {
            await insert('notified', 'queued')(db);
            notifyWorkers(db);
            await new Promise((resolve) => setTimeout(resolve, 200));
            seenBeforeCommit = notifications;
          });
          assert.equal(
            seenBeforeCommit,
            0,
            'nothing is sent before the commit, nor for the rollback or the quiet change',
          );
          await eventually(
            async () => notifications,
            (n) => n >= 1,
            'a notification after the commit',
          );
          await new Promise((resolve) => setTimeout(resolve, 200));
          assert.equal(notifications, 1, 'one commit that queued work, one notification');
        } finally {
          await stopListening();
        }
      },
    );
  });
}
