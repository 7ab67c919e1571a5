import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql, type Kysely } from 'kysely';
import { writeStatus } from '../../src/resources/status.ts';
import type { Database } from '../../src/store/tables.ts';
import { backends, type Backend } from '../support/backends.ts';
import { eventually } from '../support/eventually.ts';
import { startServer, type Response, type TestServer } from '../support/server.ts';

const lockWaiters = async (db: Kysely<Database>) =>
  (
    await sql<{
      n: number;
    }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(
      db,
    )
  ).rows[0].n;

/**
 * Sends `act` while a status write that stops resource `id` is under way, so that it lands after the
 * action's request began. PostgreSQL: the write holds the row uncommitted until the action waits
 * for it. SQLite (one connection): the write is queued behind the action request's first query.
 */
async function actWhileStopping(backend: Backend, server: TestServer, id: string, act: () => Promise<Response>) {
  const { db, kinds } = { db: server.app.ctx.store.db, kinds: server.app.ctx.kinds };
  const stop = (trx: Kysely<Database>) =>
    writeStatus(trx, kinds, id, { observation: { state: 'stopped', message: 'stopped by its agent' } });
  let request: Promise<Response> | undefined;
  if (backend === 'postgres') {
    let waited = false;
    await db.transaction().execute(async (trx) => {
      await stop(trx);
      request = act();
      waited = await eventually(
        () => lockWaiters(db),
        (n) => n > 0,
        'the action waits for the row',
        5,
      ).then(
        () => true,
        () => false,
      );
    });
    return { response: await request!, waited };
  }
  let write: Promise<unknown> | undefined;
  await db.connection().execute(async () => {
    request = act();
    // Time for the request to reach its first query, which waits for the connection held here.
    await sleep(300);
    write = db.transaction().execute(stop);
  });
  await write;
  return { response: await request!, waited: undefined };
}

for (const backend of backends()) {
  describe(`actions racing status changes [${backend}]`, () => {
    let server: TestServer;
    let token = '';
    let agent = '';
    const base = '/api/v1/teams/races/resources';

    before(async () => {
      server = await startServer(backend, { engine: { workers: 0, drivers: { server: 'external' } } });
      token = (await server.user('race-owner')).token;
      await server.call('POST', '/api/v1/teams', { token, body: { name: 'races' } });
      agent = (await server.call('POST', '/api/v1/tokens', { token, body: { name: 'agent', scopes: ['agent'] } })).body
        .token;
    });
    after(() => server.close());

    test('an action is accepted only in a state that allows it, as its transaction finds the resource', async () => {
      const id = (await server.call('POST', base, { token, body: { kind: 'server', name: 'vm' } })).body.metadata.id;
      assert.equal(
        (await server.call('POST', `${base}/${id}/status`, { token: agent, body: { state: 'active' } })).status,
        200,
      );
      const { response, waited } = await actWhileStopping(backend, server, id, () =>
        server.call('POST', `${base}/${id}/actions/suspend`, { token }),
      );
      if (response.status === 202)
        assert.equal(response.body.status.state, 'active', 'a suspend accepted for a server that was no longer active');
      else
        assert.deepEqual(
          [response.status, response.body.state, response.body.allowedActions],
          [409, 'stopped', ['start', 'destroy']],
        );
      if (backend === 'postgres') {
        assert.ok(waited, 'the action waited for the concurrent status write to end');
        assert.equal(response.status, 409);
      }
      const operations = (await server.call('GET', `${base}/${id}/operations`, { token })).body.items;
      assert.equal(operations.filter((o: any) => o.type === 'action').length, response.status === 202 ? 1 : 0);
    });
  });
}
