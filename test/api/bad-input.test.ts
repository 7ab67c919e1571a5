import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { forEachBackend } from '../support/each-backend.ts';
import type { CallOptions } from '../support/server.ts';

forEachBackend('bad input gets a 4xx problem, never a 5xx', (server) => {
  let token = '';
  let resource = '';
  before(async () => {
    token = (await server().user('bad-input')).token;
    await server().call('POST', '/api/v1/teams', { token, body: { name: 'bad' } });
    resource = (
      await server().call('POST', '/api/v1/teams/bad/resources', { token, body: { kind: 'stack', name: 's' } })
    ).body.metadata.id;
  });

  const json = { 'content-type': 'application/json' };
  const asAdmin = true;
  const cases: [
    title: string,
    method: string,
    path: () => string,
    options: CallOptions,
    status: number,
    type: string,
    asAdmin?: boolean,
  ][] = [
    ['malformed JSON', 'POST', () => '/api/v1/teams', { rawBody: '{"name":', headers: json }, 400, 'malformed-json'],
    [
      'empty JSON body where one is needed',
      'POST',
      () => '/api/v1/teams',
      { rawBody: '', headers: json },
      400,
      'validation-failed',
    ],
    ['JSON that is not an object', 'POST', () => '/api/v1/teams', { body: ['acme'] }, 400, 'validation-failed'],
    ['wrong type', 'POST', () => '/api/v1/teams', { body: { name: 42 } }, 400, 'validation-failed'],
    ['unknown field', 'POST', () => '/api/v1/teams', { body: { name: 'x', owner: 'me' } }, 400, 'validation-failed'],
    ['missing field', 'POST', () => '/api/v1/teams/bad/namespaces', { body: {} }, 400, 'validation-failed'],
    [
      'bad name pattern',
      'POST',
      () => '/api/v1/teams/bad/resources',
      { body: { kind: 'stack', name: '-x-' } },
      400,
      'validation-failed',
    ],
    [
      'unknown kind (one error listing the kinds)',
      'POST',
      () => '/api/v1/teams/bad/resources',
      { body: { kind: 'spaceship', name: 'x' } },
      400,
      'invalid',
    ],
    [
      'bad label key',
      'POST',
      () => '/api/v1/teams/bad/resources',
      { body: { kind: 'stack', name: 'x', labels: { 'bad key': 'v' } } },
      400,
      'validation-failed',
    ],
    [
      'bad caller id',
      'POST',
      () => '/api/v1/teams/bad/resources',
      { body: { kind: 'stack', name: 'x', id: 'not-a-uuid' } },
      400,
      'validation-failed',
    ],
    [
      'unknown namespace',
      'POST',
      () => '/api/v1/teams/bad/resources',
      { body: { kind: 'stack', name: 'x', namespace: 'nope' } },
      400,
      'invalid',
    ],
    [
      'unknown parent',
      'POST',
      () => '/api/v1/teams/bad/resources',
      { body: { kind: 'server', name: 'x', parent: 'nope' } },
      400,
      'invalid',
    ],
    [
      'text body',
      'POST',
      () => '/api/v1/teams',
      { rawBody: 'name=acme', headers: { 'content-type': 'text/plain' } },
      415,
      'unsupported-media-type',
    ],
    [
      'oversized body',
      'POST',
      () => '/api/v1/teams',
      { rawBody: JSON.stringify({ name: 'x'.repeat(2_000_000) }), headers: json },
      413,
      'body-too-large',
    ],
    ['bad resource id', 'GET', () => '/api/v1/teams/bad/resources/not-a-uuid', {}, 404, 'not-found'],
    [
      'unknown resource id',
      'GET',
      () => '/api/v1/teams/bad/resources/0190c9f4-0000-7000-8000-000000000000',
      {},
      404,
      'not-found',
    ],
    ['bad cursor', 'GET', () => '/api/v1/teams/bad/resources?cursor=garbage', {}, 400, 'invalid'],
    [
      'forged cursor',
      'GET',
      () => `/api/v1/teams/bad/resources?cursor=${Buffer.from('{"k":1}').toString('base64url')}`,
      {},
      400,
      'invalid',
    ],
    ['limit zero', 'GET', () => '/api/v1/teams/bad/resources?limit=0', {}, 400, 'validation-failed'],
    ['limit not a number', 'GET', () => '/api/v1/teams/bad/resources?limit=ten', {}, 400, 'validation-failed'],
    ['bad state filter', 'GET', () => '/api/v1/teams/bad/resources?state=exploded', {}, 400, 'validation-failed'],
    ['bad label selector', 'GET', () => '/api/v1/teams/bad/resources?labelSelector=a%3D%3D%3Db', {}, 400, 'invalid'],
    ['empty selector term', 'GET', () => '/api/v1/teams/bad/resources?labelSelector=a%3Db%2C%2C', {}, 400, 'invalid'],
    [
      'bad If-Match',
      'PUT',
      () => `/api/v1/teams/bad/resources/${resource}`,
      { body: { spec: {} }, headers: { 'if-match': '"99"' } },
      412,
      'precondition-failed',
    ],
    ['empty patch', 'PATCH', () => `/api/v1/teams/bad/resources/${resource}`, { body: {} }, 400, 'validation-failed'],
    ['bad Last-Event-ID', 'GET', () => '/api/v1/events', { headers: { 'last-event-id': 'yesterday' } }, 400, 'invalid'],
    ['bad event cursor', 'GET', () => '/api/v1/events?after=-1', {}, 400, 'validation-failed'],
    [
      'bad role',
      'POST',
      () => '/api/v1/teams/bad/members',
      { body: { user: 'admin', role: 'owner' } },
      400,
      'validation-failed',
    ],
    ['bad key type', 'POST', () => '/api/v1/keypairs', { body: { name: 'k', type: 'dsa' } }, 400, 'validation-failed'],
    ['bad scope', 'POST', () => '/api/v1/tokens', { body: { name: 't', scopes: ['root'] } }, 400, 'validation-failed'],
    [
      'bad Idempotency-Key',
      'POST',
      () => '/api/v1/teams',
      { body: { name: 'idem' }, headers: { 'idempotency-key': 'x'.repeat(300) } },
      400,
      'invalid-idempotency-key',
    ],
    [
      'unknown action',
      'POST',
      () => `/api/v1/teams/bad/resources/${resource}/actions/explode`,
      {},
      400,
      'validation-failed',
    ],
    [
      'action named like a property',
      'POST',
      () => `/api/v1/teams/bad/resources/${resource}/actions/constructor`,
      {},
      400,
      'validation-failed',
    ],
    ['empty action', 'POST', () => `/api/v1/teams/bad/resources/${resource}/actions/`, {}, 400, 'validation-failed'],
    [
      'action on a bad resource id',
      'POST',
      () => '/api/v1/teams/bad/resources/not-a-uuid/actions/stop',
      {},
      404,
      'not-found',
    ],
    [
      'negative quota',
      'PUT',
      () => '/api/v1/teams/bad/quotas',
      { body: { maxCpus: -1 } },
      400,
      'validation-failed',
      asAdmin,
    ],
    [
      'fractional quota',
      'PUT',
      () => '/api/v1/teams/bad/quotas',
      { body: { maxMemoryMiB: 1.5 } },
      400,
      'validation-failed',
      asAdmin,
    ],
    [
      'unknown quota',
      'PUT',
      () => '/api/v1/teams/bad/quotas',
      { body: { maxGpus: 1 } },
      400,
      'validation-failed',
      asAdmin,
    ],
    [
      'quota that is not a number',
      'PUT',
      () => '/api/v1/teams/bad/quotas',
      { body: { maxResources: { stack: 'many' } } },
      400,
      'validation-failed',
      asAdmin,
    ],
    [
      'quota for a bad kind name',
      'PUT',
      () => '/api/v1/teams/bad/quotas',
      { body: { maxResources: { 'Stack!': 1 } } },
      400,
      'validation-failed',
      asAdmin,
    ],
    [
      'quota for an unknown kind',
      'PUT',
      () => '/api/v1/teams/bad/quotas',
      { body: { maxResources: { spaceship: 1 } } },
      400,
      'invalid',
      asAdmin,
    ],
    [
      'quota for a kind named like a property',
      'PUT',
      () => '/api/v1/teams/bad/quotas',
      { body: { maxResources: { constructor: 1 } } },
      400,
      'invalid',
      asAdmin,
    ],
    [
      'quota for __proto__',
      'PUT',
      () => '/api/v1/teams/bad/quotas',
      { rawBody: '{"maxResources":{"__proto__":{"stack":0}}}', headers: json },
      400,
      'malformed-json',
      asAdmin,
    ],
    [
      'quotas that are a list',
      'PUT',
      () => '/api/v1/teams/bad/quotas',
      { body: [{ maxCpus: 1 }] },
      400,
      'validation-failed',
      asAdmin,
    ],
    [
      'status without a state',
      'POST',
      () => `/api/v1/teams/bad/resources/${resource}/status`,
      { body: { message: 'hi' } },
      400,
      'validation-failed',
    ],
    [
      'status with an unknown state',
      'POST',
      () => `/api/v1/teams/bad/resources/${resource}/status`,
      { body: { state: 'exploded' } },
      400,
      'validation-failed',
    ],
    [
      'status with details that are not an object',
      'POST',
      () => `/api/v1/teams/bad/resources/${resource}/status`,
      { body: { state: 'active', details: 'x' } },
      400,
      'validation-failed',
    ],
    [
      'status with an unknown field',
      'POST',
      () => `/api/v1/teams/bad/resources/${resource}/status`,
      { body: { state: 'active', progress: 50 } },
      400,
      'validation-failed',
    ],
    [
      'status with a huge message',
      'POST',
      () => `/api/v1/teams/bad/resources/${resource}/status`,
      { body: { state: 'active', message: 'x'.repeat(5000) } },
      400,
      'validation-failed',
    ],
    [
      'status of a resource its driver observes',
      'POST',
      () => `/api/v1/teams/bad/resources/${resource}/status`,
      { body: { state: 'active' } },
      409,
      'conflict',
    ],
    [
      'bad log task name',
      'GET',
      () => `/api/v1/teams/bad/resources/${resource}/logs/task1/stdout`,
      {},
      400,
      'validation-failed',
    ],
    [
      'log task name with a path',
      'GET',
      () => `/api/v1/teams/bad/resources/${resource}/logs/..%2F..%2Fi1/stdout`,
      {},
      400,
      'validation-failed',
    ],
    [
      'log task with a bad rank',
      'GET',
      () => `/api/v1/teams/bad/resources/${resource}/logs/i1-r/stdout`,
      {},
      400,
      'validation-failed',
    ],
    [
      'unknown log stream',
      'GET',
      () => `/api/v1/teams/bad/resources/${resource}/logs/i1/stdin`,
      {},
      400,
      'validation-failed',
    ],
    [
      'logs of a kind without files',
      'GET',
      () => `/api/v1/teams/bad/resources/${resource}/logs/i1/stdout`,
      {},
      409,
      'conflict',
    ],
    [
      'JSON nested 5,000 deep',
      'POST',
      () => '/api/v1/teams',
      { rawBody: '['.repeat(5000) + ']'.repeat(5000), headers: json },
      400,
      'validation-failed',
    ],
    [
      'a spec nested 5,000 deep',
      'POST',
      () => '/api/v1/teams/bad/resources',
      {
        rawBody: `{"kind":"job","name":"deep","spec":{"cmd":"true","x":${'['.repeat(5000)}${']'.repeat(5000)}}}`,
        headers: json,
      },
      400,
      'invalid',
    ],
    ['truncated JSON', 'POST', () => '/api/v1/teams', { rawBody: '{"name":"x"', headers: json }, 400, 'malformed-json'],
    [
      'JSON in a charset it cannot be',
      'POST',
      () => '/api/v1/teams',
      { rawBody: '{"name":"x"}', headers: { 'content-type': 'application/json; charset=latin-9' } },
      415,
      'unsupported-media-type',
    ],
    [
      'multipart without a boundary',
      'POST',
      () => '/api/v1/teams',
      { rawBody: 'name=x', headers: { 'content-type': 'multipart/form-data' } },
      415,
      'unsupported-media-type',
    ],
    [
      'form body where JSON is needed',
      'POST',
      () => '/api/v1/teams',
      { rawBody: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      415,
      'unsupported-media-type',
    ],
    [
      'empty multipart body',
      'POST',
      () => '/api/v1/teams',
      { rawBody: '', headers: { 'content-type': 'multipart/form-data; boundary=x' } },
      415,
      'unsupported-media-type',
    ],
    ['unknown route', 'GET', () => '/api/v1/spaceships', {}, 404, 'route-not-found'],
    ['unknown method', 'PUT', () => '/api/v1/teams', { body: {} }, 404, 'route-not-found'],
  ];

  for (const [title, method, path, options, status, type, admin] of cases) {
    test(title, async () => {
      const response = await server().call(method, path(), { token: admin ? server().adminToken : token, ...options });
      assert.equal(response.status, status, response.text);
      assert.equal(response.headers.get('content-type'), 'application/problem+json');
      assert.equal(response.body.type, `urn:cloudplane:problem:${type}`);
      assert.equal(response.body.status, status);
      assert.equal(response.body.requestId, response.headers.get('x-request-id'));
    });
  }

  test('an empty body with a JSON content type is no body where none is needed (a DELETE as okeanos and IMC clients send it)', async () => {
    const made = await server().call('POST', '/api/v1/teams/bad/resources', {
      token,
      body: { kind: 'stack', name: 'gone' },
    });
    const removed = await server().call('DELETE', `/api/v1/teams/bad/resources/${made.body.metadata.id}`, {
      token,
      rawBody: '',
      headers: json,
    });
    assert.equal(removed.status, 202, removed.text);
  });

  test('nothing was half-written by the rejected requests', async () => {
    const teams = await server().call('GET', '/api/v1/teams', { token });
    assert.deepEqual(
      teams.body.items.map((t: { name: string }) => t.name),
      ['bad'],
    );
    const resources = await server().call('GET', '/api/v1/teams/bad/resources', { token });
    const untouched = resources.body.items.find((item: { metadata: { name: string } }) => item.metadata.name === 's');
    assert.equal(untouched.metadata.resourceVersion, '1');
    assert.deepEqual((await server().call('GET', '/api/v1/teams/bad/quotas', { token })).body.quotas, {});
  });
});
