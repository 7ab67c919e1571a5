// The seed document's examples (krak8s "API Definitions.md"), replayed request by request.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually } from '../../support/eventually.ts';
import { listApplications, oidPattern, onEachBackend, rfc3339Nano } from './support.ts';

onEachBackend('krak8s seed document examples', (server) => {
  const post = (path: string, body: unknown) => server().call('POST', path, { body });
  const get = (path: string) => server().call('GET', path);

  test('Example Usage: a project, a namespace, a cluster and an application, each read back', async () => {
    const project = await post('/v1/projects', { name: 'acme' });
    assert.equal(project.status, 201);
    assert.match(project.body.id, oidPattern);
    assert.match(project.body.created_at, rfc3339Nano);
    assert.deepEqual(project.body, {
      created_at: project.body.created_at,
      id: project.body.id,
      name: 'acme',
      namespaces: null,
      type: 'project',
    });
    const pid = project.body.id;
    assert.deepEqual(
      (await get('/v1/projects')).body.filter((p: { id: string }) => p.id === pid),
      [project.body],
    );
    assert.deepEqual((await get(`/v1/projects/${pid}`)).body, project.body);

    const namespace = await post(`/v1/projects/${pid}/namespaces`, { name: 'acme-prod' });
    assert.equal(namespace.status, 201);
    assert.deepEqual(namespace.body, {
      applications: null,
      created_at: namespace.body.created_at,
      id: namespace.body.id,
      name: 'acme-prod',
      resources: null,
      type: 'namespace',
    });
    const nsid = namespace.body.id;
    assert.deepEqual((await get(`/v1/projects/${pid}/namespaces`)).body, [namespace.body]);
    assert.deepEqual((await get(`/v1/projects/${pid}/namespaces/${nsid}`)).body, namespace.body);

    const cluster = await post(`/v1/projects/${pid}/cluster`, { namespace_id: nsid, nodePoolSize: 7 });
    assert.equal(cluster.status, 202);
    assert.deepEqual(cluster.body, {
      created_at: cluster.body.created_at,
      id: cluster.body.id,
      namespace_id: nsid,
      nodePoolSize: 7,
      state: 'create_requested',
      type: 'Resource',
      updated_at: '0001-01-01T00:00:00Z',
    });
    const read = await get(`/v1/projects/${pid}/cluster/${cluster.body.id}`);
    assert.equal(read.status, 200);
    assert.equal(read.body.nodePoolSize, 7);

    const application = await post(`/v1/projects/${pid}/applications`, {
      name: 'AcmeWidgetPipeline',
      version: 'v1.0.0-alpha.2',
      namespace_id: nsid,
    });
    assert.equal(application.status, 202);
    assert.equal(application.body.type, 'application');
    assert.equal(application.body.name, 'AcmeWidgetPipeline');
    assert.equal(application.body.version, 'v1.0.0-alpha.2');
    assert.equal(application.body.namespace_id, nsid);
    assert.deepEqual(application.body.status, { deployed_at: '0001-01-01T00:00:00Z', state: 'UNKNOWN' });
    const aid = application.body.id;
    const listed = await listApplications(server(), pid, nsid);
    assert.equal(listed.status, 200);
    assert.deepEqual(
      listed.body.map((a: { id: string }) => a.id),
      [aid],
    );
    assert.equal((await get(`/v1/projects/${pid}/applications/${aid}`)).body.id, aid);

    // 5. The parents now refer to their children.
    assert.deepEqual((await get(`/v1/projects/${pid}`)).body.namespaces, [
      { oid: nsid, url: `/v1/projects/${pid}/namespaces/${nsid}` },
    ]);
    const withChildren = (await get(`/v1/projects/${pid}/namespaces/${nsid}`)).body;
    assert.deepEqual(withChildren.applications, [{ oid: aid, url: `/v1/projects/${pid}/applications/${aid}` }]);
    assert.deepEqual(withChildren.resources, {
      oid: cluster.body.id,
      url: `/v1/projects/${pid}/cluster/${cluster.body.id}`,
    });
  });

  test('A Longer Example: clusters go create_requested to active, mongodb deploys, a deleted cluster goes deleting to deleted', async () => {
    const neptune = (await post('/v1/projects', { name: 'neptune' })).body;
    const neptuneTest = (await post(`/v1/projects/${neptune.id}/namespaces`, { name: 'neptune-test' })).body;
    const neptuneCluster = await post(`/v1/projects/${neptune.id}/cluster`, {
      namespace_id: neptuneTest.id,
      nodePoolSize: 3,
    });
    assert.equal(neptuneCluster.body.state, 'create_requested');
    assert.equal(neptuneCluster.body.updated_at, '0001-01-01T00:00:00Z');
    const clusterUrl = `/v1/projects/${neptune.id}/cluster/${neptuneCluster.body.id}`;
    const active = await eventually(
      () => get(clusterUrl),
      (r) => r.body.state === 'active',
      'the neptune cluster is active',
    );
    assert.match(active.body.updated_at, rfc3339Nano);
    assert.notEqual(active.body.updated_at, '0001-01-01T00:00:00Z');

    const mars = (await post('/v1/projects', { name: 'mars' })).body;
    const marsProduction = (await post(`/v1/projects/${mars.id}/namespaces`, { name: 'mars-production' })).body;
    const marsCluster = (
      await post(`/v1/projects/${mars.id}/cluster`, { namespace_id: marsProduction.id, nodePoolSize: 3 })
    ).body;
    await eventually(
      () => get(`/v1/projects/${mars.id}/cluster/${marsCluster.id}`),
      (r) => r.body.state === 'active',
      'the mars cluster is active',
    );
    const mongo = await post(`/v1/projects/${mars.id}/applications`, {
      name: 'mongodb-replicaset',
      registry: 'quay.io/samsung_cnct',
      set: '',
      version: '',
      namespace_id: marsProduction.id,
    });
    assert.equal(mongo.status, 202);
    assert.equal(mongo.body.version, '');
    assert.equal(mongo.body.registry, 'quay.io/samsung_cnct');
    assert.equal(mongo.body.status.state, 'UNKNOWN');
    const deployed = await eventually(
      () => get(`/v1/projects/${mars.id}/applications/${mongo.body.id}`),
      (r) => r.body.status.state === 'DEPLOYED',
      'mongodb is deployed',
    );
    assert.match(deployed.body.status.deployed_at, rfc3339Nano);

    // 5. Take the neptune cluster down: its record stays, deleting then deleted.
    const deleted = await server().call('DELETE', clusterUrl);
    assert.equal(deleted.status, 204);
    assert.equal(deleted.text, '');
    const deleting = (await get(clusterUrl)).body.state;
    assert.ok(['deleting', 'deleted'].includes(deleting), deleting);
    await eventually(
      () => get(clusterUrl),
      (r) => r.body.state === 'deleted',
      'the neptune cluster is deleted',
    );
    assert.equal((await get(`/v1/projects/${neptune.id}/namespaces/${neptuneTest.id}`)).body.resources, null);

    // Deleting the enclosing namespace removes the record; deleting a project needs nothing deleted first.
    assert.equal(
      (await server().call('DELETE', `/v1/projects/${neptune.id}/namespaces/${neptuneTest.id}`)).status,
      204,
    );
    assert.equal((await get(clusterUrl)).status, 404);
    assert.equal((await get(`/v1/projects/${neptune.id}/namespaces/${neptuneTest.id}`)).status, 404);
    assert.equal((await server().call('DELETE', `/v1/projects/${mars.id}`)).status, 204);
    for (const path of [
      `/v1/projects/${mars.id}`,
      `/v1/projects/${mars.id}/namespaces/${marsProduction.id}`,
      `/v1/projects/${mars.id}/cluster/${marsCluster.id}`,
      `/v1/projects/${mars.id}/applications/${mongo.body.id}`,
    ]) {
      assert.equal((await get(path)).status, 404, path);
    }
    assert.deepEqual(
      (await get('/v1/projects')).body.map((p: { name: string }) => p.name).filter((name: string) => name === 'mars'),
      [],
    );
  });
});
