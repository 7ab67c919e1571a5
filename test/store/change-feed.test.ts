import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ChangeFeed } from '../../src/store/change-feed.ts';
import { openStore } from '../../src/store/database.ts';
import type { Store } from '../../src/store/store.ts';
import { appendEvent, type EventRow } from '../../src/store/events.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backends, createPostgresDatabase } from '../support/backends.ts';
import { eventually } from '../support/eventually.ts';

const event = (objectId: string) => ({
  at: new Date().toISOString(),
  actor_id: null,
  team_id: null,
  type: 'test',
  object_kind: 'test',
  object_id: objectId,
  data: '{}',
});

for (const backend of backends()) {
  describe(`change feed [${backend}]`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    before(async () => {
      if (backend === 'postgres') {
        const database = await createPostgresDatabase();
        store = await openStore({ url: database.url, sqlitePath: '', poolSize: 5 });
        cleanup = database.drop;
      } else {
        const dir = await mkdtemp(join(tmpdir(), 'cloudplane-feed-'));
        store = await openStore({ url: '', sqlitePath: join(dir, 'db.sqlite'), poolSize: 1 });
        cleanup = () => rm(dir, { recursive: true, force: true });
      }
    });
    after(async () => {
      await store.close();
      await cleanup();
    });

    const collect = async (feed: ChangeFeed, count: number) => {
      const received: EventRow[] = [];
      let done: () => void;
      const finished = new Promise<void>((resolve) => (done = resolve));
      const unsubscribe = await feed.subscribe((row) => {
        received.push(row);
        if (received.length === count) done();
      });
      return { received, finished, unsubscribe };
    };

    test('events written after subscribing arrive once, in order, also from another writer', async () => {
      const feed = new ChangeFeed(store.db, { pollIntervalMs: 20, gapTimeoutMs: 200 });
      const { received, finished, unsubscribe } = await collect(feed, 5);
      for (let i = 0; i < 5; i++) await appendEvent(store.db, event(`e${i}`));
      await finished; // no poke: found by polling, as a write from another process would be
      assert.deepEqual(
        received.map((r) => r.object_id),
        ['e0', 'e1', 'e2', 'e3', 'e4'],
      );
      unsubscribe();
    });

    test('a gap left by a rolled-back transaction is waited for, then passed', async () => {
      const feed = new ChangeFeed(store.db, { pollIntervalMs: 20, gapTimeoutMs: 200 });
      const { received, finished, unsubscribe } = await collect(feed, 2);
      await appendEvent(store.db, event('before-gap'));
      await store.db
        .transaction()
        .execute(async (trx) => {
          await appendEvent(trx, event('rolled-back'));
          throw new Error('roll back');
        })
        .catch(() => {});
      await appendEvent(store.db, event('after-gap'));
      await finished;
      assert.deepEqual(
        received.map((r) => r.object_id),
        ['before-gap', 'after-gap'],
      );
      unsubscribe();
    });

    test('a poll hands each subscriber all its events in one call, the same array for all', async () => {
      // No timer poll during the test: only the pokes below look for events.
      const feed = new ChangeFeed(store.db, { pollIntervalMs: 60_000, gapTimeoutMs: 200 });
      const seen: (readonly EventRow[])[][] = [[], []];
      const stops = await Promise.all(seen.map((mine) => feed.subscribeBatches((events) => mine.push(events))));
      for (let i = 0; i < 5; i++) await appendEvent(store.db, event(`batched-${i}`));
      feed.poke();
      feed.poke();
      await eventually(
        async () => seen,
        (s) => s.every((mine) => mine.length > 0),
        'a batch for each subscriber',
      );
      for (const mine of seen) {
        assert.equal(mine.length, 1);
        assert.deepEqual(
          mine[0].map((r) => r.object_id),
          ['batched-0', 'batched-1', 'batched-2', 'batched-3', 'batched-4'],
        );
      }
      assert.equal(seen[0][0], seen[1][0]);
      stops.forEach((stop) => stop());
    });
  });
}
