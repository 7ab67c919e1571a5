import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { forEachBackend } from '../support/each-backend.ts';

forEachBackend('Idempotency-Key on POST', (server) => {
  let token = '';
  before(async () => {
    token = (await server().user('idem-owner')).token;
    await server().call('POST', '/api/v1/teams', { token, body: { name: 'idem' } });
  });
  const create = (key: string, name: string) =>
    server().call('POST', '/api/v1/teams/idem/resources', {
      token,
      body: { kind: 'stack', name },
      headers: { 'idempotency-key': key },
    });

  test('a retry replays the first response and creates nothing new', async () => {
    const first = await create('key-1', 'once');
    const retry = await create('key-1', 'once');
    assert.equal(first.status, 201);
    assert.equal(retry.status, 201);
    assert.equal(retry.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(retry.body, first.body);
    const list = await server().call('GET', '/api/v1/teams/idem/resources', { token });
    assert.equal(list.body.items.filter((r: { metadata: { name: string } }) => r.metadata.name === 'once').length, 1);
  });

  test('an error response is replayed too', async () => {
    await create('key-2a', 'dup');
    const conflict = await create('key-2b', 'dup');
    const again = await create('key-2b', 'dup');
    assert.equal(conflict.status, 409);
    assert.equal(again.status, 409);
    assert.match(again.headers.get('content-type')!, /^application\/problem\+json/);
  });

  test('the same key with another request is a 422', async () => {
    await create('key-3', 'first-body');
    const reused = await create('key-3', 'second-body');
    assert.equal(reused.status, 422);
  });

  test('concurrent retries of one key create one resource', async () => {
    const responses = await Promise.all(Array.from({ length: 8 }, () => create('key-4', 'raced')));
    assert.ok(
      responses.every((r) => r.status === 201 || r.status === 409),
      responses.map((r) => r.status).join(),
    );
    const list = await server().call('GET', '/api/v1/teams/idem/resources', { token });
    assert.equal(list.body.items.filter((r: { metadata: { name: string } }) => r.metadata.name === 'raced').length, 1);
  });

  test('keys are per user', async () => {
    const other = await server().user('idem-other');
    await server().call('POST', '/api/v1/teams', { token: other.token, body: { name: 'idem-other' } });
    const mine = await server().call('POST', '/api/v1/teams', {
      token,
      body: { name: 'k-mine' },
      headers: { 'idempotency-key': 'shared' },
    });
    const theirs = await server().call('POST', '/api/v1/teams', {
      token: other.token,
      body: { name: 'k-theirs' },
      headers: { 'idempotency-key': 'shared' },
    });
    assert.equal(mine.status, 201);
    assert.equal(theirs.status, 201);
    assert.equal(theirs.body.name, 'k-theirs');
  });

  test('routes whose response holds a secret refuse the key, and no secret reaches idempotency_keys', async () => {
    const secretRoutes: [path: string, body: unknown, auth: boolean][] = [
      ['/api/v1/keypairs', { name: 'idem-key' }, true],
      ['/api/v1/tokens', { name: 'idem-token' }, true],
      ['/api/v1/auth/login', { username: 'idem-owner', password: 'idem-owner-password' }, false],
    ];
    for (const [path, body, auth] of secretRoutes) {
      const key = `secret-${path}`;
      const response = await server().call('POST', path, {
        token: auth ? token : undefined,
        body,
        headers: { 'idempotency-key': key },
      });
      const stored = JSON.stringify(
        await server().app.ctx.store.db.selectFrom('idempotency_keys').selectAll().execute(),
      );
      // A PEM key is stored JSON-escaped, so one line of it is what to look for.
      for (const secret of [
        response.body.privateKey?.split('\n')[1],
        response.body.token,
        response.body.token?.token,
      ]) {
        if (typeof secret === 'string') assert.ok(!stored.includes(secret), `${path}: its secret is stored`);
      }
      assert.ok(!stored.includes(key), `${path}: the key was claimed`);
      assert.equal(response.status, 400, `${path}: ${response.text}`);
      assert.equal(response.headers.get('content-type'), 'application/problem+json');
      assert.match(
        response.body.detail,
        /Idempotency-Key is not accepted here: the response holds a (private key|token secret)/,
      );
    }
  });

  test('a password in the request never reaches the stored fingerprint: a retry is recognised by everything else', async () => {
    const createUser = (password: string) =>
      server().call('POST', '/api/v1/users', {
        token: server().adminToken,
        body: { username: 'idem-new-user', email: 'idem@example.org', password },
        headers: { 'idempotency-key': 'user-1' },
      });
    const first = await createUser('first-password-123');
    const retry = await createUser('other-password-456');
    assert.equal(first.status, 201, first.text);
    assert.equal(retry.status, 201);
    assert.equal(retry.headers.get('idempotent-replayed'), 'true');
    const changedElsewhere = await server().call('POST', '/api/v1/users', {
      token: server().adminToken,
      body: { username: 'idem-new-user-2', email: 'idem@example.org', password: 'first-password-123' },
      headers: { 'idempotency-key': 'user-1' },
    });
    assert.equal(changedElsewhere.status, 422);
  });
});
