// A stack's state and message are read from its servers': they follow each server that joins, changes or goes.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { backends } from '../support/backends.ts';
import { eventually } from '../support/eventually.ts';
import { startServer, type TestServer } from '../support/server.ts';

for (const backend of backends()) {
  describe(`stack status [${backend}]`, () => {
    let server: TestServer;
    let token = '';
    const base = '/api/v1/teams/racks/resources';
    const status = async (id: string) => (await server.call('GET', `${base}/${id}`, { token })).body.status;
    const until = (id: string, state: string, message: string) =>
      eventually(
        () => status(id),
        (s) => s.state === state && s.message === message,
        `${id} ${state}: ${message}`,
      );
    const create = async (body: unknown) => {
      const response = await server.call('POST', base, { token, body });
      assert.equal(response.status, 201, response.text);
      return response.body.metadata.id as string;
    };

    before(async () => {
      // No reconcile sweep in the test's time: only the servers' own changes may move the stack.
      server = await startServer(backend, { engine: { workers: 2, reconcileSeconds: 3600 } });
      token = (await server.user('rack-owner')).token;
      await server.call('POST', '/api/v1/teams', { token, body: { name: 'racks' } });
    });
    after(() => server.close());

    test('a server joining a stack, stopping and leaving it moves the stack with it', async () => {
      const stack = await create({ kind: 'stack', name: 'rack1', spec: {} });
      await until(stack, 'active', 'no servers');
      const web = await create({
        kind: 'server',
        name: 'web',
        parent: stack,
        spec: { command: ['sleep', 'infinity'] },
      });
      await eventually(
        () => status(web),
        (s) => s.state === 'active',
        'web active',
      );
      await until(stack, 'active', '1 of 1 servers active');
      assert.equal((await server.call('POST', `${base}/${web}/actions/stop`, { token })).status, 202);
      await until(stack, 'stopped', '1 of 1 servers stopped');
      assert.equal((await server.call('DELETE', `${base}/${web}`, { token })).status, 202);
      await until(stack, 'active', 'no servers');
    });
  });
}
