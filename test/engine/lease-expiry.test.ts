import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { reclaimExpiredLeases } from '../../src/engine/expired-leases.ts';
import { claimNextOperation } from '../../src/store/operations.ts';
import { backends } from '../support/backends.ts';
import { eventually } from '../support/eventually.ts';
import { installScriptedDriver } from '../support/scripted-driver.ts';
import { startServer, type TestServer } from '../support/server.ts';

for (const backend of backends()) {
  describe(`work whose worker died [${backend}]`, () => {
    // An API-only server: the test plays the workers that claim an operation and die.
    let api: TestServer;
    let token = '';
    const base = '/api/v1/teams/leases/resources';
    const get = async (server: TestServer, id: string) => (await server.call('GET', `${base}/${id}`, { token })).body;
    const operations = async (server: TestServer, id: string) =>
      (await server.call('GET', `${base}/${id}/operations`, { token })).body.items;
    const create = async (name: string) =>
      (await api.call('POST', base, { token, body: { kind: 'service', name, spec: { type: 'x' } } })).body.metadata
        .id as string;
    /** Claims the next due operation as a worker that dies at once: its lease is already over. */
    const dieWhileRunning = () => {
      const now = new Date();
      return claimNextOperation(
        api.app.ctx.store.db,
        `worker-that-died-${now.getTime()}`,
        now.toISOString(),
        new Date(now.getTime() - 1).toISOString(),
      );
    };

    before(async () => {
      api = await startServer(backend, {
        engine: { workers: 0, maxAttempts: 3, backoffBaseMs: 10, backoffMaxMs: 10, drivers: { service: 'external' } },
      });
      token = (await api.user('lease-owner')).token;
      await api.call('POST', '/api/v1/teams', { token, body: { name: 'leases' } });
    });
    after(() => api.close());

    test('another worker retries it after a backoff, as one more attempt', async () => {
      const id = await create('survivor');
      assert.equal((await dieWhileRunning())?.resource_id, id);
      const engine = await startServer(backend, {
        database: { ...api.app.ctx.config.database },
        engine: { workers: 1, maxAttempts: 3, backoffBaseMs: 1500, backoffMaxMs: 1500 },
      });
      try {
        const [waiting] = await eventually(
          () => operations(engine, id),
          (items) => items[0].state === 'queued',
          'put back in the queue',
        );
        assert.equal(waiting.attempts, 1);
        assert.match(waiting.lastError, /stopped renewing the lease/);
        assert.ok(Date.parse(waiting.runAfter) - Date.parse(waiting.updatedAt) >= 1500, JSON.stringify(waiting));
        assert.match(
          (await get(engine, id)).status.message,
          /^attempt 1 of 3 failed: its worker stopped renewing the lease.*retrying at/,
        );
        const [done] = await eventually(
          () => operations(engine, id),
          (items) => items[0].state === 'done',
          'run again',
        );
        assert.equal(done.attempts, 2);
        assert.equal((await get(engine, id)).status.observedGeneration, 1);
      } finally {
        await engine.close();
      }
    });

    test('when its workers keep dying, the resource fails once the retry budget is spent', async () => {
      const id = await create('doomed');
      for (let attempt = 1; attempt <= 3; attempt++) {
        await eventually(dieWhileRunning, (claimed) => claimed?.resource_id === id, `claimed for attempt ${attempt}`);
        assert.equal(await reclaimExpiredLeases(api.app.ctx), 1);
      }
      const failed = await get(api, id);
      assert.equal(failed.status.state, 'failed');
      assert.match(failed.status.message, /the worker lease expired repeatedly: 3 attempts/);
      assert.deepEqual(
        (await operations(api, id)).map((o: any) => [o.type, o.state, o.attempts]),
        [['apply', 'failed', 3]],
      );
      assert.equal(await dieWhileRunning(), undefined, 'nothing is left to run');
    });
  });
}

describe('an outcome that cannot be recorded', () => {
  test('a driver reporting a state the kind does not have fails the operation instead of running it again', async () => {
    const server = await startServer('sqlite', { engine: { workers: 1, drivers: { service: 'scripted' } } });
    try {
      installScriptedDriver(server, 'scripted', { apply: async () => ({ state: 'succeeded', message: 'finished' }) });
      const { token } = await server.user('outcome-owner');
      await server.call('POST', '/api/v1/teams', { token, body: { name: 'outcomes' } });
      const created = await server.call('POST', '/api/v1/teams/outcomes/resources', {
        token,
        body: { kind: 'service', name: 's', spec: { type: 'x' } },
      });
      const url = `/api/v1/teams/outcomes/resources/${created.body.metadata.id}`;
      const failed = await eventually(
        async () => (await server.call('GET', url, { token })).body,
        (r) => r.status.state === 'failed',
        'failed',
      );
      assert.match(failed.status.message, /could not be recorded: a service cannot be succeeded/);
      const operations = (await server.call('GET', `${url}/operations`, { token })).body.items;
      assert.deepEqual(
        operations.map((o: any) => [o.state, o.attempts]),
        [['failed', 1]],
      );
    } finally {
      await server.close();
    }
  });
});
