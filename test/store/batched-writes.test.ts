// A change's blind writes (resource, labels, usage, operation, event): atomic and visible to the change's own reads
// on both databases; on PostgreSQL sent together as one statement, with no begin and commit when nothing else ran.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { openStore } from '../../src/store/database.ts';
import { isUniqueViolation } from '../../src/store/errors.ts';
import { appendEvent } from '../../src/store/events.ts';
import { enqueueOperation } from '../../src/store/outbox.ts';
import { findResource, insertResource, type ResourceRow } from '../../src/store/resources.ts';
import { insertTeam } from '../../src/store/teams.ts';
import { listTeamUsage } from '../../src/store/usage.ts';
import type { Store } from '../../src/store/store.ts';
import { newId, nowIso } from '../../src/lib/ids.ts';
import { backends, createPostgresDatabase } from '../support/backends.ts';

/** The SQL each pg client sends while `work` runs: what reached PostgreSQL, statement by statement. */
async function sentTo<T>(work: () => Promise<T>): Promise<{ result: T; sent: string[] }> {
  const sent: string[] = [];
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string }).text;
    sent.push(String(text).trim().split(/\s+/).slice(0, 3).join(' '));
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof query;
  try {
    return { result: await work(), sent };
  } finally {
    pg.Client.prototype.query = query;
  }
}

for (const backend of backends()) {
  describe(`a change's batched writes [${backend}]`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    const teamId = newId();

    before(async () => {
      if (backend === 'postgres') {
        const database = await createPostgresDatabase();
        store = await openStore({ url: database.url, sqlitePath: '', poolSize: 3 });
        cleanup = database.drop;
      } else {
        const dir = await mkdtemp(join(tmpdir(), 'cloudplane-batched-'));
        store = await openStore({ url: '', sqlitePath: join(dir, 'db.sqlite'), poolSize: 1 });
        cleanup = () => rm(dir, { recursive: true, force: true });
      }
      const at = nowIso();
      await insertTeam(store.db, {
        id: teamId,
        name: 'batched',
        description: '',
        created_at: at,
        updated_at: at,
        deletion_requested_at: null,
        quotas: '{}',
      });
    });
    after(async () => {
      await store.close();
      await cleanup();
    });

    const resourceRow = (name: string, labels: Record<string, string> = {}): ResourceRow => {
      const at = nowIso();
      return {
        id: newId(),
        team_id: teamId,
        namespace_id: null,
        kind: 'cluster',
        name,
        parent_id: null,
        labels: JSON.stringify(labels),
        spec: '{}',
        state: 'pending',
        status: '{}',
        generation: 1,
        resource_version: 1,
        created_by: null,
        created_at: at,
        updated_at: at,
        deletion_requested_at: null,
        driver: 'local',
        usage_cpus: 2,
        usage_memory_mib: 512,
      };
    };
    const eventFor = (row: ResourceRow, type = 'resource.created') => ({
      at: row.created_at,
      actor_id: null,
      team_id: teamId,
      type,
      object_kind: 'cluster',
      object_id: row.id,
      data: JSON.stringify({ name: row.name }),
    });
    /** What a create writes, in the order createResource writes it. */
    const create = async (db: Store['db'], row: ResourceRow) => {
      await insertResource(db, row);
      await enqueueOperation(db, row, 'apply');
      await appendEvent(db, eventFor(row));
    };
    const count = async (table: 'operations' | 'events' | 'resource_labels', objectId: string) => {
      const column = table === 'events' ? 'object_id' : 'resource_id';
      const rows = await store.db.selectFrom(table).select(column).where(column, '=', objectId).execute();
      return rows.length;
    };
    const usage = async () => (await listTeamUsage(store.db, teamId)).find((row) => row.kind === 'cluster');

    test('a create writes its resource, labels, usage, operation and event together (on PostgreSQL: one statement)', async () => {
      const row = resourceRow('one', { env: 'prod', tier: 'web' });
      const before = await usage();
      const { sent } = await sentTo(() => store.transaction((db) => create(db, row)));
      if (backend === 'postgres') {
        assert.equal(sent.length, 1, `sent: ${sent.join(' | ')}`);
        assert.match(sent[0], /^with w0 as/);
      }
      assert.ok(await findResource(store.db, teamId, row.id));
      assert.equal(await count('resource_labels', row.id), 2);
      assert.equal(await count('operations', row.id), 1);
      assert.equal(await count('events', row.id), 1);
      assert.deepEqual(await usage(), {
        kind: 'cluster',
        resources: (before?.resources ?? 0) + 1,
        cpus: (before?.cpus ?? 0) + 2,
        memory_mib: (before?.memory_mib ?? 0) + 512,
      });
    });

    test("a read inside the change sees the change's own writes made before it", async () => {
      const row = resourceRow('read-back');
      const { result, sent } = await sentTo(() =>
        store.transaction(async (db) => {
          await create(db, row);
          return findResource(db, teamId, row.id);
        }),
      );
      assert.equal(result?.name, 'read-back');
      if (backend === 'postgres')
        assert.deepEqual(
          sent.map((text) => text.split(' ')[0]),
          ['begin', 'with', 'select', 'commit'],
        );
      assert.equal(await count('events', row.id), 1);
    });

    test('a write that fails in a batch leaves none of the batch, and is a unique violation (a 409 upstream)', async () => {
      const first = resourceRow('taken');
      await store.transaction((db) => create(db, first));
      const before = await usage();
      const again = { ...resourceRow('taken-again'), id: first.id }; // the same id: its primary key is taken
      const failure = await store
        .transaction((db) => create(db, again))
        .then(
          () => assert.fail('a duplicate id must not commit'),
          (error: unknown) => error,
        );
      assert.ok(isUniqueViolation(failure), String(failure));
      assert.equal(await count('operations', first.id), 1, 'the failed batch wrote no operation');
      assert.equal(await count('events', first.id), 1, 'the failed batch wrote no event');
      assert.deepEqual(await usage(), before, 'the failed batch counted nothing');
      // The same once `begin` was sent (a read came first): the batch fails at the commit, and is rolled back.
      const afterRead = { ...resourceRow('taken-after-read'), id: first.id };
      const failureAfterRead = await store
        .transaction(async (db) => {
          await findResource(db, teamId, first.id);
          await create(db, afterRead);
        })
        .then(
          () => assert.fail('a duplicate id must not commit'),
          (error: unknown) => error,
        );
      assert.ok(isUniqueViolation(failureAfterRead), String(failureAfterRead));
      assert.equal(await count('events', first.id), 1, 'the failed batch wrote no event');
      assert.deepEqual(await usage(), before, 'the failed batch counted nothing');
      // The connections they ran on are clean: the next changes on them commit.
      const next = resourceRow('after-failure');
      await store.transaction((db) => create(db, next));
      assert.equal(await count('events', next.id), 1);
    });

    test('a change that throws after its writes writes nothing (on PostgreSQL: nothing is sent)', async () => {
      const row = resourceRow('thrown');
      const { sent } = await sentTo(() =>
        store
          .transaction(async (db) => {
            await create(db, row);
            throw new Error('refused');
          })
          .catch((error: Error) => error.message),
      );
      if (backend === 'postgres') assert.deepEqual(sent, []);
      assert.equal(await findResource(store.db, teamId, row.id), undefined);
      assert.equal(await count('events', row.id), 0);
      assert.equal(await count('operations', row.id), 0);
    });

    test('two writes to one table in a change are both written, in the order they were made', async () => {
      const row = resourceRow('two-events');
      await store.transaction(async (db) => {
        await create(db, row);
        await appendEvent(db, eventFor(row, 'resource.status'));
      });
      const events = await store.db
        .selectFrom('events')
        .select(['id', 'type'])
        .where('object_id', '=', row.id)
        .orderBy('id')
        .execute();
      assert.deepEqual(
        events.map((event) => event.type),
        ['resource.created', 'resource.status'],
      );
    });
  });
}
