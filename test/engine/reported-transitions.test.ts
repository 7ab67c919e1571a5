import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { backends } from '../support/backends.ts';
import { eventually } from '../support/eventually.ts';
import { startServer, type TestServer } from '../support/server.ts';

for (const backend of backends()) {
  describe(`agents report only moves the lifecycle allows [${backend}]`, () => {
    // An API process and a worker process on one database: stopping the worker holds a deletion open.
    let server: TestServer;
    let worker: TestServer | undefined;
    let token = '';
    let agent = '';
    const base = '/api/v1/teams/moves/resources';

    before(async () => {
      server = await startServer(backend, {
        engine: { workers: 0, drivers: { service: 'external', job: 'external' } },
      });
      worker = await startServer(backend, { database: { ...server.app.ctx.config.database }, engine: { workers: 1 } });
      token = (await server.user('moves-owner')).token;
      await server.call('POST', '/api/v1/teams', { token, body: { name: 'moves' } });
      agent = (await server.call('POST', '/api/v1/tokens', { token, body: { name: 'agent', scopes: ['agent'] } })).body
        .token;
    });
    after(async () => {
      await worker?.close();
      await server.close();
    });

    const get = async (id: string) => (await server.call('GET', `${base}/${id}`, { token })).body;
    const report = (id: string, state: string) =>
      server.call('POST', `${base}/${id}/status`, { token: agent, body: { state } });
    const create = async (kind: string, name: string, spec: unknown) => {
      const id = (await server.call('POST', base, { token, body: { kind, name, spec } })).body.metadata.id as string;
      await eventually(
        () => get(id),
        (r) => r.status.observedGeneration >= 1,
        'applied by the engine',
      );
      return id;
    };

    test('a report that skips no request is taken; one that would is a 409 naming the state and what may follow', async () => {
      const id = await create('service', 'svc', { type: 'x' });
      const deleted = await report(id, 'deleted');
      assert.equal(deleted.status, 409);
      assert.equal(deleted.body.state, 'pending');
      assert.deepEqual(deleted.body.allowedStates, ['pending', 'provisioning', 'active', 'stopped', 'failed']);
      assert.match(
        deleted.body.detail,
        /a service that is pending cannot become deleted; allowed next: pending, provisioning/,
      );
      assert.equal((await get(id)).status.state, 'pending');
      assert.equal((await report(id, 'active')).status, 200);
      assert.equal((await report(id, 'active')).status, 200, 'the same state again only updates the message');
      const back = await report(id, 'pending');
      assert.equal(back.status, 409);
      assert.ok(!back.body.allowedStates.includes('pending'));
      const service = (await server.call('GET', '/api/v1/kinds', { token })).body.find(
        (k: { name: string }) => k.name === 'service',
      );
      assert.deepEqual(
        service.reportedTransitions.pending,
        deleted.body.allowedStates,
        'GET /kinds publishes the same table',
      );
      assert.deepEqual(service.reportedTransitions.active, back.body.allowedStates);
    });

    test('a finished job runs again only after a restart, which makes it pending', async () => {
      const id = await create('job', 'batch', { cmd: 'true' });
      assert.equal((await report(id, 'active')).status, 200);
      assert.equal((await report(id, 'succeeded')).status, 200);
      const rerun = await report(id, 'active');
      assert.equal(rerun.status, 409);
      assert.deepEqual([rerun.body.state, rerun.body.allowedStates], ['succeeded', ['succeeded']]);
      assert.equal((await server.call('POST', `${base}/${id}/actions/restart`, { token })).status, 202);
      const restarted = await eventually(
        () => get(id),
        (r) => r.status.state === 'pending',
        'pending again',
      );
      assert.match(restarted.status.message, /restart requested/);
      assert.equal((await report(id, 'active')).status, 200);
    });

    test('once its deletion is requested, a resource only becomes deleted or failed, even after failing', async () => {
      const id = await create('service', 'going', { type: 'x' });
      await report(id, 'active');
      await worker!.close();
      worker = undefined;
      assert.equal((await server.call('DELETE', `${base}/${id}`, { token })).status, 202);
      assert.equal((await report(id, 'failed')).status, 200);
      const revived = await report(id, 'active');
      assert.equal(revived.status, 409);
      assert.match(
        revived.body.detail,
        /that is failed \(its deletion was requested\) cannot become active; allowed next: deleting, deleted, failed/,
      );
      assert.equal((await report(id, 'deleted')).status, 200);
      const after = await report(id, 'deleted');
      assert.deepEqual([after.status, after.body.allowedStates], [409, []]);
    });
  });
}
