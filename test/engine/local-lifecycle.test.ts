import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { backends } from '../support/backends.ts';
import { eventually } from '../support/eventually.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { alive } from '../support/processes.ts';

for (const backend of backends()) {
  describe(`engine with the local driver [${backend}]`, () => {
    let server: TestServer;
    let token = '';
    const base = '/api/v1/teams/life/resources';
    const get = async (id: string) => (await server.call('GET', `${base}/${id}`, { token })).body;
    const until = (id: string, state: string) =>
      eventually(
        () => get(id),
        (r) => r.status.state === state,
        `${id} ${state}`,
      );
    const create = async (body: unknown) => {
      const response = await server.call('POST', base, { token, body });
      assert.equal(response.status, 201, response.text);
      return response.body.metadata.id as string;
    };
    const act = (id: string, action: string) => server.call('POST', `${base}/${id}/actions/${action}`, { token });

    before(async () => {
      server = await startServer(backend, {
        engine: { workers: 2, backoffBaseMs: 50, backoffMaxMs: 200, maxAttempts: 3 },
      });
      token = (await server.user('life-owner')).token;
      await server.call('POST', '/api/v1/teams', { token, body: { name: 'life' } });
    });
    after(async () => {
      const live = await server.call('GET', `${base}?limit=500`, { token });
      for (const resource of live.body.items) await server.call('DELETE', `${base}/${resource.metadata.id}`, { token });
      for (const resource of live.body.items) await until(resource.metadata.id, 'deleted').catch(() => {});
      await server.close();
    });

    test('a job runs to succeeded or failed by its exit code', async () => {
      const ok = await create({ kind: 'job', name: 'ok', spec: { cmd: 'true' } });
      const bad = await create({ kind: 'job', name: 'bad', spec: { cmd: '/bin/sh', args: "-c 'exit 3'" } });
      assert.equal((await until(ok, 'succeeded')).status.observedGeneration, 1);
      assert.match((await until(bad, 'failed')).status.message, /exited with code 3/);
    });

    test("a job's logs are readable and followable, its declared outputs downloadable", async () => {
      const script =
        'echo hello; echo oops >&2; mkdir -p results; echo data > results/r.txt; echo out > out.txt; echo secret > private.txt';
      const id = await create({
        kind: 'job',
        name: 'files',
        spec: { cmd: '/bin/sh', args: `-c '${script}'`, outputFiles: ['out.txt'], outputDirs: ['results'] },
      });
      await until(id, 'succeeded');
      const logs = await server.call('GET', `${base}/${id}/logs`, { token });
      assert.deepEqual(
        logs.body.items.map((l: any) => [l.task, l.stdoutBytes, l.stderrBytes]),
        [['i0', 6, 5]],
      );
      assert.equal((await server.call('GET', `${base}/${id}/logs/i0/stdout`, { token })).text, 'hello\n');
      assert.equal((await server.call('GET', `${base}/${id}/logs/i0/stderr`, { token })).text, 'oops\n');
      assert.equal((await server.call('GET', `${base}/${id}/outputs/out.txt`, { token })).text, 'out\n');
      const tar = await fetch(`${server.url}${base}/${id}/outputs/results`, {
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(tar.headers.get('content-type'), 'application/x-tar');
      assert.match(Buffer.from(await tar.arrayBuffer()).toString('latin1'), /results\/r\.txt/);
      assert.equal((await server.call('GET', `${base}/${id}/outputs/private.txt`, { token })).status, 404);
      assert.equal((await server.call('GET', `${base}/${id}/logs/i7/stdout`, { token })).status, 404);

      const slow = await create({
        kind: 'job',
        name: 'follow',
        spec: { cmd: '/bin/sh', args: "-c 'echo first; sleep 1; echo second'" },
      });
      await until(slow, 'active');
      const followed = await eventually(
        () => server.call('GET', `${base}/${slow}/logs/i0/stdout?follow=true`, { token }),
        (r) => r.status === 200 && r.text.includes('first'),
        'log exists',
      );
      assert.equal(followed.text, 'first\nsecond\n');
    });

    test('a server goes through every power action on a real process', async () => {
      const id = await create({ kind: 'server', name: 'vm', spec: { command: ['sleep', '300'] } });
      const active = await until(id, 'active');
      const pid = active.status.details.pid ?? active.status.details.processes?.[0]?.pid;
      assert.ok(pid && alive(pid), JSON.stringify(active.status.details));
      assert.equal((await act(id, 'suspend')).status, 202);
      await until(id, 'suspended');
      assert.equal((await act(id, 'suspend')).status, 409);
      await act(id, 'resume');
      await until(id, 'active');
      await act(id, 'stop');
      await until(id, 'stopped');
      assert.ok(!alive(pid));
      await act(id, 'start');
      const restarted = await until(id, 'active');
      const newPid = restarted.status.details.pid ?? restarted.status.details.processes?.[0]?.pid;
      assert.ok(alive(newPid));
      const deleting = await server.call('DELETE', `${base}/${id}`, { token });
      assert.equal(deleting.status, 202);
      await until(id, 'deleted');
      assert.ok(!alive(newPid));
    });

    test('a service from the catalogue serves on its port, and a rename keeps the process', async () => {
      const id = await create({
        kind: 'service',
        name: 'web',
        spec: { type: 'http-static', displayName: 'New http service' },
      });
      const active = await until(id, 'active');
      // The process is up; the program inside it may take a moment to listen.
      const answered = await eventually(
        () =>
          fetch(`http://${active.status.details.address}/`).then(
            (r) => r.status,
            () => 0,
          ),
        (status) => status === 200,
        'serving',
      );
      assert.equal(answered, 200);
      await server.call('PATCH', `${base}/${id}`, { token, body: { spec: { displayName: 'renamed' } } });
      const renamed = await eventually(
        () => get(id),
        (r) => r.status.observedGeneration === 2,
        'rename applied',
      );
      assert.equal(renamed.status.details.pid, active.status.details.pid);
    });

    test('an application deploys into its cluster and fails cleanly when there is no room', async () => {
      const cluster = await create({ kind: 'cluster', name: 'small', spec: { nodePoolSize: 1 } });
      await until(cluster, 'active');
      const first = await create({
        kind: 'application',
        name: 'a1',
        parent: cluster,
        spec: { chart: 'c', command: ['sleep', '300'] },
      });
      await until(first, 'active');
      const second = await create({
        kind: 'application',
        name: 'a2',
        parent: cluster,
        spec: { chart: 'c', command: ['sleep', '300'] },
      });
      assert.match((await until(second, 'failed')).status.message, /no room/);
      const operations = await server.call('GET', `${base}/${second}/operations`, { token });
      assert.equal(operations.body.items[0].attempts, 1, 'a permanent failure is not retried');
    });

    test('deleting a cluster deletes its applications first', async () => {
      const cluster = await create({ kind: 'cluster', name: 'doomed', spec: { nodePoolSize: 2 } });
      await until(cluster, 'active');
      const app = await create({
        kind: 'application',
        name: 'inside',
        parent: cluster,
        spec: { chart: 'c', command: ['sleep', '300'] },
      });
      const pid = (await until(app, 'active')).status.details.processes?.[0]?.pid;
      await server.call('DELETE', `${base}/${cluster}`, { token });
      await until(cluster, 'deleted');
      assert.equal((await get(app)).status.state, 'deleted');
      if (pid) assert.ok(!alive(pid));
    });
  });
}

describe('driver failures retry with backoff, then fail with the message', () => {
  test('an application on a cluster the local driver never set up fails after the retry budget', async () => {
    const server = await startServer('sqlite', {
      engine: { workers: 1, backoffBaseMs: 20, backoffMaxMs: 50, maxAttempts: 3, drivers: { cluster: 'external' } },
    });
    try {
      const { token } = await server.user('retry-owner');
      await server.call('POST', '/api/v1/teams', { token, body: { name: 'retry' } });
      const cluster = (
        await server.call('POST', '/api/v1/teams/retry/resources', {
          token,
          body: { kind: 'cluster', name: 'c', spec: { nodePoolSize: 1 } },
        })
      ).body;
      const app = (
        await server.call('POST', '/api/v1/teams/retry/resources', {
          token,
          body: {
            kind: 'application',
            name: 'a',
            parent: cluster.metadata.id,
            spec: { chart: 'c', command: ['true'] },
          },
        })
      ).body;
      const url = `/api/v1/teams/retry/resources/${app.metadata.id}`;
      const failed = await eventually(
        async () => (await server.call('GET', url, { token })).body,
        (r) => r.status.state === 'failed',
        'failed',
      );
      assert.match(failed.status.message, /is not active yet/);
      const operations = await server.call('GET', `${url}/operations`, { token });
      assert.deepEqual(
        operations.body.items.map((o: any) => [o.state, o.attempts]),
        [['failed', 3]],
      );
      assert.match(operations.body.items[0].lastError, /is not active yet/);
    } finally {
      await server.close();
    }
  });
});
