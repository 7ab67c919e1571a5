// The order of operations and the check order of each controller: which error a wrong request gets.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually } from '../../support/eventually.ts';
import { goaError, listApplications, onEachBackend } from './support.ts';

onEachBackend('krak8s order of operations', (server) => {
  const post = (path: string, body: unknown) => server().call('POST', path, { body });
  const get = (path: string) => server().call('GET', path);
  const del = (path: string) => server().call('DELETE', path);

  async function projectWithNamespace(name: string) {
    const pid = (await post('/v1/projects', { name })).body.id as string;
    const nsid = (await post(`/v1/projects/${pid}/namespaces`, { name: `${name}-ns` })).body.id as string;
    return { pid, nsid };
  }

  test('a cluster before its namespace is a 404; under an unknown project too', async () => {
    const pid = (await post('/v1/projects', { name: 'early' })).body.id;
    const early = await post(`/v1/projects/${pid}/cluster`, { namespace_id: '12345678', nodePoolSize: 3 });
    assert.deepEqual([early.status, early.text], [404, '']);
    assert.equal((await post('/v1/projects/0badc0de/namespaces', { name: 'x' })).status, 404);
    assert.equal((await post('/v1/projects/0badc0de/cluster', { namespace_id: '12345678' })).status, 404);
    // The payload is checked before the project.
    assert.equal((await post('/v1/projects/0badc0de/cluster', { nodePoolSize: 1 })).status, 400);
  });

  test('an application before its cluster is a 400; a second cluster in a namespace is a bare 409', async () => {
    const { pid, nsid } = await projectWithNamespace('order');
    const tooEarly = await post(`/v1/projects/${pid}/applications`, { name: 'web', namespace_id: nsid });
    assert.equal(tooEarly.status, 400);
    assert.equal(goaError(tooEarly).code, 'bad_request');
    assert.match(goaError(tooEarly).detail, /create the cluster before its applications/);
    assert.equal((await post(`/v1/projects/${pid}/cluster`, { namespace_id: nsid })).status, 202);
    const second = await post(`/v1/projects/${pid}/cluster`, { namespace_id: nsid, nodePoolSize: 5 });
    assert.deepEqual([second.status, second.text], [409, '']);
    assert.equal((await post(`/v1/projects/${pid}/applications`, { name: 'web', namespace_id: nsid })).status, 202);
  });

  test("another project's namespace: 409 before 400 on cluster create, 400 on delete, 404 on reads", async () => {
    const a = await projectWithNamespace('left');
    const b = await projectWithNamespace('right');
    const crossed = await post(`/v1/projects/${a.pid}/cluster`, { namespace_id: b.nsid });
    assert.equal(crossed.status, 400);
    assert.equal(goaError(crossed).detail, 'Invalid Namespace Object ID specified in request');
    await post(`/v1/projects/${b.pid}/cluster`, { namespace_id: b.nsid });
    assert.equal(
      (await post(`/v1/projects/${a.pid}/cluster`, { namespace_id: b.nsid })).status,
      409,
      'the one-cluster check comes first',
    );
    assert.equal((await post(`/v1/projects/${a.pid}/applications`, { name: 'web', namespace_id: b.nsid })).status, 400);
    assert.equal((await del(`/v1/projects/${a.pid}/namespaces/${b.nsid}`)).status, 400);
    assert.equal((await get(`/v1/projects/${a.pid}/namespaces/${b.nsid}`)).status, 404);
    assert.equal((await listApplications(server(), a.pid, b.nsid)).status, 404);
    assert.equal((await get(`/v1/projects/${b.pid}/namespaces/${b.nsid}`)).status, 200);
  });

  test('deleting a cluster: 404 for an unknown one, 400 once it is already being deleted; then a new one can be made', async () => {
    const { pid, nsid } = await projectWithNamespace('redo');
    assert.equal((await del(`/v1/projects/${pid}/cluster/0badc0de`)).status, 404);
    const cluster = (await post(`/v1/projects/${pid}/cluster`, { namespace_id: nsid })).body;
    await eventually(
      () => get(`/v1/projects/${pid}/cluster/${cluster.id}`),
      (r) => r.body.state === 'active',
      'active',
    );
    assert.equal((await del(`/v1/projects/${pid}/cluster/${cluster.id}`)).status, 204);
    const again = await del(`/v1/projects/${pid}/cluster/${cluster.id}`);
    assert.equal(again.status, 400);
    assert.equal(goaError(again).detail, 'Invalid Cluster Resource Object ID specified in request');
    const next = await post(`/v1/projects/${pid}/cluster`, { namespace_id: nsid, nodePoolSize: 4 });
    assert.equal(next.status, 202);
    assert.equal((await get(`/v1/projects/${pid}/namespaces/${nsid}`)).body.resources.oid, next.body.id);
  });

  test('a deleted application is gone at once (404) and leaves its namespace; applications of a deleted cluster show DELETING/DELETED', async () => {
    const { pid, nsid } = await projectWithNamespace('apps');
    const cluster = (await post(`/v1/projects/${pid}/cluster`, { namespace_id: nsid })).body;
    const first = (await post(`/v1/projects/${pid}/applications`, { name: 'first', namespace_id: nsid })).body;
    const second = (await post(`/v1/projects/${pid}/applications`, { name: 'second', namespace_id: nsid })).body;
    assert.deepEqual(
      (await listApplications(server(), pid, nsid)).body.map((a: { id: string }) => a.id),
      [first.id, second.id],
    );
    assert.equal((await del(`/v1/projects/${pid}/applications/0badc0de`)).status, 404);
    const removed = await del(`/v1/projects/${pid}/applications/${first.id}`);
    assert.deepEqual([removed.status, removed.text], [204, '']);
    const gone = await get(`/v1/projects/${pid}/applications/${first.id}`);
    assert.deepEqual([gone.status, gone.headers.get('content-length')], [404, '0']);
    assert.deepEqual((await get(`/v1/projects/${pid}/namespaces/${nsid}`)).body.applications, [
      { oid: second.id, url: `/v1/projects/${pid}/applications/${second.id}` },
    ]);
    assert.equal((await del(`/v1/projects/${pid}/applications/${first.id}`)).status, 404);
    await eventually(
      () => get(`/v1/projects/${pid}/applications/${second.id}`),
      (r) => r.body.status.state === 'DEPLOYED',
      'deployed',
    );
    assert.equal((await del(`/v1/projects/${pid}/cluster/${cluster.id}`)).status, 204);
    const cascaded = await eventually(
      () => get(`/v1/projects/${pid}/applications/${second.id}`),
      (r) => r.body.status.state === 'DELETED',
      'deleted with its cluster',
    );
    assert.notEqual(cascaded.body.status.deployed_at, '0001-01-01T00:00:00Z');
  });

  test('deleting a project deletes its namespaces, clusters and applications', async () => {
    const { pid, nsid } = await projectWithNamespace('doomed');
    const second = (await post(`/v1/projects/${pid}/namespaces`, { name: 'doomed-two' })).body.id;
    const cluster = (await post(`/v1/projects/${pid}/cluster`, { namespace_id: nsid })).body.id;
    const other = (await post(`/v1/projects/${pid}/cluster`, { namespace_id: second })).body.id;
    const app = (await post(`/v1/projects/${pid}/applications`, { name: 'web', namespace_id: nsid })).body.id;
    const teamId = (await server().call('GET', '/api/v1/teams', { token: server().serviceUserToken })).body.items.find(
      (t: { description: string }) => t.description === 'krak8s project doomed',
    ).id;
    assert.equal((await del(`/v1/projects/${pid}`)).status, 204);
    for (const path of [
      `/v1/projects/${pid}`,
      `/v1/projects/${pid}/namespaces`,
      `/v1/projects/${pid}/namespaces/${nsid}`,
      `/v1/projects/${pid}/cluster/${cluster}`,
      `/v1/projects/${pid}/cluster/${other}`,
      `/v1/projects/${pid}/applications/${app}`,
    ]) {
      assert.equal((await get(path)).status, 404, path);
    }
    assert.equal((await del(`/v1/projects/${pid}`)).status, 404);
    // The core tears everything down and then removes the team.
    await eventually(
      () => server().call('GET', `/api/v1/teams/${teamId}`, { token: server().serviceUserToken }),
      (r) => r.status === 404,
      'the team is removed',
    );
  });
});
