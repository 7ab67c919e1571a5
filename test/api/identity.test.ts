import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachBackend } from '../support/each-backend.ts';
import { adminPassword } from '../support/server.ts';

forEachBackend('identity', (server) => {
  test('the bootstrap admin logs in and sees itself as admin', async () => {
    const me = await server().call('GET', '/api/v1/me', { token: server().adminToken });
    assert.equal(me.status, 200);
    assert.equal(me.body.user.username, 'admin');
    assert.equal(me.body.user.admin, true);
    assert.deepEqual(me.body.scopes, ['read', 'write', 'agent', 'admin']);
  });

  test('a wrong password and an unknown user get the same 401', async () => {
    const wrong = await server().call('POST', '/api/v1/auth/login', {
      body: { username: 'admin', password: 'nope-nope' },
    });
    const unknown = await server().call('POST', '/api/v1/auth/login', {
      body: { username: 'ghost', password: adminPassword },
    });
    assert.equal(wrong.status, 401);
    assert.equal(unknown.status, 401);
    assert.equal(wrong.body.detail, unknown.body.detail);
    assert.equal(wrong.headers.get('content-type'), 'application/problem+json');
  });

  test('requests without a valid bearer token are 401 problems', async () => {
    for (const token of [undefined, 'cpt_not-a-real-token']) {
      const response = await server().call('GET', '/api/v1/teams', { token });
      assert.equal(response.status, 401);
      assert.equal(response.body.type, 'urn:cloudplane:problem:unauthorized');
      assert.equal(response.headers.get('www-authenticate'), 'Bearer');
    }
  });

  test('only platform admins create and list users', async () => {
    const alice = await server().user('alice-identity');
    const create = await server().call('POST', '/api/v1/users', {
      token: alice.token,
      body: { username: 'eve', email: 'e@x.org', password: 'password123' },
    });
    assert.equal(create.status, 403);
    assert.equal((await server().call('GET', '/api/v1/users', { token: alice.token })).status, 403);
    const list = await server().call('GET', '/api/v1/users', { token: server().adminToken });
    assert.ok(list.body.items.some((u: { username: string }) => u.username === 'alice-identity'));
  });

  test('a taken username is a 409', async () => {
    await server().user('bob-identity');
    const again = await server().call('POST', '/api/v1/users', {
      token: server().adminToken,
      body: { username: 'bob-identity', email: 'b@x.org', password: 'password123' },
    });
    assert.equal(again.status, 409);
  });

  test('users read themselves but another user is 404', async () => {
    const carol = await server().user('carol-identity');
    const dave = await server().user('dave-identity');
    assert.equal((await server().call('GET', `/api/v1/users/${carol.id}`, { token: carol.token })).status, 200);
    assert.equal((await server().call('GET', `/api/v1/users/${dave.id}`, { token: carol.token })).status, 404);
  });

  test('changing your password needs the current one, and the new one works', async () => {
    const erin = await server().user('erin-identity');
    const without = await server().call('PATCH', `/api/v1/users/${erin.id}`, {
      token: erin.token,
      body: { password: 'new-password-1' },
    });
    assert.equal(without.status, 400);
    const changed = await server().call('PATCH', `/api/v1/users/${erin.id}`, {
      token: erin.token,
      body: { password: 'new-password-1', currentPassword: 'erin-identity-password' },
    });
    assert.equal(changed.status, 200);
    const login = await server().call('POST', '/api/v1/auth/login', {
      body: { username: 'erin-identity', password: 'new-password-1' },
    });
    assert.equal(login.status, 200);
  });

  test('a user cannot make themselves admin', async () => {
    const frank = await server().user('frank-identity');
    const response = await server().call('PATCH', `/api/v1/users/${frank.id}`, {
      token: frank.token,
      body: { admin: true },
    });
    assert.equal(response.status, 403);
  });

  test('a disabled user loses their tokens and cannot log in', async () => {
    const gina = await server().user('gina-identity');
    const disable = await server().call('PATCH', `/api/v1/users/${gina.id}`, {
      token: server().adminToken,
      body: { disabled: true },
    });
    assert.equal(disable.body.disabled, true);
    assert.equal((await server().call('GET', '/api/v1/me', { token: gina.token })).status, 401);
    const login = await server().call('POST', '/api/v1/auth/login', {
      body: { username: 'gina-identity', password: 'gina-identity-password' },
    });
    assert.equal(login.status, 401);
  });

  test('a deleted user is gone', async () => {
    const hank = await server().user('hank-identity');
    assert.equal(
      (await server().call('DELETE', `/api/v1/users/${hank.id}`, { token: server().adminToken })).status,
      204,
    );
    assert.equal((await server().call('GET', `/api/v1/users/${hank.id}`, { token: server().adminToken })).status, 404);
    assert.equal((await server().call('GET', '/api/v1/me', { token: hank.token })).status, 401);
  });

  test('API tokens: created once with a secret, listed without it, scoped, revocable', async () => {
    const ivy = await server().user('ivy-identity');
    const created = await server().call('POST', '/api/v1/tokens', {
      token: ivy.token,
      body: { name: 'ci', scopes: ['read'], expiresInSeconds: 3600 },
    });
    assert.equal(created.status, 201);
    assert.match(created.body.token, /^cpt_/);
    const secret = created.body.token;
    const list = await server().call('GET', '/api/v1/tokens', { token: ivy.token });
    const listed = list.body.items.find((t: { id: string }) => t.id === created.body.id);
    assert.equal(listed.name, 'ci');
    assert.equal(listed.token, undefined);
    assert.equal((await server().call('GET', '/api/v1/teams', { token: secret })).status, 200);
    const write = await server().call('POST', '/api/v1/teams', { token: secret, body: { name: 'readonly-team' } });
    assert.equal(write.status, 403);
    const used = await server().call('GET', '/api/v1/tokens', { token: ivy.token });
    assert.notEqual(used.body.items.find((t: { id: string }) => t.id === created.body.id).lastUsedAt, null);
    assert.equal(
      (await server().call('DELETE', `/api/v1/tokens/${created.body.id}`, { token: ivy.token })).status,
      204,
    );
    assert.equal((await server().call('GET', '/api/v1/teams', { token: secret })).status, 401);
  });

  test('a token cannot carry more scopes than its creator, nor live longer than allowed', async () => {
    const jack = await server().user('jack-identity');
    const admin = await server().call('POST', '/api/v1/tokens', {
      token: jack.token,
      body: { name: 'x', scopes: ['admin'] },
    });
    assert.equal(admin.status, 400);
    const forever = await server().call('POST', '/api/v1/tokens', {
      token: jack.token,
      body: { name: 'x', expiresInSeconds: 10 ** 12 },
    });
    assert.equal(forever.status, 400);
  });

  test("another user's token id cannot be revoked", async () => {
    const kim = await server().user('kim-identity');
    const created = await server().call('POST', '/api/v1/tokens', {
      token: server().adminToken,
      body: { name: 'admin-ci' },
    });
    assert.equal(
      (await server().call('DELETE', `/api/v1/tokens/${created.body.id}`, { token: kim.token })).status,
      404,
    );
  });

  test('token secrets and passwords are not stored in clear', async () => {
    const created = await server().call('POST', '/api/v1/tokens', {
      token: server().adminToken,
      body: { name: 'probe' },
    });
    const db = server().app.ctx.store.db;
    const tokens = await db.selectFrom('api_tokens').select('token_hash').execute();
    assert.ok(tokens.every((t) => !t.token_hash.includes(created.body.token) && t.token_hash.length === 64));
    const users = await db.selectFrom('users').select('password_hash').where('username', '=', 'admin').execute();
    assert.ok(users[0].password_hash!.startsWith('scrypt$'));
    assert.ok(!users[0].password_hash!.includes(adminPassword));
  });
});
