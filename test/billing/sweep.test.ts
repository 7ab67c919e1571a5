import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sweepBilling } from '../../src/billing/sweep.ts';
import { appendEvent } from '../../src/store/events.ts';
import { backends } from '../support/backends.ts';
import { eventually } from '../support/eventually.ts';
import { startServer, startServerSharing, type TestServer } from '../support/server.ts';

const accounts = '/api/v1/billing/accounts';
const quiet = { warn: () => {} };

/** The month before this one: the one a sweep finalizes. */
function lastMonth() {
  const now = new Date();
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return { name: start.toISOString().slice(0, 7), start };
}

const hoursAfter = (at: Date, hours: number) => new Date(at.getTime() + hours * 3600_000).toISOString();

for (const backend of backends()) {
  describe(`billing: the periodic sweep [${backend}]`, () => {
    let server: TestServer;
    let owner = { id: '', token: '' };
    let agent = '';
    const resources = (team: string) => `/api/v1/teams/${team}/resources`;

    before(async () => {
      const engine = { workers: 1, drivers: { server: 'external' } };
      server = await startServer(backend, { engine, billing: { stopAtZeroCredit: true, sweepSeconds: 1 } });
      owner = await server.user('sweep-owner');
      agent = (
        await server.call('POST', '/api/v1/tokens', { token: owner.token, body: { name: 'agent', scopes: ['agent'] } })
      ).body.token;
    });
    after(() => server.close());

    /** A prepaid team of `owner` holding `credit`, with one server. */
    const prepaidTeamWithServer = async (on: TestServer, team: string, credit: number, spec: object, as = owner) => {
      await on.call('POST', '/api/v1/teams', { token: as.token, body: { name: team } });
      await on.call('PATCH', `${accounts}/team:${team}`, { token: on.adminToken, body: { prepaid: true } });
      await on.call('POST', `${accounts}/team:${team}/grants`, {
        token: on.adminToken,
        body: { amount: credit, reason: 'prepayment', reference: 'p' },
      });
      const created = await on.call('POST', resources(team), {
        token: as.token,
        body: { kind: 'server', name: 'vm', spec },
      });
      assert.equal(created.status, 201, created.text);
      return created.body.metadata.id as string;
    };

    /** Lifecycle events with chosen times, as the engine would have written them then. */
    const history = async (on: TestServer, team: string, resourceId: string, states: [at: string, state: string][]) => {
      const id = (await on.call('GET', `/api/v1/teams/${team}`, { token: on.adminToken })).body.id;
      for (const [at, state] of states) {
        await appendEvent(on.app.ctx.store.db, {
          at,
          actor_id: null,
          team_id: id,
          type: 'resource.status',
          object_kind: 'server',
          object_id: resourceId,
          data: JSON.stringify({ state }),
        });
      }
    };

    /** A team created last month, whose server ran 10 hours of it at 7 an hour (1 CPU, 1 GiB). */
    const teamThatRanLastMonth = async (on: TestServer, team: string, as = owner) => {
      const id = await prepaidTeamWithServer(on, team, 1000, { cpus: 1, memoryMiB: 1024 }, as);
      const { start } = lastMonth();
      await history(on, team, id, [
        [hoursAfter(start, 1), 'active'],
        [hoursAfter(start, 11), 'stopped'],
      ]);
      // Only once its history is complete: the team's past months are those since it was created.
      await on.app.ctx.store.db
        .updateTable('teams')
        .set({ created_at: start.toISOString() })
        .where('name', '=', team)
        .execute();
    };

    const eventsOf = async (team: string) =>
      (await server.call('GET', `/api/v1/events?team=${team}&limit=5000`, { token: owner.token })).body.items as any[];
    const ledgerOf = async (on: TestServer, team: string) =>
      (await on.call('GET', `${accounts}/team:${team}/ledger`, { token: on.adminToken })).body.items.map((e: any) => [
        e.type,
        e.amount,
        e.reference,
      ]);

    test('a prepaid team whose running month outgrows its credit has its running server stopped by the sweep, once', async () => {
      // 64 CPUs and 256 GiB cost 832 an hour: any time active this month is more than the 1 it holds.
      const id = await prepaidTeamWithServer(server, 'thrifty', 1, { cpus: 64, memoryMiB: 262144 });
      await eventually(
        async () => (await server.call('GET', `${resources('thrifty')}/${id}`, { token: owner.token })).body,
        (r) => r.status.observedGeneration >= 1,
        'applied',
      );
      const monthStart = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 1));
      await history(server, 'thrifty', id, [
        [new Date(Math.max(monthStart.getTime(), Date.now() - 10 * 3600_000)).toISOString(), 'active'],
      ]);
      assert.equal(
        (await server.call('POST', `${resources('thrifty')}/${id}/status`, { token: agent, body: { state: 'active' } }))
          .status,
        200,
      );

      const exhausted = await eventually(
        async () => (await eventsOf('thrifty')).filter((e) => e.type === 'billing.credit.exhausted'),
        (found) => found.length > 0,
        'stopped by the sweep',
      );
      assert.equal(exhausted[0].data.balance, 1, 'no charge was posted: the draft alone used the credit up');
      assert.ok(exhausted[0].data.draft > 1);
      assert.deepEqual([exhausted[0].data.stopped, exhausted[0].data.kept], [[id], []]);
      const stop = (await eventsOf('thrifty')).find((e) => e.type === 'resource.action' && e.object.id === id);
      assert.equal(stop.data.action, 'stop');
      assert.match(stop.data.reason, /prepaid credit of its team ran out/);

      // Still active while its agent has not stopped it: later sweeps do not ask again.
      await sweepBilling(server.app.ctx, quiet);
      await sweepBilling(server.app.ctx, quiet);
      const operations = (await server.call('GET', `${resources('thrifty')}/${id}/operations`, { token: owner.token }))
        .body.items;
      assert.equal(operations.filter((o: any) => o.action === 'stop').length, 1);
      assert.equal((await eventsOf('thrifty')).filter((e) => e.type === 'billing.credit.exhausted').length, 1);
    });

    test('a server that runs again on used-up credit is stopped again', async () => {
      const id = (await server.call('GET', resources('thrifty'), { token: owner.token })).body.items[0].metadata.id;
      await server.call('POST', `${resources('thrifty')}/${id}/status`, { token: agent, body: { state: 'stopped' } });
      await server.call('POST', `${resources('thrifty')}/${id}/status`, { token: agent, body: { state: 'active' } });
      await sweepBilling(server.app.ctx, quiet);
      const exhausted = (await eventsOf('thrifty')).filter((e) => e.type === 'billing.credit.exhausted');
      assert.equal(exhausted.length, 2);
      assert.deepEqual(exhausted[1].data.stopped, [id]);
    });

    test('an ended month is finalized, and a prepaid team pays it, without anyone reading invoices', async () => {
      await teamThatRanLastMonth(server, 'dormant');
      const { name } = lastMonth();
      const ledger = await eventually(
        () => ledgerOf(server, 'dormant'),
        (items) => items.length === 2,
        'paid by the sweep',
      );
      assert.deepEqual(ledger, [
        ['grant', 1000, 'p'],
        ['usage', -70, `invoice:${name}`],
      ]);
      const finalized = (await eventsOf('dormant')).filter((e) => e.type === 'billing.invoice.finalized');
      assert.deepEqual(
        finalized.map((e) => [e.data.period, e.data.total]),
        [[name, 70]],
      );
      const invoice = (await server.call('GET', `${accounts}/team:dormant/invoices/${name}`, { token: owner.token }))
        .body;
      assert.deepEqual([invoice.state, invoice.total, invoice.id], ['final', 70, finalized[0].object.id]);
    });

    test('sweeps in two processes at once finalize and charge a month once', async () => {
      const first = await startServer(backend, { billing: { sweepSeconds: 0 } });
      const second = await startServerSharing(first);
      try {
        await teamThatRanLastMonth(first, 'twice', await first.user('twice-owner'));
        const warnings: unknown[] = [];
        const log = { warn: (...args: unknown[]) => warnings.push(args) };
        await Promise.all([
          sweepBilling(first.app.ctx, log),
          sweepBilling(second.app.ctx, log),
          sweepBilling(first.app.ctx, log),
        ]);
        assert.deepEqual(warnings, [], 'no sweep failed');
        const { name } = lastMonth();
        assert.deepEqual(await ledgerOf(second, 'twice'), [
          ['grant', 1000, 'p'],
          ['usage', -70, `invoice:${name}`],
        ]);
        const invoices = (await second.call('GET', `${accounts}/team:twice/invoices`, { token: second.adminToken }))
          .body;
        assert.deepEqual(
          invoices.items.map((i: any) => [i.period, i.total]),
          [[name, 70]],
        );
        const events = (await first.call('GET', '/api/v1/events?team=twice&limit=5000', { token: first.adminToken }))
          .body.items;
        assert.equal(events.filter((e: any) => e.type === 'billing.invoice.finalized').length, 1);
      } finally {
        await second.close();
        await first.close();
      }
    });
  });
}
