import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { reconcileAll } from '../../src/engine/reconcile.ts';
import { insertResource, type ResourceRow } from '../../src/store/resources.ts';
import { findTeamByName } from '../../src/store/teams.ts';
import { forEachBackend } from '../support/each-backend.ts';
import { installScriptedDriver } from '../support/scripted-driver.ts';
import type { KindDriver } from '../../src/drivers/driver.ts';
import { DriverRegistry } from '../../src/drivers/registry.ts';

/** More than the sweep reads at a time, so that it has to page. */
const count = 1200;

forEachBackend('the reconcile sweep', (server) => {
  let teamId = '';
  let askedTold = 0;
  const mixedObserved: string[] = [];

  const row = (id: number, driver: string, observedGeneration = 1, kind = 'server'): ResourceRow => {
    const at = new Date().toISOString();
    return {
      id: `00000000-0000-4000-8000-${String(id).padStart(12, '0')}`,
      team_id: teamId,
      namespace_id: null,
      kind,
      name: `${driver}-${id}`,
      parent_id: null,
      labels: '{}',
      spec: '{}',
      state: 'active',
      status: JSON.stringify({ message: 'running', conditions: [], observedGeneration, details: {} }),
      generation: 1,
      resource_version: 1,
      created_by: null,
      created_at: at,
      updated_at: at,
      deletion_requested_at: null,
      driver,
      usage_cpus: 1,
      usage_memory_mib: 0,
    };
  };

  const states = async (driver: string) =>
    (
      await server()
        .app.ctx.store.db.selectFrom('resources')
        .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
        .where('driver', '=', driver)
        .groupBy('state')
        .orderBy('state')
        .execute()
    ).map(({ state, n }) => [state, Number(n)]);

  before(async () => {
    const { token } = await server().user('sweeper');
    await server().call('POST', '/api/v1/teams', { token, body: { name: 'swept' } });
    teamId = (await findTeamByName(server().app.ctx.store.db, 'swept'))!.id;
    const gone = { observe: async () => ({ state: 'failed' as const, message: 'its process is gone' }) };
    installScriptedDriver(server(), 'drifting', gone);
    installScriptedDriver(
      server(),
      'told',
      {
        observe: async () => {
          askedTold++;
          return gone.observe();
        },
      },
      { changesOnlyWhenTold: true },
    );
    // One driver, two kinds: its servers may change by themselves, its clusters only when the engine asks.
    const mixedKind = (changesOnlyWhenTold: boolean): KindDriver => ({
      apply: async () => ({ state: 'active', message: 'applied' }),
      act: async (resource) => ({ state: resource.state, message: 'acted' }),
      remove: async () => {},
      observe: async (resource) => {
        mixedObserved.push(resource.kind);
        return { state: 'failed', message: 'its record is gone' };
      },
      changesOnlyWhenTold,
    });
    const [drifts, told] = [mixedKind(false), mixedKind(true)];
    server().app.ctx.drivers = new DriverRegistry([
      ...server().app.ctx.drivers.all(),
      {
        name: 'mixed',
        forKind: (kind) => (kind === 'cluster' ? told : drifts),
        start: async () => {},
        stop: async () => {},
      },
    ]);
    await server().app.ctx.store.transaction(async (db) => {
      for (let i = 0; i < count; i++) await insertResource(db, row(i, 'drifting'));
      for (let i = count; i < 2 * count; i++) await insertResource(db, row(i, 'told'));
      // Never applied: nothing real to compare with yet.
      await insertResource(db, row(2 * count, 'drifting', 0));
    });
  });

  test('what changed by itself is found on every page; resources that change only when told are not read', async () => {
    await reconcileAll(server().app.ctx, server().app.http.log, true);
    assert.deepEqual(await states('drifting'), [
      ['active', 1],
      ['failed', count],
    ]);
    assert.deepEqual(await states('told'), [['active', count]]);
    assert.equal(askedTold, 0);
  });
  test("a driver's kinds that change only when told are left out of the periodic sweep, not out of a restart's", async () => {
    await server().app.ctx.store.transaction(async (db) => {
      for (let i = 0; i < 3; i++) await insertResource(db, row(3 * count + i, 'mixed', 1, 'server'));
      for (let i = 3; i < 6; i++) await insertResource(db, row(3 * count + i, 'mixed', 1, 'cluster'));
    });
    mixedObserved.length = 0;
    await reconcileAll(server().app.ctx, server().app.http.log, true);
    assert.deepEqual(mixedObserved, ['server', 'server', 'server']);
    mixedObserved.length = 0;
    await reconcileAll(server().app.ctx, server().app.http.log, false);
    // At least once each (one that turns failed meanwhile is met again among the failed).
    assert.ok(mixedObserved.filter((kind) => kind === 'cluster').length >= 3, `observed ${mixedObserved.join(', ')}`);
  });
});
