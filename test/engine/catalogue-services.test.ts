// The php and mysql catalogue types through the native API: each is active only once it answers, says where in
// status, is queried as its users would (HTTP GET, SQL through the mariadb client), and leaves nothing running.
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { backends } from '../support/backends.ts';
import { catalogueTestsSkipped, httpGet, listening, sql } from '../support/catalogue.ts';
import { eventually } from '../support/eventually.ts';
import { isGone } from '../drivers/local-driver-host.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { scratchDir } from '../support/scratch.ts';

const skip = catalogueTestsSkipped();

for (const backend of backends()) {
  describe(`php and mysql services through the engine [${backend}]`, { skip }, () => {
    let server: TestServer;
    let token = '';
    const base = '/api/v1/teams/shop/resources';
    const get = async (id: string) => (await server.call('GET', `${base}/${id}`, { token })).body;
    const until = async (id: string, state: string) => {
      const seen = await eventually(
        () => get(id),
        (r) => r.status.state === state || r.status.state === 'failed',
        `${id} ${state}`,
        90,
      );
      assert.equal(seen.status.state, state, seen.status.message);
      return seen;
    };
    const create = async (name: string, type: string) => {
      const response = await server.call('POST', base, { token, body: { kind: 'service', name, spec: { type } } });
      assert.equal(response.status, 201, response.text);
      return response.body.metadata.id as string;
    };
    const act = async (id: string, action: string) =>
      assert.equal((await server.call('POST', `${base}/${id}/actions/${action}`, { token })).status, 202);
    const serviceDir = (id: string) => path.join(server.app.ctx.config.engine.stateDir, 'local', 'service', id);
    /** Deleted, its process gone and nothing listening at its address any more. */
    const deleted = async (id: string, pid: number, address: string) => {
      assert.equal((await server.call('DELETE', `${base}/${id}`, { token })).status, 202);
      await until(id, 'deleted');
      assert.ok(isGone(pid));
      assert.equal(await listening(address), false);
      assert.throws(() => statSync(serviceDir(id)), 'its directory is removed');
    };

    before(async () => {
      server = await startServer(backend, { engine: { workers: 2 } });
      token = (await server.user('shopkeeper')).token;
      await server.call('POST', '/api/v1/teams', { token, body: { name: 'shop' } });
    });
    after(() => server.close());

    test("a php service serves its code directory with PHP's own server, from a default page on", async () => {
      const id = await create('web', 'php');
      const active = await until(id, 'active');
      const { address, pid, command } = active.status.details;
      assert.match(address, /^127\.0\.0\.1:\d+$/);
      assert.deepEqual(command, ['php', '-S', address, '-t', path.join(serviceDir(id), 'work')]);
      assert.deepEqual(await httpGet(address, '/'), { status: 200, body: 'this PHP service is running\n' });
      writeFileSync(path.join(serviceDir(id), 'work', 'sum.php'), '<?php echo array_sum([$_GET["a"], $_GET["b"]]);');
      assert.deepEqual(await httpGet(address, '/sum.php?a=40&b=2'), { status: 200, body: '42' });

      await act(id, 'stop');
      await until(id, 'stopped');
      assert.ok(isGone(pid));
      assert.equal(await listening(address), false);
      await act(id, 'start');
      const again = (await until(id, 'active')).status.details;
      assert.deepEqual(await httpGet(again.address, '/sum.php?a=1&b=2'), { status: 200, body: '3' });
      await deleted(id, again.pid, again.address);
    });

    test('a mysql service is a MariaDB server of its own, its root password only in a private file status names', async () => {
      const id = await create('db', 'mysql');
      const active = await until(id, 'active');
      const { address, pid, credentials } = active.status.details;
      assert.equal(credentials, path.join(serviceDir(id), 'private', 'root.cnf'));
      assert.equal(statSync(credentials).mode & 0o777, 0o600);
      assert.equal(statSync(path.dirname(credentials)).mode & 0o777, 0o700);
      const password = /^password=(.+)$/m.exec(readFileSync(credentials, 'utf8'))![1];
      assert.ok(password.length >= 24);
      const everything = JSON.stringify([
        active,
        (await server.call('GET', '/api/v1/events?limit=500', { token })).body,
      ]);
      assert.ok(!everything.includes(password), 'the password is in no status and no event');

      await sql(credentials, address, 'CREATE DATABASE shop; CREATE TABLE shop.items (name TEXT, price INT)');
      await sql(credentials, address, "INSERT INTO shop.items VALUES ('tea', 3), ('cake', 5)");
      assert.equal(await sql(credentials, address, 'SELECT SUM(price) FROM shop.items'), '8\n');
      const wrong = path.join(scratchDir('wrong-'), 'root.cnf');
      writeFileSync(wrong, '[client]\nuser=root\npassword=not-the-password\n');
      await assert.rejects(sql(wrong, address, 'SELECT 1'), /Access denied for user 'root'/);

      await act(id, 'restart');
      const restarted = (
        await eventually(
          () => get(id),
          (r) => r.status.state === 'active' && r.status.details.pid !== pid,
          'restarted',
          90,
        )
      ).status.details;
      assert.ok(isGone(pid));
      assert.equal(
        await sql(credentials, restarted.address, 'SELECT name FROM shop.items ORDER BY price'),
        'tea\ncake\n',
      );
      await deleted(id, restarted.pid, restarted.address);
    });
  });
}
