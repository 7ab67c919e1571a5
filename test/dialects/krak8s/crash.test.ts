import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { backends } from '../../support/backends.ts';
import { adminPassword, crashSite, type CrashSite } from '../../support/crash.ts';
import type { ChildServer } from '../../support/process-server.ts';

async function adminToken(server: ChildServer): Promise<string> {
  return (await server.call('POST', '/api/v1/auth/login', { body: { username: 'admin', password: adminPassword } }))
    .body.token.token;
}

for (const backend of backends()) {
  describe(`krak8s: kill -9 between a create's two writes leaves neither half [${backend}]`, () => {
    let site: CrashSite;
    after(() => site?.close());

    test('a cluster killed before its krak8s id is written is not there after a restart, and the namespace takes a new one', async () => {
      site = await crashSite(backend);
      const doomed = await site.startDoomed('insert into "krak8s_ids"', 'cluster');
      const token = await adminToken(doomed);
      const auth = { authorization: `Bearer ${token}` };
      const project = (await doomed.call('POST', '/v1/projects', { body: { name: 'crashing' }, headers: auth })).body
        .id;
      const namespace = (
        await doomed.call('POST', `/v1/projects/${project}/namespaces`, {
          body: { name: 'crashing-ns' },
          headers: auth,
        })
      ).body.id;
      await assert.rejects(
        doomed.call('POST', `/v1/projects/${project}/cluster`, {
          body: { namespace_id: namespace, nodePoolSize: 3 },
          headers: auth,
        }),
      );
      await doomed.kill();

      assert.equal(
        await site.count(`select count(*) as n from resources where kind = 'cluster'`),
        0,
        'no cluster without its krak8s id',
      );
      assert.equal(
        await site.count(`select count(*) as n from krak8s_ids where object_type = 'cluster'`),
        0,
        'no krak8s id without its cluster',
      );
      const server = await site.start();
      const again = await server.call('POST', `/v1/projects/${project}/cluster`, {
        body: { namespace_id: namespace, nodePoolSize: 3 },
        headers: { authorization: `Bearer ${await adminToken(server)}` },
      });
      assert.equal(again.status, 202, again.text);
      assert.equal(await site.count(`select count(*) as n from krak8s_ids where object_type = 'cluster'`), 1);
    });
  });
}
