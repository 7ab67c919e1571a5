import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachBackend } from '../support/each-backend.ts';

forEachBackend('system endpoints', (server, backend) => {
  test('health and readiness', async () => {
    assert.deepEqual((await server().call('GET', '/healthz')).body, { status: 'ok' });
    assert.deepEqual((await server().call('GET', '/readyz')).body, { status: 'ready', database: backend });
  });

  test('every response carries a request id, the client’s own when it is sane', async () => {
    const given = await server().call('GET', '/healthz', { headers: { 'x-request-id': 'trace-abc.123' } });
    assert.equal(given.headers.get('x-request-id'), 'trace-abc.123');
    const insane = await server().call('GET', '/healthz', { headers: { 'x-request-id': 'bad id with spaces' } });
    assert.match(insane.headers.get('x-request-id')!, /^[0-9a-f-]{36}$/);
  });

  test('public stats count users, teams and resources by kind and state', async () => {
    const { token } = await server().user('stats-user');
    await server().call('POST', '/api/v1/teams', { token, body: { name: 'stats' } });
    await server().call('POST', '/api/v1/teams/stats/resources', {
      token,
      body: { kind: 'job', name: 'j', spec: { cmd: 'true' } },
    });
    const stats = await server().call('GET', '/api/v1/stats');
    assert.equal(stats.status, 200);
    assert.ok(stats.body.users >= 2);
    assert.ok(stats.body.teams >= 1);
    assert.equal(stats.body.resources.job.byState.pending, stats.body.resources.job.total);
    assert.ok(stats.body.resources.job.total >= 1);
    assert.equal(stats.body.resources.cluster.total, 0);
  });

  test('the OpenAPI 3.1 document describes the native API', async () => {
    const doc = await server().call('GET', '/openapi.json');
    assert.equal(doc.body.openapi, '3.1.0');
    for (const path of [
      '/api/v1/teams/{team}/resources',
      '/api/v1/keypairs',
      '/api/v1/events',
      '/api/v1/stats',
      '/api/v1/auth/login',
    ]) {
      assert.ok(doc.body.paths[path], path);
    }
    const create = doc.body.paths['/api/v1/teams/{team}/resources'].post;
    assert.ok(create.requestBody.content['application/json'].schema.properties.kind);
    assert.deepEqual(create.security, [{ bearerAuth: [] }]);
  });

  test('the docs page is served', async () => {
    const docs = await server().call('GET', '/docs/');
    assert.equal(docs.status, 200);
    assert.match(docs.text, /swagger/i);
  });

  test('metrics are in the Prometheus text format and count requests', async () => {
    await server().call('GET', '/healthz');
    const metrics = await server().call('GET', '/metrics');
    assert.match(metrics.headers.get('content-type')!, /^text\/plain/);
    assert.match(metrics.text, /cloudplane_http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+/);
    assert.match(metrics.text, /cloudplane_http_request_duration_seconds_bucket/);
  });
});
