import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { forEachBackend } from '../support/each-backend.ts';

forEachBackend('tenancy: another tenant’s objects are 404', (server) => {
  const ids: Record<string, string> = {};
  let outsider = '';

  before(async () => {
    const alice = await server().user('alice-tenancy');
    const bob = await server().user('bob-tenancy');
    outsider = bob.token;
    const t = alice.token;
    ids.team = (await server().call('POST', '/api/v1/teams', { token: t, body: { name: 'alice-co' } })).body.id;
    await server().call('POST', '/api/v1/teams', { token: bob.token, body: { name: 'bob-co' } });
    ids.namespace = (
      await server().call('POST', `/api/v1/teams/${ids.team}/namespaces`, { token: t, body: { name: 'secret' } })
    ).body.id;
    ids.resource = (
      await server().call('POST', `/api/v1/teams/${ids.team}/resources`, {
        token: t,
        body: { kind: 'cluster', name: 'c', spec: { nodePoolSize: 1 } },
      })
    ).body.metadata.id;
    ids.keypair = (await server().call('POST', '/api/v1/keypairs', { token: t, body: { name: 'alice-key' } })).body.id;
    ids.token = (await server().call('POST', '/api/v1/tokens', { token: t, body: { name: 'alice-token' } })).body.id;
    ids.user = alice.id;
  });

  const cases: [method: string, path: () => string, body?: unknown][] = [
    ['GET', () => `/api/v1/teams/${ids.team}`],
    ['GET', () => '/api/v1/teams/alice-co'],
    ['PATCH', () => `/api/v1/teams/${ids.team}`, { description: 'mine now' }],
    ['DELETE', () => `/api/v1/teams/${ids.team}`],
    ['GET', () => `/api/v1/teams/${ids.team}/members`],
    ['POST', () => `/api/v1/teams/${ids.team}/members`, { user: 'bob-tenancy', role: 'admin' }],
    ['PATCH', () => `/api/v1/teams/${ids.team}/members/${ids.user}`, { role: 'viewer' }],
    ['DELETE', () => `/api/v1/teams/${ids.team}/members/${ids.user}`],
    ['GET', () => `/api/v1/teams/${ids.team}/namespaces`],
    ['POST', () => `/api/v1/teams/${ids.team}/namespaces`, { name: 'intruder' }],
    ['GET', () => `/api/v1/teams/${ids.team}/namespaces/${ids.namespace}`],
    ['DELETE', () => `/api/v1/teams/${ids.team}/namespaces/secret`],
    ['GET', () => `/api/v1/teams/${ids.team}/resources`],
    ['POST', () => `/api/v1/teams/${ids.team}/resources`, { kind: 'stack', name: 'intruder' }],
    ['GET', () => `/api/v1/teams/${ids.team}/resources/${ids.resource}`],
    ['PUT', () => `/api/v1/teams/${ids.team}/resources/${ids.resource}`, { spec: { nodePoolSize: 9 } }],
    ['PATCH', () => `/api/v1/teams/${ids.team}/resources/${ids.resource}`, { labels: { owned: 'by-bob' } }],
    ['DELETE', () => `/api/v1/teams/${ids.team}/resources/${ids.resource}`],
    ['POST', () => `/api/v1/teams/${ids.team}/resources/${ids.resource}/actions/stop`],
    ['GET', () => `/api/v1/teams/${ids.team}/resources/${ids.resource}/operations`],
    [
      'POST',
      () => `/api/v1/teams/${ids.team}/resources/${ids.resource}/status`,
      { state: 'failed', message: 'hijacked' },
    ],
    ['GET', () => `/api/v1/teams/${ids.team}/resources/${ids.resource}/logs`],
    ['GET', () => `/api/v1/teams/${ids.team}/resources/${ids.resource}/logs/i1/stdout`],
    ['GET', () => `/api/v1/teams/${ids.team}/resources/${ids.resource}/outputs/out.txt`],
    ['GET', () => `/api/v1/teams/${ids.team}/quotas`],
    ['PUT', () => `/api/v1/teams/${ids.team}/quotas`, { maxCpus: 0 }],
    // Alice's resource through Bob's own team: ids do not cross tenants.
    ['GET', () => `/api/v1/teams/bob-co/resources/${ids.resource}`],
    ['PATCH', () => `/api/v1/teams/bob-co/resources/${ids.resource}`, { labels: { a: 'b' } }],
    ['DELETE', () => `/api/v1/teams/bob-co/resources/${ids.resource}`],
    ['POST', () => `/api/v1/teams/bob-co/resources/${ids.resource}/actions/stop`],
    ['GET', () => `/api/v1/teams/bob-co/resources/${ids.resource}/operations`],
    ['POST', () => `/api/v1/teams/bob-co/resources/${ids.resource}/status`, { state: 'failed', message: 'hijacked' }],
    ['GET', () => `/api/v1/teams/bob-co/resources/${ids.resource}/logs`],
    ['GET', () => `/api/v1/teams/bob-co/resources/${ids.resource}/logs/i1/stdout`],
    ['GET', () => `/api/v1/teams/bob-co/resources/${ids.resource}/outputs/out.txt`],
    ['GET', () => `/api/v1/events?team=${ids.team}`],
    ['GET', () => `/api/v1/keypairs/${ids.keypair}`],
    ['GET', () => '/api/v1/keypairs/alice-key'],
    ['DELETE', () => `/api/v1/keypairs/${ids.keypair}`],
    ['DELETE', () => `/api/v1/tokens/${ids.token}`],
    ['GET', () => `/api/v1/users/${ids.user}`],
    ['PATCH', () => `/api/v1/users/${ids.user}`, { email: 'bob@evil.org' }],
  ];

  for (const [method, path, body] of cases) {
    test(`${method} ${path.toString().replace(/^\(\) => /, '')}`, async () => {
      const response = await server().call(method, path(), { token: outsider, body });
      assert.equal(response.status, 404, response.text);
      assert.equal(response.headers.get('content-type'), 'application/problem+json');
    });
  }

  test('creating a resource with another tenant’s id answers as any unusable id, never naming it', async () => {
    const bobTeam = (await server().call('GET', '/api/v1/teams/bob-co', { token: outsider })).body.id;
    const taken = await server().call('POST', `/api/v1/teams/${bobTeam}/resources`, {
      token: outsider,
      body: { id: ids.resource, kind: 'stack', name: 'copy' },
    });
    assert.equal(taken.status, 409);
    assert.doesNotMatch(taken.body.detail, /already exists/);
    assert.equal(taken.body.detail, `id ${ids.resource} is not available; choose another or let the server choose`);
  });

  test('adding a member shows their e-mail only where GET /users/{id} would', async () => {
    const carol = await server().user('carol-tenancy');
    const bobTeam = (await server().call('GET', '/api/v1/teams/bob-co', { token: outsider })).body.id;
    const added = await server().call('POST', `/api/v1/teams/${bobTeam}/members`, {
      token: outsider,
      body: { user: 'carol-tenancy', role: 'viewer' },
    });
    assert.equal(added.status, 201, added.text);
    assert.equal(added.body.email, undefined);
    assert.equal((await server().call('GET', `/api/v1/users/${carol.id}`, { token: outsider })).status, 404);
    const seenByBob = (await server().call('GET', `/api/v1/teams/${bobTeam}/members`, { token: outsider })).body;
    assert.ok(
      (seenByBob.items ?? seenByBob).every(
        (member: { username: string; email?: string }) =>
          member.username === 'bob-tenancy' || member.email === undefined,
      ),
    );
    const seenByCarol = (await server().call('GET', `/api/v1/teams/${bobTeam}/members`, { token: carol.token })).body;
    assert.match(
      (seenByCarol.items ?? seenByCarol).find((member: { username: string }) => member.username === 'carol-tenancy')
        .email,
      /@/,
    );
  });

  test('nothing of alice changed and no event leaked to bob', async () => {
    const db = server().app.ctx.store.db;
    const resource = await db
      .selectFrom('resources')
      .selectAll()
      .where('id', '=', ids.resource)
      .executeTakeFirstOrThrow();
    assert.equal(resource.resource_version, 1);
    assert.equal(
      (await db.selectFrom('teams').select('quotas').where('id', '=', ids.team).executeTakeFirstOrThrow()).quotas,
      '{}',
    );
    assert.equal((await db.selectFrom('namespaces').selectAll().where('team_id', '=', ids.team).execute()).length, 1);
    const events = await server().call('GET', '/api/v1/events', { token: outsider });
    assert.ok(events.body.items.every((e: { team: string | null }) => e.team !== ids.team));
    assert.ok(!JSON.stringify(events.body).includes(ids.resource));
  });
});
