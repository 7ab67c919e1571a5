// A team removed with its resources keeps its billing account: platform admins read its ledger and invoices, usage up to removal included.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { appendEvent } from '../../src/store/events.ts';
import { backends } from '../support/backends.ts';
import { eventually } from '../support/eventually.ts';
import { startServer, type TestServer } from '../support/server.ts';

for (const backend of backends()) {
  describe(`billing: the account of a removed team [${backend}]`, () => {
    let server: TestServer;
    let owner = { id: '', token: '' };
    let teamId = '';
    let serviceId = '';
    let serverId = '';
    const account = (ref: string) => `/api/v1/billing/accounts/${ref}`;
    const asAdmin = (path: string) => server.call('GET', path, { token: server.adminToken });

    before(async () => {
      server = await startServer(backend, {
        engine: { workers: 1, drivers: { service: 'external', server: 'external' } },
      });
      owner = await server.user('leaver');
      teamId = (await server.call('POST', '/api/v1/teams', { token: owner.token, body: { name: 'doomed' } })).body.id;
      const agent = (
        await server.call('POST', '/api/v1/tokens', { token: owner.token, body: { name: 'agent', scopes: ['agent'] } })
      ).body.token;
      const resources = '/api/v1/teams/doomed/resources';
      const run = async (body: object) => {
        const created = await server.call('POST', resources, { token: owner.token, body });
        assert.equal(created.status, 201, created.text);
        const id: string = created.body.metadata.id;
        await eventually(
          async () => (await server.call('GET', `${resources}/${id}`, { token: owner.token })).body,
          (r) => r.status.observedGeneration >= 1,
          'applied',
        );
        assert.equal(
          (await server.call('POST', `${resources}/${id}/status`, { token: agent, body: { state: 'active' } })).status,
          200,
        );
        return id;
      };
      serviceId = await run({ kind: 'service', name: 'web', spec: { type: 'http-static' } });
      serverId = await run({ kind: 'server', name: 'db', spec: { cpus: 2, memoryMiB: 1024 } });
      // A past month of its history, as the engine would have written it then.
      for (const [at, state] of [
        ['2024-06-01T00:00:00.000Z', 'active'],
        ['2024-06-01T10:00:00.000Z', 'stopped'],
      ]) {
        const data = JSON.stringify({ name: 'web', state });
        await appendEvent(server.app.ctx.store.db, {
          at,
          actor_id: null,
          team_id: teamId,
          type: 'resource.status',
          object_kind: 'service',
          object_id: serviceId,
          data,
        });
      }
      const grant = { amount: 500, reason: 'welcome', reference: 'welcome-1' };
      assert.equal(
        (await server.call('POST', `${account('team:doomed')}/grants`, { token: server.adminToken, body: grant }))
          .status,
        201,
      );
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal((await server.call('DELETE', '/api/v1/teams/doomed', { token: owner.token })).status, 204);
      await eventually(
        () => asAdmin('/api/v1/teams/doomed'),
        (r) => r.status === 404,
        'the team removed once empty',
      );
    });
    after(() => server.close());

    test('platform admins read the account by the team id or its last name; its members no longer see it', async () => {
      for (const ref of [`team:${teamId}`, 'team:doomed']) {
        const found = await asAdmin(account(ref));
        assert.equal(found.status, 200, found.text);
        assert.deepEqual([found.body.owner.id, found.body.owner.name, found.body.balance], [teamId, 'doomed', 500]);
        assert.ok(found.body.owner.removedAt, 'says when the team was removed');
      }
      assert.equal((await server.call('GET', account('team:doomed'), { token: owner.token })).status, 404);
    });

    test('the ledger stays readable', async () => {
      const ledger = await asAdmin(`${account('team:doomed')}/ledger`);
      assert.equal(ledger.status, 200);
      assert.deepEqual(
        ledger.body.items.map((e: any) => [e.type, e.amount, e.reference]),
        [['grant', 500, 'welcome-1']],
      );
    });

    test('past months are invoiced from the events of resources that are gone, and listed', async () => {
      const june = await asAdmin(`${account(`team:${teamId}`)}/invoices/2024-06`);
      assert.equal(june.status, 200, june.text);
      assert.deepEqual(june.body.lines, [
        {
          resource: { id: serviceId, kind: 'service', name: 'web' },
          unit: 'hour',
          units: 1,
          hours: 10,
          unitPrice: 10,
          amount: 100,
        },
      ]);
      const listed = await asAdmin(`${account('team:doomed')}/invoices`);
      assert.equal(listed.status, 200);
      assert.deepEqual(
        listed.body.items.map((i: any) => [i.period, i.total]),
        [['2024-06', 100]],
      );
    });

    test("the current month's draft bills the usage up to the removal, at the sizes the events recorded, and no more", async () => {
      const draft = await asAdmin(`${account('team:doomed')}/invoices/draft`);
      assert.equal(draft.status, 200, draft.text);
      const line = draft.body.lines.find((l: any) => l.resource.id === serviceId && l.unit === 'hour');
      assert.ok(line?.hours > 0, JSON.stringify(draft.body.lines));
      const sized = draft.body.lines
        .filter((l: any) => l.resource.id === serverId)
        .map((l: any) => [l.resource.name, l.unit, l.units]);
      assert.deepEqual(sized, [
        ['db', 'cpuHour', 2],
        ['db', 'memoryGiBHour', 1],
      ]);
      await new Promise((resolve) => setTimeout(resolve, 20));
      const later = await asAdmin(`${account('team:doomed')}/invoices/draft`);
      assert.deepEqual(later.body.lines, draft.body.lines, 'nothing accrues after the removal');
    });
  });
}
