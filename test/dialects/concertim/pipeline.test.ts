import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { backends } from '../../support/backends.ts';
import { freePort } from '../../support/process-server.ts';
import { startServer } from '../../support/server.ts';
import { adminEnv, cloudEnv, send, signJwt, startConcertim, type ConcertimServer } from './concertim-client.ts';

const newUser = (username: string) => ({
  cloud_env: adminEnv,
  username,
  name: username,
  email: `${username}@example.org`,
  password: `${username}-password`,
});

for (const backend of backends()) {
  describe(`Concertim request pipeline [${backend}]`, () => {
    let server: ConcertimServer;
    before(async () => {
      server = await startConcertim({}, {}, backend);
    });
    after(async () => {
      await server?.close();
    });

    test('GET / answers Running without authentication', async () => {
      const response = await send(server.url, 'GET', '/', undefined, {});
      assert.equal(response.status, 200);
      assert.equal(response.text, 'Running\n');
    });

    test('a successful call is a 201 with success true', async () => {
      const response = await server.concertim('POST', '/user', newUser('first'));
      assert.equal(response.status, 201);
      assert.equal(response.body.success, true);
    });

    for (const [what, header] of [
      ['no Authorization header', undefined],
      ['a header without the Bearer prefix', 'Token abc'],
      ['a token that is not a JWT', 'Bearer not-a-jwt'],
    ] as const) {
      test(`${what} is a 401 APIAuthenticationError in the JSON error body`, async () => {
        const response = await send(
          server.url,
          'POST',
          '/user',
          newUser('nobody'),
          header ? { authorization: header } : {},
        );
        assert.equal(response.status, 401);
        assert.match(response.headers.get('content-type')!, /application\/json/);
        assert.equal(response.body.success, false);
        assert.equal(response.body.error, 'APIAuthenticationError');
        assert.match(response.body.message, /^401 - API Could not authenticate with Concertim -> /);
        assert.equal(response.body.traceback, '');
      });
    }

    test('a JWT signed with another secret, expired, without exp, or not HS256 is refused', async () => {
      const now = Math.floor(Date.now() / 1000);
      const tokens = [
        await signJwt(undefined, 'another-secret'),
        await signJwt({ exp: now - 5 }),
        await signJwt({ sub: 'x' }),
      ];
      for (const token of tokens) {
        const response = await server.concertim('POST', '/user', newUser('nobody'), { token });
        assert.equal(response.status, 401, token);
        assert.equal(response.body.error, 'APIAuthenticationError');
      }
      const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ exp: now + 60 })).toString('base64url')}.`;
      assert.equal((await server.concertim('POST', '/user', newUser('nobody'), { token: unsigned })).status, 401);
    });

    test('the JWT is checked before the body', async () => {
      const response = await send(server.url, 'POST', '/user', {}, {});
      assert.equal(response.body.error, 'APIAuthenticationError');
    });

    test('missing keys are a 415 naming every one, nested ones included', async () => {
      const empty = await server.concertim('POST', '/user', {});
      assert.equal(empty.status, 415);
      assert.deepEqual(empty.body, {
        success: false,
        error: 'MissingRequiredArgument',
        message:
          "415 - Call to API is missing required argument(s) -> ['cloud_env', 'username', 'name', 'email', 'password']",
        traceback: '',
      });
      const nested = await server.concertim('DELETE', '/user', { cloud_env: adminEnv });
      assert.equal(
        nested.body.message,
        "415 - Call to API is missing required argument(s) -> ['user_info', 'cloud_user_id']",
      );
      const inner = await server.concertim('POST', '/key_pairs', { cloud_env: adminEnv, key_pair: {} });
      assert.equal(inner.body.message, "415 - Call to API is missing required argument(s) -> ['name']");
      const noBody = await server.concertim('POST', '/team');
      assert.equal(noBody.body.message, "415 - Call to API is missing required argument(s) -> ['cloud_env', 'name']");
    });

    test('a body that is not JSON, or a value of the wrong type, is a 400 APIServerDefError', async () => {
      const broken = await server.concertim('POST', '/team', '{"cloud_env":', {
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(broken.status, 400);
      assert.equal(broken.body.error, 'APIServerDefError');
      const wrongType = await server.concertim('POST', '/team', { cloud_env: adminEnv, name: 42 });
      assert.equal(wrongType.status, 400);
      assert.equal(wrongType.body.message, '400 - API Server failed -> name must be string');
    });

    test('cloud_env must be a Keystone combination: anything else is a 401 CloudAuthenticationError', async () => {
      const partial = await server.concertim('POST', '/team', {
        cloud_env: { user_id: 'admin', password: 'x' },
        name: 'nope',
      });
      assert.equal(partial.status, 401);
      assert.equal(partial.body.error, 'CloudAuthenticationError');
      assert.equal(
        partial.body.message,
        '401 - Could not authenticate with Cloud -> Invalid set of authorization parameters when building session password, user_id',
      );
    });

    test('a wrong password, or an unknown user, in cloud_env is a 401 Unauthorized', async () => {
      for (const env of [
        cloudEnv('admin', 'wrong-password'),
        cloudEnv('00000000-0000-4000-8000-000000000000', 'whatever'),
      ]) {
        const response = await server.concertim('POST', '/team', { cloud_env: env, name: 'nope' });
        assert.equal(response.status, 401);
        assert.equal(response.body.error, 'Unauthorized');
        assert.match(response.body.message, /\(HTTP 401\)$/);
      }
    });

    test('admin credentials may be given by username and the v3 username combination', async () => {
      const env = {
        auth_url: 'http://k',
        admin_username: 'admin',
        admin_user_password: adminEnv.password,
        admin_project_id: 'p',
        user_domain_name: 'Default',
      };
      assert.equal((await server.concertim('POST', '/team', { cloud_env: env, name: 'by-username' })).status, 201);
    });

    test('every route is listed under the concertim tag in /openapi.json', async () => {
      const document = (await server.call('GET', '/openapi.json')).body;
      const tagged = Object.entries(document.paths).flatMap(([path, operations]: [string, any]) =>
        Object.entries(operations)
          .filter(([, operation]: [string, any]) => operation.tags?.includes('concertim'))
          .map(([method]) => `${method.toUpperCase()} ${path}`),
      );
      for (const route of [
        'GET /',
        'POST /user',
        'DELETE /user',
        'PATCH /user',
        'POST /team',
        'DELETE /team',
        'POST /team_role',
        'PATCH /team_role',
        'DELETE /team_role',
        'GET /key_pairs',
        'POST /key_pairs',
        'DELETE /key_pairs',
        'POST /update_status/{type}/{id}',
        'POST /get_draft_invoice',
        'POST /list_paginated_invoices',
        'POST /get_account_invoice',
        'POST /credits',
        'POST /get_credits',
      ]) {
        assert.ok(tagged.includes(route), `${route} in ${tagged.join(', ')}`);
      }
    });

    test('the native API keeps its own errors beside the dialect', async () => {
      assert.equal((await server.call('GET', '/api/v1/me')).headers.get('content-type'), 'application/problem+json');
    });
  });
}

describe('Concertim configuration', () => {
  test('without a jwtSecret every call but GET / is refused', async () => {
    const server = await startConcertim({ jwtSecret: '' });
    try {
      const response = await server.concertim('POST', '/team', { cloud_env: adminEnv, name: 'x' });
      assert.equal(response.status, 401);
      assert.match(response.body.message, /no JWT secret is configured/);
      assert.equal((await send(server.url, 'GET', '/', undefined, {})).status, 200);
    } finally {
      await server.close();
    }
  });

  test('its own port serves the same API, with a JSON 404 for other paths', async () => {
    const port = await freePort();
    const server = await startConcertim({ port, host: '127.0.0.1' });
    try {
      const own = `http://127.0.0.1:${port}`;
      assert.equal((await send(own, 'GET', '/', undefined, {})).text, 'Running\n');
      const created = await send(
        own,
        'POST',
        '/team',
        { cloud_env: adminEnv, name: 'own-port' },
        { authorization: `Bearer ${await signJwt()}` },
      );
      assert.equal(created.status, 201);
      const missing = await send(own, 'GET', '/api/v1/me', undefined, {});
      assert.equal(missing.status, 404);
      assert.equal(missing.body.error, 'NotFound');
      assert.equal(server.app.concertim?.server.address() && typeof server.app.concertim.server.address(), 'object');
    } finally {
      await server.close();
    }
  });

  test('port 0 means no listener of its own, and enabled: false removes the routes', async () => {
    const server = await startServer('sqlite', { dialects: { concertim: { enabled: false } } });
    try {
      assert.equal(server.app.concertim, undefined);
      assert.equal((await server.call('GET', '/')).status, 404);
    } finally {
      await server.close();
    }
  });
});
