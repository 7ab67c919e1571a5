import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { backends } from '../../support/backends.ts';
import { eventually } from '../../support/eventually.ts';
import { runnableImage, startImcServer, tinyImageRoot, type ImcServer, type ImcUser } from './support.ts';

const imageRoot = tinyImageRoot();
const base64 = (text: string) => Buffer.from(text).toString('base64');

// Every backend's suite runs jobs in the same image, so it goes only once all are done.
after(() => {
  if (imageRoot) rmSync(imageRoot, { recursive: true, force: true });
});

for (const backend of backends()) {
  describe(
    `IMC jobs run through the engine [${backend}]`,
    { skip: !imageRoot && !process.env.CI && 'needs bwrap and busybox (CI installs them and never skips this)' },
    () => {
      let s: ImcServer;
      let bob: ImcUser;
      const native = (method: string, path: string, body?: unknown) =>
        s.server.call(method, `/api/v1/teams/imc/resources${path}`, { token: bob.token, body });
      const nativeState = (id: string, state: string) =>
        eventually(
          () => native('GET', `/${id}`),
          (r) => r.body.status.state === state,
          `${id} ${state}`,
          60,
        );
      const deploy = async (body: unknown) => {
        const created = await s.imc('POST', '/v1/infrastructures', bob.authorization, body);
        assert.equal(created.status, 201, created.text);
        return created.body.id as string;
      };

      before(async () => {
        s = await startImcServer(backend, imageRoot);
        bob = await s.user('bob', 'member');
      });
      after(async () => {
        await s.server.close();
      });

      test('a job deployed through IMC is a job of the IMC team, with its labels, and runs to succeeded', async () => {
        const id = await deploy({
          image: runnableImage,
          cmd: '/bin/sh',
          args: "-c 'cat in.txt; echo $GREETING'",
          env: ['GREETING=hello from imc'],
          inputs: [{ filename: 'in.txt', content: base64('input file\n') }],
          labels: ['project=demo', 'tier=batch'],
          identity: 'alice',
          cpus: 1,
          memory: 1,
          runtime: 5,
        });
        const done = await nativeState(id, 'succeeded');
        assert.equal(done.body.metadata.kind, 'job');
        assert.equal(done.body.metadata.name, `imc-${id}`);
        assert.deepEqual(done.body.metadata.labels, { project: 'demo', tier: 'batch' });
        assert.deepEqual(done.body.spec.extra, { identity: 'alice' });
        assert.equal(done.body.spec.image, runnableImage);
        assert.equal(done.body.status.details.enforcement.container, 'bwrap');
        assert.equal((await native('GET', `/${id}/logs/i0/stdout`)).text, 'input file\nhello from imc\n');

        const described = await s.imc('GET', `/v1/infrastructures/${id}`, bob.authorization);
        assert.deepEqual(described.body, { status: 'configured', status_reason: null, cloud: 'local', infra_id: id });
        const selected = await native('GET', '?kind=job&labelSelector=project%3Ddemo');
        assert.deepEqual(
          selected.body.items.map((r: any) => r.metadata.id),
          [id],
        );
        const listed = await s.imc('GET', '/v1/infrastructures?status=configured&cloud=local', bob.authorization);
        assert.deepEqual(listed.body.find((i: any) => i.id === id)?.identity, 'alice');
      });

      test('a running job is configured; deleting it stops it and it ends deleted on both APIs', async () => {
        const id = await deploy({ image: runnableImage, cmd: 'sleep', args: '60' });
        await nativeState(id, 'active');
        assert.equal((await s.imc('GET', `/v1/infrastructures/${id}`, bob.authorization)).body.status, 'configured');
        assert.ok(
          (await s.imc('GET', '/v1/infrastructures?status=configured', bob.authorization)).body.some(
            (i: any) => i.id === id,
          ),
        );
        assert.equal((await s.imc('DELETE', `/v1/infrastructures/${id}`, bob.authorization)).status, 200);
        const next = await s.imc('GET', `/v1/infrastructures/${id}`, bob.authorization);
        assert.ok(['deletion-requested', 'deleting', 'deleted'].includes(next.body.status), next.text);
        await s.until(id, bob.authorization, 'deleted');
        assert.equal((await native('GET', `/${id}`)).body.status.state, 'deleted');
      });

      test('a job that exits non-zero is failed, with the reason', async () => {
        const id = await deploy({ image: runnableImage, cmd: '/bin/sh', args: "-c 'exit 3'" });
        const failed = await s.until(id, bob.authorization, 'failed');
        assert.match(failed.body.status_reason, /exited with code 3/);
        assert.ok(
          (await s.imc('GET', '/v1/infrastructures?status=failed', bob.authorization)).body.some(
            (i: any) => i.id === id,
          ),
        );
      });

      test('a job created through the native API is describable through IMC', async () => {
        const created = await native('POST', '', {
          kind: 'job',
          name: 'native-job',
          spec: { image: runnableImage, cmd: 'true' },
        });
        assert.equal(created.status, 201, created.text);
        const id = created.body.metadata.id;
        await nativeState(id, 'succeeded');
        const described = await s.imc('GET', `/v1/infrastructures/${id}`, bob.authorization);
        assert.deepEqual(described.body, { status: 'configured', status_reason: null, cloud: 'local', infra_id: id });
        const listed = await s.imc('GET', '/v1/infrastructures?status=configured', bob.authorization);
        assert.equal(listed.body.find((i: any) => i.id === id)?.identity, null);
      });

      test('a job stopped through the native API is failed for IMC, with the reason', async () => {
        const id = await deploy({ image: runnableImage, cmd: 'sleep', args: '60' });
        await nativeState(id, 'active');
        assert.equal((await native('POST', `/${id}/actions/stop`)).status, 202);
        await nativeState(id, 'stopped');
        const described = await s.imc('GET', `/v1/infrastructures/${id}`, bob.authorization);
        assert.equal(described.body.status, 'failed');
        assert.ok(described.body.status_reason);
      });
    },
  );
}
