import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { backends } from '../support/backends.ts';
import { eventually } from '../support/eventually.ts';
import { installScriptedDriver } from '../support/scripted-driver.ts';
import { startServer, type TestServer } from '../support/server.ts';

for (const backend of backends()) {
  describe(`deleting a team or namespace whose resource cannot be deleted [${backend}]`, () => {
    let server: TestServer;
    let token = '';
    // The scripted driver cannot detach a server's disk until a test says it can.
    let detachable = false;

    before(async () => {
      server = await startServer(backend, {
        engine: {
          workers: 2,
          maxAttempts: 2,
          backoffBaseMs: 10,
          backoffMaxMs: 20,
          drivers: { server: 'scripted', stack: 'scripted' },
        },
      });
      installScriptedDriver(server, 'scripted', {
        remove: async (resource) => {
          if (resource.kind === 'server' && !detachable) throw new Error('the disk will not detach');
        },
      });
      token = (await server.user('stuck-owner')).token;
    });
    after(() => server.close());

    const create = async (team: string, body: Record<string, unknown>) => {
      const base = `/api/v1/teams/${team}/resources`;
      const id = (await server.call('POST', base, { token, body })).body.metadata.id as string;
      await eventually(
        () => server.call('GET', `${base}/${id}`, { token }),
        (r) => r.body.status.state === 'active',
        `${body.name} active`,
      );
      return id;
    };
    const blockedView = (path: string) =>
      eventually(
        () => server.call('GET', path, { token }),
        (r) => r.body.deletionBlockedBy?.length > 0,
        `${path} blocked`,
      );

    test('the team names the resource that holds it up, with its message and since when; a new DELETE retries it', async () => {
      detachable = false;
      await server.call('POST', '/api/v1/teams', { token, body: { name: 'stuck' } });
      const vm = await create('stuck', { kind: 'server', name: 'vm' });
      assert.equal((await server.call('DELETE', '/api/v1/teams/stuck', { token })).status, 204);

      const team = (await blockedView('/api/v1/teams/stuck')).body;
      assert.equal(team.deletionBlockedBy.length, 1);
      const [blocker] = team.deletionBlockedBy;
      assert.deepEqual([blocker.id, blocker.kind, blocker.name, blocker.state], [vm, 'server', 'vm', 'failed']);
      assert.match(blocker.message, /the disk will not detach/);
      assert.ok(blocker.since >= team.deletionRequestedAt, JSON.stringify(team));
      const listed = (await server.call('GET', '/api/v1/teams', { token })).body.items.find(
        (t: any) => t.name === 'stuck',
      );
      assert.deepEqual(listed.deletionBlockedBy, team.deletionBlockedBy);
      const events = (await server.call('GET', '/api/v1/events?team=stuck&limit=5000', { token })).body.items;
      const announced = events.find((e: any) => e.type === 'team.deletion-blocked');
      assert.equal(announced?.data.blockedBy.id, vm, JSON.stringify(events.map((e: any) => e.type)));

      detachable = true;
      assert.equal((await server.call('DELETE', '/api/v1/teams/stuck', { token })).status, 204);
      await eventually(
        () => server.call('GET', '/api/v1/teams/stuck', { token }),
        (r) => r.status === 404,
        'team removed',
      );
    });

    test('a namespace too, and the stack waiting for the server says why it waits', async () => {
      detachable = false;
      await server.call('POST', '/api/v1/teams', { token, body: { name: 'kept' } });
      await server.call('POST', '/api/v1/teams/kept/namespaces', { token, body: { name: 'doomed' } });
      const rack = await create('kept', { kind: 'stack', name: 'rack', namespace: 'doomed' });
      const vm = await create('kept', { kind: 'server', name: 'vm', namespace: 'doomed', parent: rack });
      const other = await create('kept', { kind: 'server', name: 'elsewhere' });
      assert.equal((await server.call('DELETE', '/api/v1/teams/kept/namespaces/doomed', { token })).status, 204);

      const namespace = (await blockedView('/api/v1/teams/kept/namespaces/doomed')).body;
      assert.deepEqual(
        namespace.deletionBlockedBy.map((b: any) => [b.id, b.state]),
        [[vm, 'failed']],
      );
      const stack = await eventually(
        async () => (await server.call('GET', `/api/v1/teams/kept/resources/${rack}`, { token })).body,
        (r) => /failed: the disk will not detach/.test(r.status.message),
        'stack says why it waits',
      );
      assert.match(
        stack.status.message,
        /waiting for its children to be deleted: server vm \(failed: the disk will not detach\) \(since /,
      );
      assert.equal(
        (await server.call('GET', '/api/v1/teams/kept', { token })).body.deletionBlockedBy,
        undefined,
        'the team is not being deleted',
      );

      detachable = true;
      assert.equal((await server.call('DELETE', '/api/v1/teams/kept/namespaces/doomed', { token })).status, 204);
      await eventually(
        () => server.call('GET', '/api/v1/teams/kept/namespaces/doomed', { token }),
        (r) => r.status === 404,
        'namespace removed',
      );
      // What the namespace held went with it; the rest of the team stays.
      const found = async (id: string) =>
        (await server.call('GET', `/api/v1/teams/kept/resources/${id}`, { token })).status;
      assert.deepEqual([await found(vm), await found(rack), await found(other)], [404, 404, 200]);
    });
  });
}
