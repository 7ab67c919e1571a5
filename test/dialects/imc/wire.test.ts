import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { backends } from '../../support/backends.ts';
import { basic, startImcServer, type ImcServer, type ImcUser } from './support.ts';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const unknownId = 'b4486ddb-0bb5-4056-b74a-5adf49928eb6';

for (const backend of backends()) {
  describe(`IMC wire format [${backend}]`, () => {
    let s: ImcServer;
    let bob: ImcUser;
    const deploy = (body: unknown, authorization = bob.authorization) =>
      s.imc('POST', '/v1/infrastructures', authorization, body);

    before(async () => {
      // Podman only: an image podman has no copy of has no way to run here (unable), even where skopeo and
      // bwrap could pull and run it; the pulls themselves are test/dialects/imc/registry-images.test.ts's.
      s = await startImcServer(backend, undefined, {}, { containerRuntime: 'podman' });
      bob = await s.user('bob', 'member');
    });
    after(() => s.server.close());

    test('deploying answers 201 with a uuid at once, and the job is accepted', async () => {
      const created = await deploy({ image: 'centos:7', cmd: 'hostname' });
      assert.equal(created.status, 201, created.text);
      assert.deepEqual(Object.keys(created.body), ['id']);
      assert.match(created.body.id, uuid);
      const described = await s.imc('GET', `/v1/infrastructures/${created.body.id}`, bob.authorization);
      assert.equal(described.status, 200);
      assert.deepEqual(Object.keys(described.body).sort(), ['cloud', 'infra_id', 'status', 'status_reason']);
      assert.ok(['accepted', 'creating', 'unable'].includes(described.body.status), described.text);
    });

    test('an image this host cannot run ends unable, with the reason', async () => {
      const { body } = await deploy({ image: 'centos:7', cmd: 'hostname' });
      const unable = await s.until(body.id, bob.authorization, 'unable');
      assert.equal(unable.body.cloud, 'local');
      assert.equal(unable.body.infra_id, body.id);
      // Without pull tools the local driver cannot run it; with them, no registry this test reaches has it.
      assert.match(unable.body.status_reason, /image centos:7 cannot be run here|pulling image \S*centos:7 failed/);
      const listed = await s.imc('GET', '/v1/infrastructures?status=unable', bob.authorization);
      assert.ok(listed.body.some((i: any) => i.id === body.id));
      assert.equal(
        (await s.imc('GET', '/v1/infrastructures?status=failed', bob.authorization)).body.some(
          (i: any) => i.id === body.id,
        ),
        false,
      );
    });

    test('describing an unknown id is 404 {"status":"invalid"}', async () => {
      for (const id of [unknownId, 'not-a-uuid']) {
        const response = await s.imc('GET', `/v1/infrastructures/${id}`, bob.authorization);
        assert.equal(response.status, 404);
        assert.deepEqual(response.body, { status: 'invalid' });
      }
    });

    test('a resource of another kind in the team is not an infrastructure', async () => {
      const stack = await s.server.call('POST', '/api/v1/teams/imc/resources', {
        token: bob.token,
        body: { kind: 'stack', name: 's1' },
      });
      assert.equal(stack.status, 201, stack.text);
      assert.deepEqual((await s.imc('GET', `/v1/infrastructures/${stack.body.metadata.id}`, bob.authorization)).body, {
        status: 'invalid',
      });
      assert.equal(
        (await s.imc('DELETE', `/v1/infrastructures/${stack.body.metadata.id}`, bob.authorization)).status,
        404,
      );
    });

    test('every route needs credentials: 401 {"error":"Authentication failure"}', async () => {
      const eve = await s.user('eve');
      const wrong = [
        undefined,
        basic('bob', 'wrong-password'),
        basic('nobody', 'whatever-password'),
        eve.authorization,
        'Bearer cpt_forged',
        'Basic !!!',
      ];
      for (const authorization of wrong) {
        for (const [method, path] of [
          ['GET', `/v1/infrastructures/${unknownId}`],
          ['GET', '/v1/infrastructures?status=configured'],
          ['DELETE', `/v1/infrastructures/${unknownId}`],
          ['POST', '/v1/infrastructures'],
        ]) {
          const response = await s.imc(
            method,
            path,
            authorization,
            method === 'POST' ? { image: 'centos:7' } : undefined,
          );
          assert.equal(response.status, 401, `${method} ${path} with ${authorization}`);
          assert.deepEqual(response.body, { error: 'Authentication failure' });
        }
      }
    });

    test('a native bearer token is accepted instead of a password', async () => {
      const created = await deploy({ image: 'centos:7', cmd: 'true' }, `Bearer ${bob.token}`);
      assert.equal(created.status, 201, created.text);
      assert.equal((await s.imc('GET', `/v1/infrastructures/${created.body.id}`, `Bearer ${bob.token}`)).status, 200);
    });

    test('a changed password stops working at once, despite the remembered check', async () => {
      const carol = await s.user('carol', 'member');
      assert.equal((await s.imc('GET', '/v1/infrastructures?status=deleted', carol.authorization)).status, 200);
      const changed = await s.server.call('PATCH', `/api/v1/users/${carol.id}`, {
        token: carol.token,
        body: { password: 'new-password-1', currentPassword: 'carol-password' },
      });
      assert.equal(changed.status, 200, changed.text);
      assert.equal((await s.imc('GET', '/v1/infrastructures?status=deleted', carol.authorization)).status, 401);
      assert.equal(
        (await s.imc('GET', '/v1/infrastructures?status=deleted', basic('carol', 'new-password-1'))).status,
        200,
      );
    });

    test('a viewer of the IMC team may look but not deploy or delete', async () => {
      const victor = await s.user('victor', 'viewer');
      const { body } = await deploy({ image: 'centos:7', cmd: 'true' });
      assert.equal((await s.imc('GET', `/v1/infrastructures/${body.id}`, victor.authorization)).status, 200);
      assert.equal((await deploy({ image: 'centos:7' }, victor.authorization)).status, 403);
      assert.equal((await s.imc('DELETE', `/v1/infrastructures/${body.id}`, victor.authorization)).status, 403);
    });

    test('a bad deploy body is 400 {"id": uuid, "error": why}, as IMC answers a record it cannot store, and nothing is stored', async () => {
      const before = await s.server.call('GET', '/api/v1/teams/imc/resources?kind=job&includeDeleted=true&limit=500', {
        token: bob.token,
      });
      const bad: [unknown, RegExp][] = [
        [{ cmd: 'hostname' }, /image/],
        [{ image: '' }, /image/],
        [{ image: 'centos:7', cpus: '2' }, /cpus/],
        [{ image: 'centos:7', nodes: 1.5 }, /nodes/],
        [{ image: 'centos:7', env: 'A=1' }, /env/],
        [{ image: 'centos:7', env: ['NOVALUE'] }, /env/],
        [{ image: 'centos:7', labels: ['novalue'] }, /labels/],
        [{ image: 'centos:7', labels: ['bad key=x'] }, /labels/],
        [{ image: 'centos:7', labels: ['a=1', 'a=2'] }, /twice/],
        [{ image: 'centos:7', labels: ['imc/identity=x'] }, /reserved/],
        [{ image: 'centos:7', inputs: [{ filename: 'in.txt', content: 'not base64!' }] }, /base64/],
        [{ image: 'centos:7', inputs: [{ filename: 'in.txt' }] }, /content/],
        [{ image: 'centos:7', type: 'array' }, /type/],
        [{ image: 'centos:7', instances: 2, parallelism: 3 }, /parallelism/],
        [{ image: 'centos:7', identity: 42 }, /identity/],
      ];
      for (const [body, why] of bad) {
        const response = await deploy(body);
        assert.equal(response.status, 400, `${JSON.stringify(body)}: ${response.text}`);
        assert.deepEqual(Object.keys(response.body), ['id', 'error']);
        assert.match(response.body.id, uuid);
        assert.match(response.body.error, why, JSON.stringify(body));
      }
      const notJson = await s.server.call('POST', '/v1/infrastructures', {
        rawBody: '{"image":',
        headers: { authorization: bob.authorization, 'content-type': 'application/json' },
      });
      assert.equal(notJson.status, 400);
      assert.match(notJson.body.id, uuid);
      assert.equal(
        (await s.imc('GET', `/v1/infrastructures/${notJson.body.id}`, bob.authorization)).status,
        404,
        'nothing is stored under the id',
      );
      const after = await s.server.call('GET', '/api/v1/teams/imc/resources?kind=job&includeDeleted=true&limit=500', {
        token: bob.token,
      });
      assert.equal(after.body.items.length, before.body.items.length);
    });

    test('identity may be any string, and keys the job table does not name are kept, not refused', async () => {
      const identity = 'https://aai.egi.eu/oidc/ 0123abcd@egi.eu';
      const created = await deploy({ image: 'centos:7', cmd: 'true', identity, walltime: 10, site: { name: 'x' } });
      assert.equal(created.status, 201, created.text);
      const job = await s.server.call('GET', `/api/v1/teams/imc/resources/${created.body.id}`, { token: bob.token });
      assert.deepEqual(job.body.spec.extra, { identity, walltime: 10, site: { name: 'x' } });
      assert.equal(job.body.spec.cmd, 'true');
      assert.deepEqual(job.body.metadata.labels, {});
      await s.until(created.body.id, bob.authorization, 'unable');
      const listed = await s.imc('GET', '/v1/infrastructures?status=unable', bob.authorization);
      assert.equal(listed.body.find((i: any) => i.id === created.body.id)?.identity, identity);
    });

    test('a job beyond the team quota is not stored: 400 naming the quota', async () => {
      const quota = await s.server.call('PUT', '/api/v1/teams/imc/quotas', {
        token: s.server.adminToken,
        body: { maxCpus: 4 },
      });
      assert.equal(quota.status, 200, quota.text);
      try {
        const response = await deploy({ image: 'centos:7', cmd: 'true', cpus: 8 });
        assert.equal(response.status, 400);
        assert.match(response.body.id, uuid);
        assert.match(response.body.error, /quota exceeded/);
      } finally {
        await s.server.call('PUT', '/api/v1/teams/imc/quotas', { token: s.server.adminToken, body: {} });
      }
    });

    test('listing needs a status (400 {}); unknown words and other clouds list nothing', async () => {
      for (const path of ['/v1/infrastructures', '/v1/infrastructures/', '/v1/infrastructures?cloud=local']) {
        const response = await s.imc('GET', path, bob.authorization);
        assert.equal(response.status, 400, path);
        assert.deepEqual(response.body, {});
      }
      const { body } = await deploy({ image: 'centos:7', cmd: 'true', identity: 'alice' });
      await s.until(body.id, bob.authorization, 'unable');
      for (const path of ['/v1/infrastructures?status=unable', '/v1/infrastructures/?status=unable&cloud=local']) {
        const listed = await s.imc('GET', path, bob.authorization);
        assert.equal(listed.status, 200);
        const item = listed.body.find((i: any) => i.id === body.id);
        assert.deepEqual(Object.keys(item).sort(), ['created', 'id', 'identity', 'updated']);
        assert.equal(item.identity, 'alice');
        assert.ok(
          Number.isInteger(item.created) &&
            item.updated >= item.created &&
            Math.abs(item.created - Date.now() / 1000) < 120,
        );
      }
      assert.deepEqual(
        (await s.imc('GET', '/v1/infrastructures?status=unable&cloud=openstack', bob.authorization)).body,
        [],
      );
      assert.deepEqual((await s.imc('GET', '/v1/infrastructures?status=bogus', bob.authorization)).body, []);
    });

    test('deleting answers 200 {}; the status goes deletion-requested to deleted', async () => {
      const { body } = await deploy({ image: 'centos:7', cmd: 'true' });
      await s.until(body.id, bob.authorization, 'unable');
      const deleted = await s.imc('DELETE', `/v1/infrastructures/${body.id}`, bob.authorization);
      assert.equal(deleted.status, 200);
      assert.deepEqual(deleted.body, {});
      const next = await s.imc('GET', `/v1/infrastructures/${body.id}`, bob.authorization);
      assert.ok(['deletion-requested', 'deleting', 'deleted'].includes(next.body.status), next.text);
      await s.until(body.id, bob.authorization, 'deleted');
      const listed = await s.imc('GET', '/v1/infrastructures?status=deleted', bob.authorization);
      assert.ok(listed.body.some((i: any) => i.id === body.id));
      assert.deepEqual((await s.imc('DELETE', `/v1/infrastructures/${body.id}`, bob.authorization)).body, {});
    });

    test('deleting an unknown id is 404; ?type=im is not served (400 {})', async () => {
      const unknown = await s.imc('DELETE', `/v1/infrastructures/${unknownId}`, bob.authorization);
      assert.equal(unknown.status, 404);
      assert.deepEqual(unknown.body, { status: 'invalid' });
      const typed = await s.imc('DELETE', `/v1/infrastructures/${unknownId}?type=im&cloud=x`, bob.authorization);
      assert.equal(typed.status, 400);
      assert.deepEqual(typed.body, {});
    });

    test('/openapi.json lists the IMC routes under the imc tag', async () => {
      const { body } = await s.server.call('GET', '/openapi.json');
      assert.deepEqual(body.paths['/v1/infrastructures'].post.tags, ['imc']);
      assert.deepEqual(body.paths['/v1/infrastructures'].get.tags, ['imc']);
      assert.deepEqual(body.paths['/v1/infrastructures/{id}'].get.tags, ['imc']);
      assert.deepEqual(body.paths['/v1/infrastructures/{id}'].delete.tags, ['imc']);
      const forms = body.paths['/v1/infrastructures'].post.requestBody.content['application/json'].schema.anyOf;
      assert.equal(forms.length, 2, 'the job table and the infrastructure description');
      assert.ok(forms[0].required.includes('image'));
      assert.ok(forms[1].properties.requirements.properties.resources.properties.cores);
    });
  });
}
