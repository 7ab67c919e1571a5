import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { backends } from '../../support/backends.ts';
import { adminEnv, cloudEnv, startConcertim, type ConcertimServer } from './concertim-client.ts';

for (const backend of backends()) {
  describe(`Concertim users, teams, team roles and key pairs [${backend}]`, () => {
    let server: ConcertimServer;
    const signUp = async (username: string) => {
      const response = await server.concertim('POST', '/user', {
        cloud_env: adminEnv,
        username,
        name: `${username} name`,
        email: `${username}@example.org`,
        password: `${username}-password`,
      });
      assert.equal(response.status, 201, response.text);
      return response.body.user_cloud_id as string;
    };
    const createTeam = async (name: string) => {
      const response = await server.concertim('POST', '/team', { cloud_env: adminEnv, name });
      assert.equal(response.status, 201, response.text);
      return response.body as { project_id: string; billing_acct_id: string };
    };
    const login = async (username: string) =>
      (await server.call('POST', '/api/v1/auth/login', { body: { username, password: `${username}-password` } })).body
        .token.token as string;

    before(async () => {
      server = await startConcertim({}, {}, backend);
    });
    after(async () => {
      await server?.close();
    });

    test('POST /user creates a user who can log in to the native API', async () => {
      const response = await server.concertim('POST', '/user', {
        cloud_env: adminEnv,
        username: 'alice',
        name: 'Alice',
        email: 'alice@example.org',
        password: 'alice-password',
      });
      assert.equal(response.status, 201);
      assert.deepEqual(Object.keys(response.body).sort(), ['success', 'user_cloud_id', 'username']);
      assert.equal(response.body.username, 'alice');
      const me = await server.call('GET', '/api/v1/me', { token: await login('alice') });
      assert.equal(me.body.user.id, response.body.user_cloud_id);
      assert.equal(me.body.user.email, 'alice@example.org');
    });

    test('POST /user with a taken username is a 409 Conflict', async () => {
      await signUp('taken');
      const again = await server.concertim('POST', '/user', {
        cloud_env: adminEnv,
        username: 'taken',
        name: 'x',
        email: 'x@example.org',
        password: 'taken-password',
      });
      assert.equal(again.status, 409);
      assert.equal(again.body.error, 'Conflict');
    });

    test('only admin credentials create users: a user gets a 403 Forbidden', async () => {
      await signUp('plain');
      const response = await server.concertim('POST', '/user', {
        cloud_env: cloudEnv('plain', 'plain-password'),
        username: 'other',
        name: 'o',
        email: 'o@example.org',
        password: 'other-password',
      });
      assert.equal(response.status, 403);
      assert.equal(response.body.error, 'Forbidden');
    });

    test('PATCH /user changes email and password and lists what changed', async () => {
      const id = await signUp('changer');
      const response = await server.concertim('PATCH', '/user', {
        cloud_env: adminEnv,
        user_info: {
          cloud_user_id: id,
          new_data: { email: 'new@example.org', password: 'a-new-password', admin: true },
        },
      });
      assert.equal(response.status, 201);
      assert.deepEqual(response.body, {
        success: true,
        updated: [
          ['cloud_user', id, 'email'],
          ['cloud_user', id, 'password'],
        ],
      });
      const session = await server.call('POST', '/api/v1/auth/login', {
        body: { username: 'changer', password: 'a-new-password' },
      });
      assert.equal(session.status, 200);
      const me = await server.call('GET', '/api/v1/me', { token: session.body.token.token });
      assert.equal(me.body.user.email, 'new@example.org');
      assert.equal(me.body.user.admin, false, 'only email and password pass through');
    });

    test('PATCH /user without new_data is a 415; with an empty one a 400', async () => {
      const id = await signUp('unchanged');
      const missing = await server.concertim('PATCH', '/user', {
        cloud_env: adminEnv,
        user_info: { cloud_user_id: id },
      });
      assert.equal(missing.body.message, "415 - Call to API is missing required argument(s) -> ['new_data']");
      assert.equal(
        (
          await server.concertim('PATCH', '/user', {
            cloud_env: adminEnv,
            user_info: { cloud_user_id: id, new_data: {} },
          })
        ).status,
        400,
      );
      const onlyOthers = await server.concertim('PATCH', '/user', {
        cloud_env: adminEnv,
        user_info: { cloud_user_id: id, new_data: { admin: true } },
      });
      assert.equal(onlyOthers.body.message, '400 - API Server failed -> new_data needs email or password');
    });

    test('DELETE /user removes the user; an unknown id is a 404 NotFound', async () => {
      const id = await signUp('leaving');
      const response = await server.concertim('DELETE', '/user', {
        cloud_env: adminEnv,
        user_info: { cloud_user_id: id },
      });
      assert.equal(response.status, 201);
      assert.deepEqual(response.body, { success: true });
      assert.equal((await server.call('GET', `/api/v1/users/${id}`, { token: server.adminToken })).status, 404);
      const again = await server.concertim('DELETE', '/user', {
        cloud_env: adminEnv,
        user_info: { cloud_user_id: id },
      });
      assert.equal(again.status, 404);
      assert.equal(again.body.error, 'NotFound');
    });

    test('POST /team answers project_id (the team id) and billing_acct_id (its billing account), ignoring ids sent along', async () => {
      const response = await server.concertim('POST', '/team', {
        cloud_env: adminEnv,
        name: 'acme',
        project_id: null,
        billing_acct_id: null,
      });
      assert.equal(response.status, 201);
      const { project_id, billing_acct_id } = response.body;
      const team = await server.call('GET', `/api/v1/teams/${project_id}`, { token: server.adminToken });
      assert.equal(team.body.name, 'acme');
      const account = await server.call('GET', `/api/v1/billing/accounts/team:${project_id}`, {
        token: server.adminToken,
      });
      assert.equal(account.body.id, billing_acct_id);
      assert.equal((await server.concertim('POST', '/team', { cloud_env: adminEnv, name: 'acme' })).status, 409);
      assert.equal((await server.concertim('POST', '/team', { cloud_env: adminEnv, name: '!bad' })).status, 400);
    });

    test('team roles: grant, change and revoke membership, seen by the native API', async () => {
      const { project_id } = await createTeam('roles');
      const userId = await signUp('member1');
      const members = async () =>
        (await server.call('GET', `/api/v1/teams/${project_id}/members`, { token: server.adminToken })).body.items.find(
          (m: any) => m.userId === userId,
        );
      const granted = await server.concertim('POST', '/team_role', {
        cloud_env: adminEnv,
        team_role: { project_id, user_id: userId, role: 'member' },
      });
      assert.equal(granted.status, 201);
      assert.deepEqual(granted.body, { success: true });
      assert.equal((await members()).role, 'member');
      assert.equal(
        (
          await server.concertim('POST', '/team_role', {
            cloud_env: adminEnv,
            team_role: { project_id, user_id: userId, role: 'member' },
          })
        ).status,
        201,
        'grants are idempotent',
      );
      const changed = await server.concertim('PATCH', '/team_role', {
        cloud_env: adminEnv,
        team_role: { project_id, user_id: userId, current_role: 'member', new_role: 'admin' },
      });
      assert.equal(changed.status, 201);
      assert.equal((await members()).role, 'admin');
      const wrongRole = await server.concertim('DELETE', '/team_role', {
        cloud_env: adminEnv,
        team_role: { project_id, user_id: userId, role: 'member' },
      });
      assert.equal(wrongRole.status, 404);
      const revoked = await server.concertim('DELETE', '/team_role', {
        cloud_env: adminEnv,
        team_role: { project_id, user_id: userId, role: 'admin' },
      });
      assert.equal(revoked.status, 201);
      assert.equal(await members(), undefined);
    });

    test('team roles: an unknown role is a 400, unknown teams and users are 404s, missing keys a 415', async () => {
      const { project_id } = await createTeam('roles-bad');
      const userId = await signUp('member2');
      const badRole = await server.concertim('POST', '/team_role', {
        cloud_env: adminEnv,
        team_role: { project_id, user_id: userId, role: 'owner' },
      });
      assert.equal(badRole.status, 400);
      assert.equal(badRole.body.error, 'APIServerDefError');
      const unknownTeam = await server.concertim('POST', '/team_role', {
        cloud_env: adminEnv,
        team_role: { project_id: '00000000-0000-4000-8000-000000000000', user_id: userId, role: 'member' },
      });
      assert.equal(unknownTeam.status, 404);
      const unknownUser = await server.concertim('POST', '/team_role', {
        cloud_env: adminEnv,
        team_role: { project_id, user_id: '00000000-0000-4000-8000-000000000000', role: 'member' },
      });
      assert.equal(unknownUser.status, 404);
      const missing = await server.concertim('POST', '/team_role', { cloud_env: adminEnv, team_role: { project_id } });
      assert.equal(missing.body.message, "415 - Call to API is missing required argument(s) -> ['user_id', 'role']");
    });

    test('DELETE /team deletes the team', async () => {
      const { project_id, billing_acct_id } = await createTeam('doomed');
      const response = await server.concertim('DELETE', '/team', {
        cloud_env: adminEnv,
        team_info: { project_id, billing_acct_id },
      });
      assert.equal(response.status, 201);
      assert.deepEqual(response.body, { success: true });
      assert.equal((await server.call('GET', `/api/v1/teams/${project_id}`, { token: server.adminToken })).status, 404);
      assert.equal(
        (await server.concertim('DELETE', '/team', { cloud_env: adminEnv, team_info: { project_id, billing_acct_id } }))
          .status,
        404,
      );
    });

    test('key pairs: generate, import, list (GET with a JSON body) and delete, as the cloud_env user', async () => {
      const userId = await signUp('keyholder');
      const env = cloudEnv(userId, 'keyholder-password');
      const generated = await server.concertim('POST', '/key_pairs', {
        cloud_env: env,
        key_pair: { name: 'laptop', key_type: 'ssh', public_key: null },
      });
      assert.equal(generated.status, 201);
      assert.equal(generated.body.success, true);
      const pair = generated.body.key_pair;
      assert.equal(pair.id, 'laptop');
      assert.match(pair.private_key, /BEGIN OPENSSH PRIVATE KEY/);
      assert.match(pair.public_key, /^ssh-ed25519 /);
      assert.match(pair.fingerprint, /^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);

      const imported = await server.concertim('POST', '/key_pairs', {
        cloud_env: env,
        key_pair: { name: 'mine', key_type: 'ssh', public_key: pair.public_key },
      });
      assert.equal(imported.status, 201);
      assert.equal(imported.body.key_pair.private_key, null);
      assert.equal(imported.body.key_pair.fingerprint, pair.fingerprint);

      const duplicate = await server.concertim('POST', '/key_pairs', { cloud_env: env, key_pair: { name: 'laptop' } });
      assert.equal(duplicate.status, 409);
      assert.equal(duplicate.body.error, 'Conflict');
      assert.equal(
        (
          await server.concertim('POST', '/key_pairs', {
            cloud_env: env,
            key_pair: { name: 'bad', public_key: 'ssh-rsa nonsense' },
          })
        ).status,
        400,
      );

      const listed = await server.concertim('GET', '/key_pairs', { cloud_env: env });
      assert.equal(listed.status, 201);
      assert.deepEqual(
        listed.body.key_pairs.map((k: any) => [k.id, k.name, k.fingerprint]),
        [
          ['laptop', 'laptop', pair.fingerprint],
          ['mine', 'mine', pair.fingerprint],
        ],
      );
      const native = await server.call('GET', '/api/v1/keypairs', { token: await login('keyholder') });
      assert.deepEqual(
        native.body.items.map((k: any) => k.name),
        ['laptop', 'mine'],
      );
      assert.deepEqual(
        (await server.concertim('GET', '/key_pairs', { cloud_env: adminEnv })).body.key_pairs,
        [],
        "another user's key pairs are not listed",
      );

      const deleted = await server.concertim('DELETE', '/key_pairs', { cloud_env: env, keypair_name: 'laptop' });
      assert.equal(deleted.status, 201);
      assert.deepEqual(deleted.body, { success: true, key_pair_name: 'laptop' });
      const unknown = await server.concertim('DELETE', '/key_pairs', { cloud_env: env, keypair_name: 'laptop' });
      assert.equal(unknown.status, 404);
      assert.equal(unknown.body.error, 'NotFound');
    });

    test('GET /key_pairs without a body is a 415 naming cloud_env', async () => {
      const response = await server.concertim('GET', '/key_pairs');
      assert.equal(response.status, 415);
      assert.equal(response.body.message, "415 - Call to API is missing required argument(s) -> ['cloud_env']");
    });
  });
}
