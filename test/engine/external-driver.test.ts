import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { backends } from '../support/backends.ts';
import { eventually } from '../support/eventually.ts';
import { startServer, type TestServer } from '../support/server.ts';

for (const backend of backends()) {
  describe(`external driver: agents report status [${backend}]`, () => {
    let server: TestServer;
    let token = '';
    let agent = '';
    const base = '/api/v1/teams/agents/resources';

    before(async () => {
      server = await startServer(backend, {
        engine: {
          workers: 2,
          drivers: {
            service: 'external',
            server: 'external',
            stack: 'external',
            cluster: 'external',
            application: 'external',
            job: 'missing',
          },
        },
      });
      token = (await server.user('agent-owner')).token;
      await server.call('POST', '/api/v1/teams', { token, body: { name: 'agents' } });
      agent = (await server.call('POST', '/api/v1/tokens', { token, body: { name: 'agent', scopes: ['agent'] } })).body
        .token;
    });
    after(() => server.close());

    const get = async (id: string) => (await server.call('GET', `${base}/${id}`, { token })).body;
    const observed = (id: string) =>
      eventually(
        () => get(id),
        (r) => r.status.observedGeneration >= 1,
        'applied by the engine',
      );
    const report = (id: string, body: unknown, as = agent) =>
      server.call('POST', `${base}/${id}/status`, { token: as, body });
    const create = async (kind: string, name: string, spec: unknown = {}, extra: object = {}) =>
      (await server.call('POST', base, { token, body: { kind, name, spec, ...extra } })).body;

    test('a new resource waits for its agent, which then reports it active', async () => {
      const service = await create('service', 'lambda-1', { type: 'flink' });
      const applied = await observed(service.metadata.id);
      assert.equal(applied.status.state, 'pending');
      assert.match(applied.status.message, /waiting for its agent/);
      const operations = await server.call('GET', `${base}/${service.metadata.id}/operations`, { token });
      assert.deepEqual(
        operations.body.items.map((o: any) => [o.type, o.state, o.attempts]),
        [['apply', 'done', 1]],
      );
      const reported = await report(service.metadata.id, {
        state: 'active',
        message: 'FLINK_INSTALLED',
        details: { master: '10.0.0.1' },
      });
      assert.equal(reported.status, 200);
      assert.equal(reported.body.status.state, 'active');
      assert.equal(reported.body.status.details.master, '10.0.0.1');
      const events = await server.call('GET', '/api/v1/events?team=agents&limit=5000', { token });
      assert.ok(
        events.body.items.some(
          (e: any) => e.type === 'resource.status' && e.object.id === service.metadata.id && e.data.state === 'active',
        ),
      );
    });

    test('an agent token may report status and nothing else', async () => {
      const service = await create('service', 'lambda-2', { type: 'flink' });
      assert.equal((await server.call('GET', base, { token: agent })).status, 403);
      assert.equal((await server.call('POST', base, { token: agent, body: { kind: 'stack', name: 'x' } })).status, 403);
      assert.equal(
        (await report(service.metadata.id, { state: 'failed', message: 'CLUSTER_FAILED' })).body.status.message,
        'CLUSTER_FAILED',
      );
    });

    test('reports are checked against the kind and against deletion', async () => {
      const service = await create('service', 'lambda-3', { type: 'flink' });
      assert.equal((await report(service.metadata.id, { state: 'succeeded' })).status, 400);
      await observed(service.metadata.id);
      await report(service.metadata.id, { state: 'active' });
      const deleting = await server.call('DELETE', `${base}/${service.metadata.id}`, { token });
      assert.equal(deleting.body.status.state, 'deleting');
      assert.equal((await report(service.metadata.id, { state: 'active' })).status, 409);
      await report(service.metadata.id, { state: 'deleted', message: 'DESTROYED' });
      assert.equal((await get(service.metadata.id)).status.state, 'deleted');
      assert.equal((await report(service.metadata.id, { state: 'active' })).status, 409);
    });

    test('resources of other drivers do not take reports', async () => {
      const other = await server.call('POST', '/api/v1/teams', { token, body: { name: 'agents-local' } });
      assert.equal(other.status, 201);
      const job = (
        await server.call('POST', '/api/v1/teams/agents-local/resources', {
          token,
          body: { kind: 'job', name: 'j', spec: { cmd: 'true' } },
        })
      ).body;
      assert.equal(
        (
          await server.call('POST', `/api/v1/teams/agents-local/resources/${job.metadata.id}/status`, {
            token: agent,
            body: { state: 'active' },
          })
        ).status,
        409,
      );
    });

    test('a resource whose driver this deployment lacks fails at once with that reason', async () => {
      const job = await create('job', 'no-driver', { cmd: 'true' });
      const failed = await eventually(
        () => get(job.metadata.id),
        (r) => r.status.state === 'failed',
        'failed',
      );
      assert.match(failed.status.message, /driver "missing" is not available/);
    });

    test('every action is accepted exactly in the states its kind allows', async () => {
      const kinds = (await server.call('GET', '/api/v1/kinds', { token })).body;
      const cluster = await create('cluster', 'for-actions', { nodePoolSize: 1 });
      for (const kind of kinds.filter((k: any) =>
        ['server', 'stack', 'service', 'application', 'cluster'].includes(k.name),
      )) {
        for (const state of kind.states.filter((s: string) => !['pending', 'deleting', 'deleted'].includes(s))) {
          const spec =
            kind.name === 'service'
              ? { type: 'x' }
              : kind.name === 'application'
                ? { chart: 'c' }
                : kind.name === 'cluster'
                  ? { nodePoolSize: 1 }
                  : {};
          const extra = kind.name === 'application' ? { parent: cluster.metadata.id } : {};
          const resource = await create(kind.name, `${kind.name}-${state}`, spec, extra);
          await observed(resource.metadata.id);
          assert.equal((await report(resource.metadata.id, { state })).status, 200, `${kind.name} -> ${state}`);
          for (const action of ['start', 'stop', 'suspend', 'resume', 'restart']) {
            const allowed = (kind.actions[action] ?? []).includes(state);
            const response = await server.call('POST', `${base}/${resource.metadata.id}/actions/${action}`, { token });
            assert.equal(response.status, allowed ? 202 : 409, `${action} on a ${state} ${kind.name}`);
            if (!allowed) assert.ok(Array.isArray(response.body.allowedActions));
          }
        }
      }
    });

    test('an accepted action is handed to the driver', async () => {
      const server1 = await create('server', 'power');
      await observed(server1.metadata.id);
      await report(server1.metadata.id, { state: 'active' });
      const accepted = await server.call('POST', `${base}/${server1.metadata.id}/actions/stop`, { token });
      assert.equal(accepted.status, 202);
      const handed = await eventually(
        () => get(server1.metadata.id),
        (r) => /stop requested/.test(r.status.message),
        'stop handed over',
      );
      assert.equal(handed.status.state, 'active');
    });

    test('deleting a stack waits for its servers and says so; the team goes once empty', async () => {
      await server.call('POST', '/api/v1/teams', { token, body: { name: 'agents-doomed' } });
      const doomed = '/api/v1/teams/agents-doomed/resources';
      const stack = (await server.call('POST', doomed, { token, body: { kind: 'stack', name: 'rack' } })).body;
      const vm = (
        await server.call('POST', doomed, { token, body: { kind: 'server', name: 'vm', parent: stack.metadata.id } })
      ).body;
      const get2 = async (id: string) => (await server.call('GET', `${doomed}/${id}`, { token })).body;
      await eventually(
        () => get2(vm.metadata.id),
        (r) => r.status.observedGeneration >= 1,
        'vm applied',
      );
      await eventually(
        () => get2(stack.metadata.id),
        (r) => r.status.observedGeneration >= 1,
        'stack applied',
      );
      await server.call('POST', `${doomed}/${vm.metadata.id}/status`, { token: agent, body: { state: 'active' } });
      assert.equal((await server.call('DELETE', '/api/v1/teams/agents-doomed', { token })).status, 204);
      const team = await server.call('GET', '/api/v1/teams/agents-doomed', { token });
      assert.notEqual(team.body.deletionRequestedAt, null);
      const blocked = await eventually(
        () => get2(stack.metadata.id),
        (r) => /waiting for its children/.test(r.status.message),
        'stack blocked',
      );
      assert.match(blocked.status.message, /server vm \(deleting\).*since/);
      assert.ok(blocked.status.details.deletionBlockedSince);
      await server.call('POST', `${doomed}/${vm.metadata.id}/status`, { token: agent, body: { state: 'deleted' } });
      await eventually(
        () => server.call('GET', '/api/v1/teams/agents-doomed', { token }),
        (r) => r.status === 404,
        'team removed',
      );
    });
  });
}

describe('external driver: silent agents time out', () => {
  test('a resource whose agent stays silent fails with a message saying since when', async () => {
    const server = await startServer('sqlite', {
      engine: { workers: 1, drivers: { service: 'external' }, agentTimeoutSeconds: 1 },
    });
    try {
      const { token } = await server.user('silent-owner');
      await server.call('POST', '/api/v1/teams', { token, body: { name: 'silent' } });
      const created = await server.call('POST', '/api/v1/teams/silent/resources', {
        token,
        body: { kind: 'service', name: 's', spec: { type: 'x' } },
      });
      const failed = await eventually(
        async () =>
          (await server.call('GET', `/api/v1/teams/silent/resources/${created.body.metadata.id}`, { token })).body,
        (r) => r.status.state === 'failed',
        'timed out',
      );
      assert.match(failed.status.message, /no report from its agent since .* \(timeout 1 s\)/);
    } finally {
      await server.close();
    }
  });
});
