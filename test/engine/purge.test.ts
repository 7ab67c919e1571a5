import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { purgeDeletedResources } from '../../src/engine/purge.ts';
import { backends } from '../support/backends.ts';
import { eventually } from '../support/eventually.ts';
import { startServer, type TestServer } from '../support/server.ts';

for (const backend of backends()) {
  describe(`deleted resources are purged after the retention [${backend}]`, () => {
    let server: TestServer;
    let token = '';
    const base = '/api/v1/teams/purge/resources';
    /** engine.purgeDeletedAfterSeconds, set on the running server: the sweep reads it each time. */
    const retainFor = (seconds: number) => {
      (server.app.ctx.config.engine as { purgeDeletedAfterSeconds?: number }).purgeDeletedAfterSeconds = seconds;
    };
    const rowsOf = async (id: string) => {
      const db = server.app.ctx.store.db;
      const operations = await db.selectFrom('operations').select('id').where('resource_id', '=', id).execute();
      const labels = await db.selectFrom('resource_labels').select('key').where('resource_id', '=', id).execute();
      return { operations: operations.length, labels: labels.length };
    };

    before(async () => {
      server = await startServer(backend, {
        engine: { workers: 1, reconcileSeconds: 1, drivers: { service: 'external' } },
      });
      retainFor(3600);
      token = (await server.user('purge-owner')).token;
      await server.call('POST', '/api/v1/teams', { token, body: { name: 'purge' } });
    });
    after(() => server.close());

    test('a deleted resource stays readable within the retention, then goes with its operations and labels', async () => {
      const create = async (name: string) =>
        (
          await server.call('POST', base, {
            token,
            body: { kind: 'service', name, labels: { tier: 'web' }, spec: { type: 'x' } },
          })
        ).body.metadata.id as string;
      const get = (id: string) => server.call('GET', `${base}/${id}`, { token });
      const [gone, kept] = [await create('gone'), await create('kept')];
      for (const id of [gone, kept])
        await eventually(
          () => get(id),
          (r) => r.body.status.observedGeneration === 1,
          'applied',
        );
      await server.call('DELETE', `${base}/${gone}`, { token });
      await eventually(
        () => get(gone),
        (r) => r.body.status.state === 'deleted',
        'deleted',
      );

      assert.equal(await purgeDeletedResources(server.app.ctx, 3600), 0);
      assert.equal((await get(gone)).status, 200, 'kept within the retention');
      assert.deepEqual(await rowsOf(gone), { operations: 2, labels: 1 });

      retainFor(1);
      await eventually(
        () => get(gone),
        (r) => r.status === 404,
        'purged by the engine sweep',
      );
      assert.deepEqual(await rowsOf(gone), { operations: 0, labels: 0 });
      const listed = (await server.call('GET', `${base}?includeDeleted=true&labelSelector=tier%3Dweb`, { token })).body
        .items;
      assert.deepEqual(
        listed.map((r: any) => r.metadata.name),
        ['kept'],
      );
      assert.equal((await get(kept)).body.status.state, 'pending');
      assert.deepEqual(await rowsOf(kept), { operations: 1, labels: 1 });
    });
  });
}
