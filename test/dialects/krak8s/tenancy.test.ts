// Who the caller is, and one core: what krak8s makes is visible natively and the other way round.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually } from '../../support/eventually.ts';
import { deleteAllProjects, goaError, listApplications, oidPattern, onEachBackend, startKrak8s } from './support.ts';

onEachBackend('krak8s callers and tenancy', (server, backend) => {
  const native = (token: string) => (method: string, path: string, body?: unknown) =>
    server().call(method, `/api/v1${path}`, { token, body });

  test('a project, namespace and cluster made through krak8s are a team, namespace and cluster of the service user', async () => {
    const pid = (await server().call('POST', '/v1/projects', { body: { name: 'visible' } })).body.id;
    const nsid = (await server().call('POST', `/v1/projects/${pid}/namespaces`, { body: { name: 'visible-prod' } }))
      .body.id;
    const cid = (
      await server().call('POST', `/v1/projects/${pid}/cluster`, { body: { namespace_id: nsid, nodePoolSize: 5 } })
    ).body.id;
    const api = native(server().serviceUserToken);
    const team = await api('GET', '/teams/visible');
    assert.equal(team.status, 200);
    const members = await api('GET', '/teams/visible/members');
    assert.deepEqual(
      members.body.items.map((m: { username: string; role: string }) => [m.username, m.role]),
      [['krak8s', 'admin']],
    );
    assert.deepEqual(
      (await api('GET', '/teams/visible/namespaces')).body.items.map((n: { name: string }) => n.name),
      ['visible-prod'],
    );
    const clusters = (await api('GET', '/teams/visible/resources?kind=cluster')).body.items;
    assert.equal(clusters.length, 1);
    assert.equal(clusters[0].spec.nodePoolSize, 5);
    await eventually(
      () => server().call('GET', `/v1/projects/${pid}/cluster/${cid}`),
      (r) => r.body.state === 'active',
      'active',
    );
    assert.equal((await api('GET', `/teams/visible/resources/${clusters[0].metadata.id}`)).body.status.state, 'active');
  });

  test('a team, namespace, cluster and application made natively appear in krak8s for a member (bearer token)', async () => {
    const ann = await server().user('ann-krak8s');
    const api = native(ann.token);
    await api('POST', '/teams', { name: 'native' });
    await api('POST', '/teams/native/namespaces', { name: 'prod' });
    const cluster = (
      await api('POST', '/teams/native/resources', {
        kind: 'cluster',
        name: 'c1',
        namespace: 'prod',
        spec: { nodePoolSize: 3 },
      })
    ).body;
    const app = await api('POST', '/teams/native/resources', {
      kind: 'application',
      name: 'web',
      parent: cluster.metadata.id,
      spec: { chart: 'nginx', version: '1.2', command: ['sleep', 'infinity'] },
    });
    assert.equal(app.status, 201);
    const asAnn = { token: ann.token };
    const projects = (await server().call('GET', '/v1/projects', asAnn)).body;
    assert.deepEqual(
      projects.map((p: { name: string }) => p.name),
      ['native'],
    );
    const [project] = projects;
    assert.match(project.id, oidPattern);
    assert.equal(project.namespaces.length, 1);
    const nsid = project.namespaces[0].oid;
    const namespace = (await server().call('GET', `/v1/projects/${project.id}/namespaces/${nsid}`, asAnn)).body;
    assert.equal(namespace.name, 'prod');
    assert.match(namespace.resources.oid, oidPattern);
    const clusterView = (await server().call('GET', namespace.resources.url, asAnn)).body;
    assert.deepEqual([clusterView.type, clusterView.nodePoolSize, clusterView.namespace_id], ['Resource', 3, nsid]);
    assert.equal(
      (await listApplications(server(), project.id, nsid)).status,
      404,
      'the service user is not in team native',
    );
    const appView = (await server().call('GET', namespace.applications[0].url, asAnn)).body;
    assert.deepEqual([appView.name, appView.version, appView.namespace_id], ['nginx', '1.2', nsid]);
    // Ids are stable: the same objects keep their krak8s ids.
    assert.equal((await server().call('GET', `/v1/projects/${project.id}`, asAnn)).body.namespaces[0].oid, nsid);
    await deleteAllProjects(server(), [ann.token]);
  });

  test("another user's projects do not exist for you; the service user sees only its own", async () => {
    const bob = await server().user('bob-krak8s');
    const mine = (await server().call('POST', '/v1/projects', { body: { name: 'bobs' }, token: bob.token })).body;
    assert.equal((await server().call('GET', `/v1/projects/${mine.id}`)).status, 404);
    assert.ok(!(await server().call('GET', '/v1/projects')).body.some((p: { id: string }) => p.id === mine.id));
    assert.equal((await server().call('DELETE', `/v1/projects/${mine.id}`)).status, 404);
    assert.equal((await server().call('GET', `/v1/projects/${mine.id}`, { token: bob.token })).status, 200);
    assert.equal((await server().call('DELETE', `/v1/projects/${mine.id}`, { token: bob.token })).status, 204);
  });

  test('project and namespace names need not be unique nor team-shaped: the core names them after their id', async () => {
    const first = (await server().call('POST', '/v1/projects', { body: { name: 'twice' } })).body;
    const second = await server().call('POST', '/v1/projects', { body: { name: 'twice' } });
    assert.equal(second.status, 201);
    assert.equal(second.body.name, 'twice');
    assert.equal((await server().call('GET', `/v1/projects/${second.body.id}`)).body.name, 'twice');
    assert.equal((await native(server().serviceUserToken)('GET', `/teams/krak8s-${second.body.id}`)).status, 200);
    const odd = await server().call('POST', `/v1/projects/${first.id}/namespaces`, {
      body: { name: 'Not A DNS Label' },
    });
    assert.equal(odd.body.name, 'Not A DNS Label');
    const empty = await server().call('POST', `/v1/projects/${first.id}/namespaces`, { body: { name: '' } });
    assert.deepEqual([empty.status, empty.body.name], [201, '']);
  });

  test('credentials: a bad token is a goa 401; a read-only token cannot write', async () => {
    const bad = await server().call('GET', '/v1/projects', { token: 'nope' });
    assert.equal(bad.status, 401);
    assert.equal(goaError(bad).code, 'unauthorized');
    const readOnly = await native(server().adminToken)('POST', '/tokens', { name: 'ro', scopes: ['read'] });
    assert.equal((await server().call('GET', '/v1/projects', { token: readOnly.body.token })).status, 200);
    assert.equal(
      (await server().call('POST', '/v1/projects', { token: readOnly.body.token, body: { name: 'ro' } })).status,
      403,
    );
  });

  test('without dialects.krak8s.user, callers without credentials get a goa 401; documents and health stay open', async () => {
    const closed = await startKrak8s(backend, {});
    try {
      const anonymous = await closed.call('GET', '/v1/projects');
      assert.equal(anonymous.status, 401);
      assert.equal(anonymous.headers.get('content-type'), 'application/vnd.goa.error');
      assert.deepEqual([goaError(anonymous).code, goaError(anonymous).status], ['unauthorized', 401]);
      const withToken = await closed.call('POST', '/v1/projects', {
        token: closed.serviceUserToken,
        body: { name: 'tokened' },
      });
      assert.equal(withToken.status, 201);
      assert.equal((await closed.call('GET', '/swagger.json')).status, 200);
      assert.equal((await closed.call('GET', '/v1/healthz')).status, 200);
      assert.equal(
        (await closed.call('DELETE', `/v1/projects/${withToken.body.id}`, { token: closed.serviceUserToken })).status,
        204,
      );
    } finally {
      await closed.close();
    }
  });
});
