import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { backends, createPostgresDatabase } from '../support/backends.ts';
import { eventually } from '../support/eventually.ts';
import { startChild, type ChildServer } from '../support/process-server.ts';
import { alive } from '../support/processes.ts';
import { scratchDir } from '../support/scratch.ts';

for (const backend of backends()) {
  describe(`kill -9 of the server while operations run [${backend}]`, () => {
    const dir = scratchDir('cloudplane-crash-');
    let database: { url: string; drop: () => Promise<void> } | undefined;
    let server: ChildServer | undefined;
    after(async () => {
      await server?.kill();
      await database?.drop();
    });

    test('after a restart nothing is lost, nothing is stuck, and nothing ran twice', async () => {
      database = backend === 'postgres' ? await createPostgresDatabase() : undefined;
      const env = {
        CLOUDPLANE_DATABASE_SQLITE_PATH: join(dir, 'db.sqlite'),
        CLOUDPLANE_DATABASE_URL: database?.url ?? '',
        CLOUDPLANE_ENGINE_STATE_DIR: join(dir, 'state'),
        CLOUDPLANE_ENGINE_LEASE_SECONDS: '2',
        CLOUDPLANE_BOOTSTRAP_ADMIN_PASSWORD: 'crash-test-password',
      };
      server = await startChild(env);
      const login = await server.call('POST', '/api/v1/auth/login', {
        body: { username: 'admin', password: 'crash-test-password' },
      });
      const token = login.body.token.token;
      await server.call('POST', '/api/v1/teams', { token, body: { name: 'crash' } });
      const base = '/api/v1/teams/crash/resources';
      const runs = join(dir, 'runs.txt');
      const create = async (body: unknown) =>
        (await server!.call('POST', base, { token, body })).body.metadata.id as string;
      const get = async (id: string) => (await server!.call('GET', `${base}/${id}`, { token })).body;

      const longJob = await create({
        kind: 'job',
        name: 'long',
        spec: { cmd: '/bin/sh', args: `-c 'sleep 2; echo long >> ${runs}'` },
      });
      const series = await create({
        kind: 'job',
        name: 'series',
        spec: {
          cmd: '/bin/sh',
          args: `-c 'echo i$CLOUDPLANE_INSTANCE_INDEX >> ${runs}; sleep 1'`,
          instances: 3,
          parallelism: 1,
        },
      });
      const machine = await create({ kind: 'server', name: 'vm', spec: { command: ['sleep', '600'] } });
      await eventually(
        () => get(longJob),
        (r) => r.status.state === 'active',
        'long job running',
      );
      const running = await eventually(
        () => get(machine),
        (r) => r.status.state === 'active',
        'server running',
      );
      const pid = running.status.details.pid ?? running.status.details.processes?.[0]?.pid;
      // More work queued at the moment of the crash.
      const late = await create({
        kind: 'job',
        name: 'late',
        spec: { cmd: '/bin/sh', args: `-c 'echo late >> ${runs}'` },
      });

      await server.kill('SIGKILL');
      assert.ok(alive(pid), 'the server process outlives a crash of the control plane');
      server = await startChild(env);

      for (const id of [longJob, series, late])
        await eventually(
          () => get(id),
          (r) => r.status.state === 'succeeded',
          `${id} succeeded`,
          60,
        );
      const after = await get(machine);
      assert.equal(after.status.state, 'active');
      assert.equal(
        after.status.details.pid ?? after.status.details.processes?.[0]?.pid,
        pid,
        'the server was re-adopted, not started again',
      );
      const lines = readFileSync(runs, 'utf8').trim().split('\n').sort();
      assert.deepEqual(lines, ['i0', 'i1', 'i2', 'late', 'long']);
      for (const id of [longJob, series, late, machine]) {
        const operations = (await server.call('GET', `${base}/${id}/operations`, { token })).body.items;
        assert.ok(
          operations.every((o: any) => o.state === 'done'),
          JSON.stringify(operations),
        );
      }
      await server.call('DELETE', `${base}/${machine}`, { token });
      await eventually(
        () => get(machine),
        (r) => r.status.state === 'deleted',
        'server deleted',
      );
      assert.ok(!alive(pid));
      assert.ok(existsSync(dir));
    });
  });
}
