import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { backends } from '../../support/backends.ts';
import type { TestServer } from '../../support/server.ts';
import { instanceBody, nativeToken, startFakeAstakos, startOkeanos, withToken, type FakeAstakos } from './support.ts';

const invalidToken =
  '{"errors":[{"status":401,"detail":"Unauthorized. Request failed because user provided an invalid token."}]}';

for (const backend of backends()) {
  describe(`okeanos authentication: native tokens, then the identity service [${backend}]`, () => {
    let astakos: FakeAstakos;
    let server: TestServer;

    before(async () => {
      astakos = await startFakeAstakos();
      server = await startOkeanos(backend, { identityUrl: `${astakos.url}/` });
    });
    after(async () => {
      await server.close();
      await astakos.close();
    });

    const astakosCallsFor = (token: string) =>
      astakos.calls.filter((c) => JSON.parse(c.body).auth.token.id === token).length;

    test('an ~okeanos user is created on first sight, with a personal team owning their instances', async () => {
      const token = `okeanos-token-${randomUUID()}`;
      const userUuid = randomUUID();
      astakos.users.set(token, userUuid);
      const body = instanceBody();
      assert.equal((await withToken(server, token)('POST', '/api/lambda_instances/', { body })).status, 202);
      const users = await server.call('GET', '/api/v1/users?limit=500', { token: server.adminToken });
      const user = users.body.items.find((u: any) => u.username === `${userUuid}@okeanos`);
      assert.ok(user, 'the user exists');
      const teams = await server.call('GET', '/api/v1/teams?limit=500', { token: server.adminToken });
      const team = teams.body.items.find((t: any) => t.name === `okeanos-${user.id}`);
      assert.ok(team, 'the personal team exists');
      const resource = await server.call('GET', `/api/v1/teams/${team.id}/resources/${body.uuid}`, {
        token: server.adminToken,
      });
      assert.equal(resource.status, 200);
      assert.equal(resource.body.metadata.createdBy, user.id);
      const call = astakos.calls.find((c) => JSON.parse(c.body).auth.token.id === token)!;
      assert.equal(call.path, '/identity/v2.0/tokens');
      assert.equal(call.xAuthToken, token);
    });

    test('a vouched-for token is cached (hashed): the identity service is asked once', async () => {
      const token = `okeanos-token-${randomUUID()}`;
      astakos.users.set(token, randomUUID());
      const call = withToken(server, token);
      for (let i = 0; i < 3; i++) assert.equal((await call('GET', '/api/lambda_instances/')).status, 200);
      await call('POST', '/api/lambda_instances/', { body: instanceBody() });
      assert.equal(astakosCallsFor(token), 1);
    });

    test('two tokens of one ~okeanos user share the user and the records', async () => {
      const userUuid = randomUUID();
      const [first, second] = [`t1-${randomUUID()}`, `t2-${randomUUID()}`];
      astakos.users.set(first, userUuid);
      astakos.users.set(second, userUuid);
      const body = instanceBody();
      await withToken(server, first)('POST', '/api/lambda_instances/', { body });
      const list = await withToken(server, second)('GET', '/api/lambda_instances/');
      assert.deepEqual(
        list.body.data.map((i: any) => i.uuid),
        [body.uuid],
      );
    });

    test('a token the identity service refuses is a 401 with the original body', async () => {
      const refused = await withToken(server, 'not-an-okeanos-token')('GET', '/api/lambda_instances/');
      assert.equal(refused.status, 401);
      assert.equal(refused.text, invalidToken);
    });

    test('a native API token is honoured without asking the identity service', async () => {
      const { token } = await nativeToken(server, 'native-user');
      const before = astakos.calls.length;
      assert.equal(
        (await withToken(server, token)('POST', '/api/lambda_instances/', { body: instanceBody() })).status,
        202,
      );
      assert.equal(astakos.calls.length, before);
    });

    test('a revoked native token is refused without being sent to the identity service', async () => {
      const { token } = await nativeToken(server, 'revoked-user');
      const tokens = await server.call('GET', '/api/v1/tokens', { token });
      const before = astakos.calls.length;
      for (const item of tokens.body.items) await server.call('DELETE', `/api/v1/tokens/${item.id}`, { token });
      assert.equal((await withToken(server, token)('GET', '/api/lambda_instances/')).text, invalidToken);
      assert.equal(astakos.calls.length, before);
    });

    test('a disabled user is refused even with a cached token', async () => {
      const token = `okeanos-token-${randomUUID()}`;
      const userUuid = randomUUID();
      astakos.users.set(token, userUuid);
      assert.equal((await withToken(server, token)('GET', '/api/lambda_instances/')).status, 200);
      const users = await server.call('GET', '/api/v1/users?limit=500', { token: server.adminToken });
      const user = users.body.items.find((u: any) => u.username === `${userUuid}@okeanos`);
      await server.call('PATCH', `/api/v1/users/${user.id}`, { token: server.adminToken, body: { disabled: true } });
      const refused = await withToken(server, token)('GET', '/api/lambda_instances/');
      assert.equal(refused.text, invalidToken);
    });
  });

  describe(`okeanos authentication: edge settings [${backend}]`, () => {
    test('without an identity service only native tokens work', async () => {
      const server = await startOkeanos(backend);
      try {
        assert.equal(
          (await withToken(server, 'some-okeanos-token')('GET', '/api/lambda_instances/')).text,
          invalidToken,
        );
      } finally {
        await server.close();
      }
    });

    test('tokenCacheSeconds 0 asks the identity service every time; an unreachable one is a 503, not a 401', async () => {
      const astakos = await startFakeAstakos();
      const server = await startOkeanos(backend, { identityUrl: astakos.url, tokenCacheSeconds: 0 });
      try {
        astakos.users.set('tok', randomUUID());
        await withToken(server, 'tok')('GET', '/api/lambda_instances/');
        await withToken(server, 'tok')('GET', '/api/lambda_instances/');
        assert.equal(astakos.calls.length, 2);
        await astakos.close();
        const down = await withToken(server, 'tok')('GET', '/api/lambda_instances/');
        assert.equal(down.status, 503);
        assert.equal(
          down.text,
          '{"errors":[{"status":503,"detail":"The identity service could not be reached; try again later."}]}',
        );
      } finally {
        await server.close();
      }
    });

    test('switched off, the dialect serves nothing', async () => {
      const server = await startOkeanos(backend, { enabled: false });
      try {
        assert.equal((await server.call('GET', '/api/users/count')).status, 404);
      } finally {
        await server.close();
      }
    });
  });
}
