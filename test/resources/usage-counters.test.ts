import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { purgeDeletedResources } from '../../src/engine/purge.ts';
import { createKindRegistry, usageOfKinds } from '../../src/resources/kinds/registry.ts';
import { migrationsFor, openStore } from '../../src/store/database.ts';
import { openSqlite } from '../../src/store/sqlite-driver.ts';
import { backends, createPostgresDatabase } from '../support/backends.ts';
import { forEachBackend } from '../support/each-backend.ts';
import { eventually } from '../support/eventually.ts';

const agentDrivers = { server: 'external', job: 'external', stack: 'external' };

forEachBackend(
  "a team's usage counters",
  (server) => {
    let token = '';
    let agent = '';
    const team = 'counted';
    const base = `/api/v1/teams/${team}/resources`;
    const create = (body: unknown) => server().call('POST', base, { token, body });
    const get = async (id: string) => (await server().call('GET', `${base}/${id}`, { token })).body;

    /** What the team's live rows hold, counted from scratch by their kinds: what the counters must say. */
    async function recount() {
      const { ctx } = server().app;
      const rows = await ctx.store.db
        .selectFrom('resources')
        .innerJoin('teams', 'teams.id', 'resources.team_id')
        .select(['resources.kind', 'resources.spec', 'resources.state'])
        .where('teams.name', '=', team)
        .where('resources.state', '<>', 'deleted')
        .execute();
      const usage = { cpus: 0, memoryMiB: 0, resources: {} as Record<string, number> };
      for (const row of rows) {
        const held = ctx.kinds.get(row.kind)!.definition.usage(JSON.parse(row.spec) as never);
        usage.cpus += held.cpus;
        usage.memoryMiB += held.memoryMiB;
        usage.resources[row.kind] = (usage.resources[row.kind] ?? 0) + 1;
      }
      return usage;
    }

    async function assertExact() {
      const read = await server().call('GET', `/api/v1/teams/${team}/quotas`, { token });
      assert.equal(read.status, 200);
      assert.deepEqual(read.body.usage, await recount());
      return read.body.usage;
    }

    before(async () => {
      token = (await server().user('counter')).token;
      await server().call('POST', '/api/v1/teams', { token, body: { name: team } });
      agent = (await server().call('POST', '/api/v1/tokens', { token, body: { name: 'agent', scopes: ['agent'] } }))
        .body.token;
    });

    test('concurrent creates are all counted', async () => {
      const created = await Promise.all([
        ...Array.from({ length: 12 }, (_, i) =>
          create({ kind: 'server', name: `s${i}`, spec: { cpus: 1 + (i % 3), memoryMiB: 512 * (1 + i) } }),
        ),
        ...Array.from({ length: 4 }, (_, i) =>
          create({ kind: 'job', name: `j${i}`, spec: { cmd: 'true', cpus: 2, nodes: 1 + i } }),
        ),
        ...Array.from({ length: 3 }, (_, i) => create({ kind: 'stack', name: `k${i}` })),
      ]);
      assert.deepEqual(
        created.map((c) => c.status),
        Array(19).fill(201),
      );
      const usage = await assertExact();
      assert.deepEqual(usage.resources, { server: 12, job: 4, stack: 3 });
      assert.ok(usage.cpus > 0 && usage.memoryMiB > 0);
    });

    test('a refused create counts nothing; a spec change moves the counters by its difference', async () => {
      const before = await assertExact();
      assert.equal((await create({ kind: 'server', name: 's0', spec: { cpus: 64 } })).status, 409);
      assert.deepEqual(await assertExact(), before);
      const s0 = (await server().call('GET', `${base}?kind=server&name=s0`, { token })).body.items[0];
      const grown = await server().call('PATCH', `${base}/${s0.metadata.id}`, {
        token,
        body: { spec: { cpus: s0.spec.cpus + 5 } },
      });
      assert.equal(grown.status, 200);
      assert.equal((await assertExact()).cpus, before.cpus + 5);
    });

    test('a failed resource still holds its share; deleting and purging release it', async () => {
      const servers = (await server().call('GET', `${base}?kind=server`, { token })).body.items;
      const [failing, deleted, purged] = servers;
      for (const { metadata } of servers.slice(0, 3))
        await eventually(
          () => get(metadata.id),
          (r) => r.status.observedGeneration >= 1,
          'applied by the engine',
        );
      const report = await server().call('POST', `${base}/${failing.metadata.id}/status`, {
        token: agent,
        body: { state: 'failed', message: 'disk gone' },
      });
      assert.equal(report.status, 200, report.text);
      const withFailed = await assertExact();
      assert.equal(withFailed.resources.server, 12);
      for (const { metadata } of [deleted, purged]) {
        assert.equal((await server().call('DELETE', `${base}/${metadata.id}`, { token })).status, 202);
        await eventually(
          () => get(metadata.id),
          (r) => r.status.state === 'deleted',
          'deleted by the engine',
        );
      }
      assert.equal((await assertExact()).resources.server, 10);
      assert.ok((await purgeDeletedResources(server().app.ctx, 0)) >= 2);
      assert.equal((await get(purged.metadata.id)).status, 404);
      assert.equal((await assertExact()).resources.server, 10);
    });

    test('quotas are checked against the counters and still refuse', async () => {
      const usage = await assertExact();
      const set = await server().call('PUT', `/api/v1/teams/${team}/quotas`, {
        token: server().adminToken,
        body: { maxCpus: usage.cpus + 2, maxResources: { stack: usage.resources.stack } },
      });
      assert.equal(set.status, 200);
      const stack = await create({ kind: 'stack', name: 'one-too-many' });
      assert.equal(stack.status, 409);
      assert.match(stack.body.detail, /stack resources: 3 of 3/);
      assert.equal((await create({ kind: 'server', name: 'fits', spec: { cpus: 2 } })).status, 201);
      const over = await create({ kind: 'server', name: 'does-not-fit', spec: { cpus: 1 } });
      assert.equal(over.status, 409);
      assert.match(over.body.detail, new RegExp(`cpus: ${usage.cpus + 2} used \\+ 1 asked > ${usage.cpus + 2}`));
      await assertExact();
    });
  },
  { engine: { workers: 1, drivers: agentDrivers } },
);

for (const backend of backends()) {
  describe(`migration 008 counts the resources already there [${backend}]`, () => {
    let database: { url: string; sqlitePath: string; poolSize: number };
    let cleanup: () => Promise<void>;

    before(async () => {
      if (backend === 'postgres') {
        const created = await createPostgresDatabase();
        database = { url: created.url, sqlitePath: '', poolSize: 2 };
        cleanup = created.drop;
      } else {
        const dir = await mkdtemp(join(tmpdir(), 'cloudplane-usage-'));
        database = { url: '', sqlitePath: join(dir, 'db.sqlite'), poolSize: 1 };
        cleanup = () => rm(dir, { recursive: true, force: true });
      }
    });
    after(() => cleanup());

    /** The database as migration 007 left it, with a team holding a few resources (one deleted). */
    async function seedBefore008() {
      const dialect =
        backend === 'postgres'
          ? new PostgresDialect({ pool: new pg.Pool({ connectionString: database.url }) })
          : new SqliteDialect({ database: openSqlite(database.sqlitePath) });
      const db = new Kysely<any>({ dialect });
      const migrator = new Migrator({ db, provider: { getMigrations: async () => migrationsFor(backend) } });
      const { error } = await migrator.migrateTo('007-conpaas-apps');
      assert.ifError(error);
      const at = new Date().toISOString();
      await db.insertInto('teams').values({ id: 't1', name: 'old', created_at: at, updated_at: at }).execute();
      const resource = (id: string, kind: string, spec: object, state = 'active') => ({
        id,
        team_id: 't1',
        kind,
        name: id,
        labels: '{}',
        spec: JSON.stringify(spec),
        state,
        status: '{}',
        generation: 1,
        resource_version: 1,
        created_at: at,
        updated_at: at,
        driver: 'external',
      });
      await db
        .insertInto('resources')
        .values([
          resource('a', 'server', { cpus: 2, memoryMiB: 1024 }),
          resource('b', 'server', { cpus: 3, memoryMiB: 2048 }, 'failed'),
          resource('c', 'server', { cpus: 5, memoryMiB: 4096 }, 'deleted'),
          resource('d', 'stack', {}),
        ])
        .execute();
      await db.destroy();
    }

    test('existing resources are counted from their specs by their kinds; deleted ones are not', async () => {
      await seedBefore008();
      await assert.rejects(openStore(database), /needs the kinds to count the usage of existing resources/);
      const store = await openStore(database, usageOfKinds(createKindRegistry()));
      try {
        const usage = await store.db
          .selectFrom('team_usage')
          .select(['kind', 'resources', 'cpus', 'memory_mib'])
          .where('team_id', '=', 't1')
          .orderBy('kind')
          .execute();
        assert.deepEqual(
          usage.map((row) => ({ ...row })),
          [
            { kind: 'server', resources: 2, cpus: 5, memory_mib: 3072 },
            { kind: 'stack', resources: 1, cpus: 0, memory_mib: 0 },
          ],
        );
        const deleted = await store.db
          .selectFrom('resources')
          .select(['usage_cpus', 'usage_memory_mib'])
          .where('id', '=', 'c')
          .executeTakeFirstOrThrow();
        assert.deepEqual({ ...deleted }, { usage_cpus: 5, usage_memory_mib: 4096 });
      } finally {
        await store.close();
      }
    });
  });
}
