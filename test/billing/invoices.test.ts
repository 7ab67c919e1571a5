import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { appendEvent } from '../../src/store/events.ts';
import { backends } from '../support/backends.ts';
import { eventually } from '../support/eventually.ts';
import { startServer, type TestServer } from '../support/server.ts';

for (const backend of backends()) {
  describe(`billing: usage metering and invoices [${backend}]`, () => {
    let server: TestServer;
    let owner = { id: '', token: '' };
    let outsider = { id: '', token: '' };
    let agent = '';
    const accounts = '/api/v1/billing/accounts';
    const resources = (team: string) => `/api/v1/teams/${team}/resources`;
    const invoice = (account: string, ref: string, token = owner.token) =>
      server.call('GET', `${accounts}/${account}/invoices/${ref}`, { token });

    const createServer = async (team: string, name: string, spec: object) => {
      const created = await server.call('POST', resources(team), {
        token: owner.token,
        body: { kind: 'server', name, spec },
      });
      assert.equal(created.status, 201, created.text);
      return created.body.metadata.id as string;
    };

    /** Lifecycle events with chosen times, as the engine would have written them then. */
    const history = async (team: string, resourceId: string, states: [at: string, state: string][]) => {
      const teamId = (await server.call('GET', `/api/v1/teams/${team}`, { token: owner.token })).body.id;
      for (const [at, state] of states) {
        const type = state === 'deleted' ? 'resource.deleted' : 'resource.status';
        await appendEvent(server.app.ctx.store.db, {
          at,
          actor_id: null,
          team_id: teamId,
          type,
          object_kind: 'server',
          object_id: resourceId,
          data: JSON.stringify({ state }),
        });
      }
    };

    /** Events of any type with chosen times and data, as the resource service and the engine write them. */
    const recorded = async (team: string, resourceId: string, events: [at: string, type: string, data: object][]) => {
      const teamId = (await server.call('GET', `/api/v1/teams/${team}`, { token: owner.token })).body.id;
      for (const [at, type, data] of events) {
        await appendEvent(server.app.ctx.store.db, {
          at,
          actor_id: null,
          team_id: teamId,
          type,
          object_kind: 'server',
          object_id: resourceId,
          data: JSON.stringify(data),
        });
      }
    };

    before(async () => {
      server = await startServer(backend, { engine: { workers: 1, drivers: { server: 'external' } } });
      owner = await server.user('owner');
      outsider = await server.user('outsider');
      await server.call('POST', '/api/v1/teams', { token: owner.token, body: { name: 'acme' } });
      agent = (
        await server.call('POST', '/api/v1/tokens', { token: owner.token, body: { name: 'agent', scopes: ['agent'] } })
      ).body.token;
    });
    after(() => server.close());

    test("an agent's reports drive the draft: an active server shows up on its team's invoice", async () => {
      const id = await createServer('acme', 'web', { cpus: 2, memoryMiB: 2048 });
      const get = async () => (await server.call('GET', `${resources('acme')}/${id}`, { token: owner.token })).body;
      await eventually(get, (r) => r.status.observedGeneration >= 1, 'applied by the engine');
      const reported = await server.call('POST', `${resources('acme')}/${id}/status`, {
        token: agent,
        body: { state: 'active' },
      });
      assert.equal(reported.status, 200);
      const draft = await eventually(
        async () => (await invoice('team:acme', 'draft')).body,
        (d) => d.lines.some((l: any) => l.resource.id === id && l.hours > 0),
        'usage on the draft',
      );
      assert.equal(draft.state, 'draft');
      assert.equal(draft.id, null);
      assert.equal(draft.currency, 'EUR');
      assert.deepEqual(
        draft.lines
          .filter((l: any) => l.resource.id === id)
          .map((l: any) => [l.resource.kind, l.resource.name, l.unit, l.units, l.unitPrice]),
        [
          ['server', 'web', 'cpuHour', 2, 5],
          ['server', 'web', 'memoryGiBHour', 2, 2],
        ],
      );
      assert.equal(draft.period, new Date().toISOString().slice(0, 7));
      await server.call('POST', `${resources('acme')}/${id}/status`, { token: agent, body: { state: 'stopped' } });
      const stoppedAt = (await invoice('team:acme', 'draft')).body.lines[0].hours;
      assert.equal(
        (await invoice('team:acme', 'draft')).body.lines[0].hours,
        stoppedAt,
        'a stopped server accrues nothing',
      );
      const personal = await invoice('me', 'draft');
      assert.deepEqual(personal.body.lines, [], "team resources bill to the team, not to the user's account");
    });

    test('a past month is finalized from the event history on first read, exactly, and then never changes', async () => {
      const id = await createServer('acme', 'old', { cpus: 2, memoryMiB: 4096 });
      await history('acme', id, [
        ['2024-02-29T12:00:00.000Z', 'active'],
        ['2024-03-01T06:00:00.000Z', 'stopped'],
        ['2024-03-31T20:00:00.000Z', 'active'],
        ['2024-04-01T02:00:00.000Z', 'deleted'],
      ]);
      const march = await invoice('team:acme', '2024-03');
      assert.equal(march.status, 200);
      assert.equal(march.body.state, 'final');
      assert.equal(march.body.periodStart, '2024-03-01T00:00:00.000Z');
      assert.equal(march.body.periodEnd, '2024-04-01T00:00:00.000Z');
      assert.deepEqual(march.body.lines, [
        {
          resource: { id, kind: 'server', name: 'old' },
          unit: 'cpuHour',
          units: 2,
          hours: 10,
          unitPrice: 5,
          amount: 100,
        },
        {
          resource: { id, kind: 'server', name: 'old' },
          unit: 'memoryGiBHour',
          units: 4,
          hours: 10,
          unitPrice: 2,
          amount: 80,
        },
      ]);
      assert.equal(march.body.total, 180);
      // A late write into March's history does not change the finalized invoice.
      await history('acme', id, [['2024-03-15T00:00:00.000Z', 'active']]);
      const again = await invoice('team:acme', '2024-03');
      assert.deepEqual(again.body, march.body);
      assert.deepEqual((await invoice('team:acme', march.body.id)).body, march.body);
      const april = await invoice('team:acme', '2024-04');
      assert.equal(april.body.total, 2 * 2 * 5 + 4 * 2 * 2, 'two hours into April');
    });

    test('invoices are listed oldest month first with a total count', async () => {
      const page = await server.call('GET', `${accounts}/team:acme/invoices?limit=1`, { token: owner.token });
      assert.equal(page.status, 200);
      assert.equal(page.body.total, 2);
      assert.deepEqual(
        page.body.items.map((i: any) => i.period),
        ['2024-03'],
      );
      const rest = await server.call('GET', `${accounts}/team:acme/invoices?offset=1&limit=5`, { token: owner.token });
      assert.deepEqual(
        rest.body.items.map((i: any) => i.period),
        ['2024-04'],
      );
      assert.equal(rest.body.next, null);
      const next = await server.call('GET', `${accounts}/team:acme/invoices?cursor=${page.body.next}`, {
        token: owner.token,
      });
      assert.deepEqual(next.body.items, rest.body.items);
    });

    test('invoices page by month like every other list: `next` holds the last month, not an offset', async () => {
      const periods: string[] = [];
      let cursor: string | null = '';
      while (cursor !== null) {
        const query: string = cursor ? `&cursor=${cursor}` : '';
        const page: any = await server.call('GET', `${accounts}/team:acme/invoices?limit=1${query}`, {
          token: owner.token,
        });
        assert.equal(page.status, 200, page.text);
        assert.equal(page.body.total, 2);
        periods.push(...page.body.items.map((i: any) => i.period));
        if (page.body.next !== null)
          assert.deepEqual(JSON.parse(Buffer.from(page.body.next, 'base64url').toString()), { k: periods.at(-1) });
        cursor = page.body.next;
      }
      assert.deepEqual(periods, ['2024-03', '2024-04']);
      const offsetCursor = Buffer.from(JSON.stringify({ k: 1 })).toString('base64url');
      const stale = await server.call('GET', `${accounts}/team:acme/invoices?cursor=${offsetCursor}`, {
        token: owner.token,
      });
      assert.equal(stale.status, 400);
    });

    test('platform admins void a finalized invoice, once; drafts cannot be voided', async () => {
      const march = (await invoice('team:acme', '2024-03')).body;
      const path = `${accounts}/team:acme/invoices/${march.id}/void`;
      assert.equal((await server.call('POST', path, { token: owner.token })).status, 403);
      const voided = await server.call('POST', path, { token: server.adminToken });
      assert.equal(voided.status, 200);
      assert.equal(voided.body.state, 'void');
      assert.equal(voided.body.total, 180);
      assert.equal((await server.call('POST', path, { token: server.adminToken })).status, 409);
      assert.equal((await invoice('team:acme', '2024-03')).body.state, 'void');
      assert.equal(
        (await server.call('POST', `${accounts}/team:acme/invoices/draft/void`, { token: server.adminToken })).status,
        409,
      );
    });

    test('a prepaid account pays a finalized month from its credit, and a void refunds it', async () => {
      await server.call('POST', '/api/v1/teams', { token: owner.token, body: { name: 'prepaid' } });
      assert.equal(
        (await server.call('PATCH', `${accounts}/team:prepaid`, { token: owner.token, body: { prepaid: true } }))
          .status,
        403,
      );
      const marked = await server.call('PATCH', `${accounts}/team:prepaid`, {
        token: server.adminToken,
        body: { prepaid: true },
      });
      assert.equal(marked.body.prepaid, true);
      await server.call('POST', `${accounts}/team:prepaid/grants`, {
        token: server.adminToken,
        body: { amount: 1000, reason: 'prepayment', reference: 'pre-1' },
      });
      const id = await createServer('prepaid', 'box', { cpus: 1, memoryMiB: 1024 });
      await history('prepaid', id, [
        ['2024-05-01T00:00:00.000Z', 'active'],
        ['2024-05-01T10:00:00.000Z', 'stopped'],
      ]);
      const may = (await invoice('team:prepaid', '2024-05')).body;
      assert.equal(may.total, 70);
      const ledger = (await server.call('GET', `${accounts}/team:prepaid/ledger`, { token: owner.token })).body;
      assert.deepEqual(
        ledger.items.map((e: any) => [e.type, e.amount, e.reference]),
        [
          ['grant', 1000, 'pre-1'],
          ['usage', -70, 'invoice:2024-05'],
        ],
      );
      await invoice('team:prepaid', '2024-05');
      assert.equal(
        (await server.call('GET', `${accounts}/team:prepaid`, { token: owner.token })).body.balance,
        930,
        'charged once',
      );
      await server.call('POST', `${accounts}/team:prepaid/invoices/2024-05/void`, { token: server.adminToken });
      assert.equal((await server.call('GET', `${accounts}/team:prepaid`, { token: owner.token })).body.balance, 1000);
    });

    test('bad months and unknown invoices are clear 4xx; other teams are invisible', async () => {
      const badMonth = await invoice('team:acme', '2024-13');
      assert.equal(badMonth.status, 400);
      assert.match(badMonth.body.detail, /not a month/);
      const next = new Date();
      next.setUTCMonth(next.getUTCMonth() + 1, 1);
      const future = await invoice('team:acme', next.toISOString().slice(0, 7));
      assert.equal(future.status, 400);
      assert.match(future.body.detail, /has not begun/);
      assert.equal((await invoice('team:acme', 'march')).status, 400);
      assert.equal((await invoice('team:acme', '0190a5b4-1234-7abc-8def-0123456789ab')).status, 404);
      assert.equal((await invoice('team:acme', 'draft', outsider.token)).status, 404);
      assert.equal((await server.call('GET', `${accounts}/team:acme/invoices`, { token: outsider.token })).status, 404);
    });

    test('a server resized mid-month is billed at each size for the hours it had it, from the specs its events recorded', async () => {
      await server.call('POST', '/api/v1/teams', { token: owner.token, body: { name: 'resizing' } });
      const id = await createServer('resizing', 'grows', { cpus: 4, memoryMiB: 1024 });
      await recorded('resizing', id, [
        [
          '2024-07-01T00:00:00.000Z',
          'resource.created',
          { name: 'grows', state: 'pending', spec: { cpus: 2, memoryMiB: 1024 } },
        ],
        ['2024-07-01T00:00:00.000Z', 'resource.status', { name: 'grows', state: 'active' }],
        ['2024-07-11T00:00:00.000Z', 'resource.updated', { generation: 2, spec: { cpus: 4, memoryMiB: 1024 } }],
        ['2024-07-21T00:00:00.000Z', 'resource.status', { name: 'grows', state: 'stopped' }],
      ]);
      const july = (await invoice('team:resizing', '2024-07')).body;
      assert.deepEqual(
        july.lines.map((l: any) => [l.unit, l.units, l.hours, l.amount]),
        [
          ['cpuHour', 2, 240, 2400],
          ['cpuHour', 4, 240, 4800],
          ['memoryGiBHour', 1, 480, 960],
        ],
      );
      assert.equal(july.total, 8160);
    });

    test('a resize through the API shows on the draft as a second line at the new size', async () => {
      await server.call('POST', '/api/v1/teams', { token: owner.token, body: { name: 'live-resize' } });
      const id = await createServer('live-resize', 'box', { cpus: 2, memoryMiB: 1024 });
      await eventually(
        async () => (await server.call('GET', `${resources('live-resize')}/${id}`, { token: owner.token })).body,
        (r) => r.status.observedGeneration >= 1,
        'applied',
      );
      await server.call('POST', `${resources('live-resize')}/${id}/status`, {
        token: agent,
        body: { state: 'active' },
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      const patched = await server.call('PATCH', `${resources('live-resize')}/${id}`, {
        token: owner.token,
        body: { spec: { cpus: 4 } },
      });
      assert.equal(patched.status, 200, patched.text);
      await new Promise((resolve) => setTimeout(resolve, 50));
      const draft = (await invoice('team:live-resize', 'draft')).body;
      assert.deepEqual(
        draft.lines.filter((l: any) => l.unit === 'cpuHour').map((l: any) => l.units),
        [2, 4],
      );
    });
  });
}
