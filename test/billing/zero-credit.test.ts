import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { backends } from '../support/backends.ts';
import { eventually } from '../support/eventually.ts';
import { startServer, type TestServer } from '../support/server.ts';

for (const backend of backends()) {
  describe(`billing: stopping at zero credit [${backend}]`, () => {
    let server: TestServer;
    let owner = { id: '', token: '' };
    let agent = '';
    const accounts = '/api/v1/billing/accounts';

    before(async () => {
      server = await startServer(backend, {
        engine: { workers: 1, drivers: { server: 'external', cluster: 'external' } },
        billing: { stopAtZeroCredit: true },
      });
      owner = await server.user('frugal-owner');
      agent = (
        await server.call('POST', '/api/v1/tokens', { token: owner.token, body: { name: 'agent', scopes: ['agent'] } })
      ).body.token;
    });
    after(() => server.close());

    /** A resource of the team that its agent has reported active. */
    const running = async (team: string, kind: string, name: string, spec: object) => {
      const base = `/api/v1/teams/${team}/resources`;
      const id = (await server.call('POST', base, { token: owner.token, body: { kind, name, spec } })).body.metadata.id;
      await eventually(
        async () => (await server.call('GET', `${base}/${id}`, { token: owner.token })).body,
        (r) => r.status.observedGeneration >= 1,
        'applied',
      );
      assert.equal(
        (await server.call('POST', `${base}/${id}/status`, { token: agent, body: { state: 'active' } })).status,
        200,
      );
      return id as string;
    };

    const eventsOf = async (team: string) =>
      (await server.call('GET', `/api/v1/events?team=${team}&limit=5000`, { token: owner.token })).body.items;

    test("the charge that empties a prepaid team's credit stops its running resources, saying why", async () => {
      await server.call('POST', '/api/v1/teams', { token: owner.token, body: { name: 'frugal' } });
      await server.call('PATCH', `${accounts}/team:frugal`, { token: server.adminToken, body: { prepaid: true } });
      await server.call('POST', `${accounts}/team:frugal/grants`, {
        token: server.adminToken,
        body: { amount: 100, reason: 'prepayment', reference: 'p' },
      });
      const machine = await running('frugal', 'server', 'vm', { cpus: 1 });
      const cluster = await running('frugal', 'cluster', 'k', { nodePoolSize: 1 });
      assert.equal(
        (
          await server.call('POST', `${accounts}/team:frugal/debits`, {
            token: owner.token,
            body: { amount: 60, reason: 'hours', reference: 'd1' },
          })
        ).status,
        201,
      );
      assert.ok(
        !(await eventsOf('frugal')).some((e: any) => e.type === 'billing.credit.exhausted'),
        'credit left: nothing stops',
      );
      assert.equal(
        (
          await server.call('POST', `${accounts}/team:frugal/debits`, {
            token: owner.token,
            body: { amount: 40, reason: 'hours', reference: 'd2' },
          })
        ).status,
        201,
      );
      const events = await eventsOf('frugal');
      const exhausted = events.find((e: any) => e.type === 'billing.credit.exhausted');
      assert.deepEqual(exhausted.data, { balance: 0, stopped: [machine], kept: [cluster] });
      const stop = events.find((e: any) => e.type === 'resource.action' && e.object.id === machine);
      assert.equal(stop.data.action, 'stop');
      assert.match(stop.data.reason, /prepaid credit of its team ran out/);
      const operations = await server.call('GET', `/api/v1/teams/frugal/resources/${machine}/operations`, {
        token: owner.token,
      });
      assert.ok(operations.body.items.some((o: any) => o.type === 'action' && o.action === 'stop'));
    });

    test('an account that is not prepaid keeps running at zero', async () => {
      await server.call('POST', '/api/v1/teams', { token: owner.token, body: { name: 'postpaid' } });
      await server.call('POST', `${accounts}/team:postpaid/grants`, {
        token: server.adminToken,
        body: { amount: 10, reason: 'r', reference: 'p' },
      });
      await running('postpaid', 'server', 'vm', { cpus: 1 });
      await server.call('POST', `${accounts}/team:postpaid/debits`, {
        token: owner.token,
        body: { amount: 10, reason: 'hours', reference: 'd1' },
      });
      assert.ok(
        !(await eventsOf('postpaid')).some(
          (e: any) => e.type === 'billing.credit.exhausted' || e.type === 'resource.action',
        ),
      );
    });
  });
}
