// GET /billing/accounts/{account}/usage: usage per month and kind, the same figures the invoices bill, read without writing.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { appendEvent } from '../../src/store/events.ts';
import { backends } from '../support/backends.ts';
import { startServer, type TestServer } from '../support/server.ts';

for (const backend of backends()) {
  describe(`billing: usage per month and kind [${backend}]`, () => {
    let server: TestServer;
    let owner = { id: '', token: '' };
    let outsider = { id: '', token: '' };
    const accounts = '/api/v1/billing/accounts';
    const usage = (account: string, query = '', token = owner.token) =>
      server.call('GET', `${accounts}/${account}/usage${query}`, { token });

    /** A resource's events with chosen times, as the resource service and the engine wrote them then. */
    const lived = async (teamId: string, kind: string, events: [at: string, type: string, data: object][]) => {
      const id = randomUUID();
      for (const [at, type, data] of events) {
        await appendEvent(server.app.ctx.store.db, {
          at,
          actor_id: null,
          team_id: teamId,
          type,
          object_kind: kind,
          object_id: id,
          data: JSON.stringify(data),
        });
      }
    };

    before(async () => {
      server = await startServer(backend);
      owner = await server.user('owner');
      outsider = await server.user('outsider');
      const team = await server.call('POST', '/api/v1/teams', { token: owner.token, body: { name: 'acme' } });
      // The team as it was made in 2024, so that its months have (or will have) invoices.
      await server.app.ctx.store.db
        .updateTable('teams')
        .set({ created_at: '2024-01-01T00:00:00.000Z' })
        .where('id', '=', team.body.id)
        .execute();
      // web: 2 CPUs and 2 GiB, active from Feb 10 to Mar 10 (480 hours in February of 2024, 216 in March).
      await lived(team.body.id, 'server', [
        ['2024-02-10T00:00:00.000Z', 'resource.created', { name: 'web', spec: { cpus: 2, memoryMiB: 2048 } }],
        ['2024-02-10T00:00:00.000Z', 'resource.status', { state: 'active' }],
        ['2024-03-10T00:00:00.000Z', 'resource.status', { state: 'stopped' }],
      ]);
      // db: a service active through March (744 hours), then deleted.
      await lived(team.body.id, 'service', [
        ['2024-03-01T00:00:00.000Z', 'resource.created', { name: 'db', spec: {} }],
        ['2024-03-01T00:00:00.000Z', 'resource.status', { state: 'active' }],
        ['2024-04-01T00:00:00.000Z', 'resource.deleted', { state: 'deleted' }],
      ]);
    });
    after(() => server.close());

    const summary = (body: any) =>
      body.months.map((m: any) => [m.month, m.invoice, m.total, m.kinds.map((k: any) => [k.kind, k.amount])]);

    test('each month says per kind what was used and what it costs, the costliest kind first', async () => {
      const answer = await usage('team:acme', '?from=2023-12&to=2024-04');
      assert.equal(answer.status, 200, answer.text);
      assert.equal(answer.body.currency, 'EUR');
      assert.deepEqual([answer.body.from, answer.body.to], ['2023-12', '2024-04']);
      assert.deepEqual(summary(answer.body), [
        ['2023-12', null, 0, []],
        ['2024-01', 'draft', 0, []],
        ['2024-02', 'draft', 6720, [['server', 6720]]],
        [
          '2024-03',
          'draft',
          10464,
          [
            ['service', 7440],
            ['server', 3024],
          ],
        ],
        ['2024-04', 'draft', 0, []],
      ]);
      assert.deepEqual(answer.body.months[2].kinds[0], {
        kind: 'server',
        resources: 1,
        amount: 6720,
        units: [
          { unit: 'cpuHour', unitHours: 960, hours: 480, amount: 4800 },
          { unit: 'memoryGiBHour', unitHours: 960, hours: 480, amount: 1920 },
        ],
      });
      assert.deepEqual(answer.body.kinds, ['server', 'service'], 'server: 97.44 in all, service: 74.40');
    });

    test('reading usage writes nothing: no account is made, no month is finalized', async () => {
      const first = await usage('team:acme', '?from=2024-02&to=2024-03');
      const again = await usage('team:acme', '?from=2024-02&to=2024-03');
      assert.equal(again.body.account, null, 'the account is made by its first real use, not by a chart');
      assert.deepEqual(summary(again.body), summary(first.body));
      assert.deepEqual(
        again.body.months.map((m: any) => m.invoice),
        ['draft', 'draft'],
      );
    });

    test('a finalized or voided month answers the lines its invoice holds, the same totals', async () => {
      const march = await server.call('GET', `${accounts}/team:acme/invoices/2024-03`, { token: owner.token });
      assert.equal(march.body.state, 'final');
      const voided = await server.call('POST', `${accounts}/team:acme/invoices/2024-03/void`, {
        token: server.adminToken,
      });
      assert.equal(voided.status, 200, voided.text);
      const february = await server.call('GET', `${accounts}/team:acme/invoices/2024-02`, { token: owner.token });
      const answer = await usage('team:acme', '?from=2024-02&to=2024-03');
      assert.equal(answer.body.account, march.body.account);
      assert.deepEqual(
        answer.body.months.map((m: any) => [m.month, m.invoice, m.total]),
        [
          ['2024-02', 'final', february.body.total],
          ['2024-03', 'void', march.body.total],
        ],
      );
      assert.equal(march.body.total, 10464);
    });

    test('without a range: the last twelve months up to the running one, whose draft it is', async () => {
      const answer = await usage('team:acme');
      assert.equal(answer.status, 200, answer.text);
      assert.equal(answer.body.months.length, 12);
      const current = new Date().toISOString().slice(0, 7);
      assert.equal(answer.body.to, current);
      assert.deepEqual(answer.body.months.at(-1), { month: current, invoice: 'draft', total: 0, kinds: [] });
      const since = await usage('team:acme', `?from=${current}`);
      assert.deepEqual(
        since.body.months.map((m: any) => m.month),
        [current],
      );
    });

    test("usage is the tenant's: another team is a 404, your own account holds no resources", async () => {
      assert.equal((await usage('team:acme', '', outsider.token)).status, 404);
      assert.equal((await usage('user:owner', '', outsider.token)).status, 404);
      assert.equal(
        (await usage('team:acme', '?from=2024-03&to=2024-03', server.adminToken)).body.months[0].total,
        10464,
      );
      const mine = await usage('me', '?from=2024-03&to=2024-03');
      assert.deepEqual(mine.body.months, [{ month: '2024-03', invoice: null, total: 0, kinds: [] }]);
    });

    test('bad months are a 400 naming the parameter', async () => {
      const cases: [query: string, field: string, detail: RegExp][] = [
        ['?from=2024-13', 'from', /not a month/],
        ['?to=2024-00', 'to', /not a month/],
        ['?from=2024-05&to=2024-04', 'from', /after to/],
        ['?from=2010-01&to=2024-04', 'from', /at most 120/],
        ['?to=9999-01', 'to', /has not begun/],
      ];
      for (const [query, field, detail] of cases) {
        const answer = await usage('team:acme', query);
        assert.equal(answer.status, 400, query);
        assert.equal(answer.body.field, field, query);
        assert.match(answer.body.detail, detail, query);
      }
      for (const query of ['?from=2024-1', '?to=march', '?month=2024-01']) {
        const answer = await usage('team:acme', query);
        assert.equal(answer.status, 400, query);
        assert.equal(answer.headers.get('content-type'), 'application/problem+json', query);
      }
      assert.equal((await usage('nobody', '')).status, 400);
    });
  });
}
