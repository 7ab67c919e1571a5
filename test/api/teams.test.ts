import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachBackend } from '../support/each-backend.ts';

forEachBackend('teams, members and namespaces', (server) => {
  const post = (token: string, path: string, body: unknown) => server().call('POST', path, { token, body });

  test('creating a team makes you its admin; it is reachable by id and by name', async () => {
    const ann = await server().user('ann-teams');
    const team = await post(ann.token, '/api/v1/teams', { name: 'acme', description: 'widgets' });
    assert.equal(team.status, 201);
    const byName = await server().call('GET', '/api/v1/teams/acme', { token: ann.token });
    assert.equal(byName.body.id, team.body.id);
    const members = await server().call('GET', `/api/v1/teams/${team.body.id}/members`, { token: ann.token });
    assert.deepEqual(
      members.body.items.map((m: { username: string; role: string }) => [m.username, m.role]),
      [['ann-teams', 'admin']],
    );
  });

  test('team names are unique', async () => {
    const ben = await server().user('ben-teams');
    await post(ben.token, '/api/v1/teams', { name: 'unique-team' });
    assert.equal((await post(ben.token, '/api/v1/teams', { name: 'unique-team' })).status, 409);
  });

  test('roles: viewers read, members create resources, only admins manage members', async () => {
    const owner = await server().user('owner-roles');
    const member = await server().user('member-roles');
    const viewer = await server().user('viewer-roles');
    await post(owner.token, '/api/v1/teams', { name: 'roles' });
    assert.equal(
      (await post(owner.token, '/api/v1/teams/roles/members', { user: 'member-roles', role: 'member' })).status,
      201,
    );
    assert.equal(
      (await post(owner.token, '/api/v1/teams/roles/members', { user: viewer.id, role: 'viewer' })).status,
      201,
    );
    const cluster = { kind: 'cluster', name: 'c', spec: { nodePoolSize: 1 } };
    assert.equal((await post(viewer.token, '/api/v1/teams/roles/resources', cluster)).status, 403);
    assert.equal((await server().call('GET', '/api/v1/teams/roles/resources', { token: viewer.token })).status, 200);
    assert.equal((await post(member.token, '/api/v1/teams/roles/resources', cluster)).status, 201);
    assert.equal(
      (await post(member.token, '/api/v1/teams/roles/members', { user: 'ann-teams', role: 'viewer' })).status,
      403,
    );
    const promote = await server().call('PATCH', `/api/v1/teams/roles/members/${member.id}`, {
      token: owner.token,
      body: { role: 'admin' },
    });
    assert.equal(promote.body.role, 'admin');
    assert.equal(
      (await post(member.token, '/api/v1/teams/roles/members', { user: 'ann-teams', role: 'viewer' })).status,
      201,
    );
  });

  test('adding a member twice is a conflict, an unknown user a 404', async () => {
    const cat = await server().user('cat-teams');
    await post(cat.token, '/api/v1/teams', { name: 'dupes' });
    assert.equal(
      (await post(cat.token, '/api/v1/teams/dupes/members', { user: 'cat-teams', role: 'member' })).status,
      409,
    );
    assert.equal(
      (await post(cat.token, '/api/v1/teams/dupes/members', { user: 'nobody-at-all', role: 'member' })).status,
      404,
    );
  });

  test('the last admin can neither leave nor be demoted', async () => {
    const dan = await server().user('dan-teams');
    await post(dan.token, '/api/v1/teams', { name: 'lonely' });
    assert.equal(
      (await server().call('DELETE', `/api/v1/teams/lonely/members/${dan.id}`, { token: dan.token })).status,
      409,
    );
    assert.equal(
      (
        await server().call('PATCH', `/api/v1/teams/lonely/members/${dan.id}`, {
          token: dan.token,
          body: { role: 'member' },
        })
      ).status,
      409,
    );
  });

  test('a member may leave a team, after which it is a 404 for them', async () => {
    const eve = await server().user('eve-teams');
    const fay = await server().user('fay-teams');
    await post(eve.token, '/api/v1/teams', { name: 'leavers' });
    await post(eve.token, '/api/v1/teams/leavers/members', { user: 'fay-teams', role: 'member' });
    assert.equal(
      (await server().call('DELETE', `/api/v1/teams/leavers/members/${fay.id}`, { token: fay.token })).status,
      204,
    );
    assert.equal((await server().call('GET', '/api/v1/teams/leavers', { token: fay.token })).status, 404);
  });

  test('teams are renamed by admins', async () => {
    const gus = await server().user('gus-teams');
    await post(gus.token, '/api/v1/teams', { name: 'old-name' });
    const renamed = await server().call('PATCH', '/api/v1/teams/old-name', {
      token: gus.token,
      body: { name: 'new-name' },
    });
    assert.equal(renamed.body.name, 'new-name');
    assert.equal((await server().call('GET', '/api/v1/teams/new-name', { token: gus.token })).status, 200);
  });

  test('namespaces: created, listed, unique per team, DNS names only', async () => {
    const hal = await server().user('hal-teams');
    await post(hal.token, '/api/v1/teams', { name: 'spaces' });
    assert.equal((await post(hal.token, '/api/v1/teams/spaces/namespaces', { name: 'prod' })).status, 201);
    assert.equal((await post(hal.token, '/api/v1/teams/spaces/namespaces', { name: 'prod' })).status, 409);
    assert.equal((await post(hal.token, '/api/v1/teams/spaces/namespaces', { name: 'Not_DNS' })).status, 400);
    const list = await server().call('GET', '/api/v1/teams/spaces/namespaces', { token: hal.token });
    assert.deepEqual(
      list.body.items.map((n: { name: string }) => n.name),
      ['prod'],
    );
    assert.equal(
      (await server().call('GET', '/api/v1/teams/spaces/namespaces/prod', { token: hal.token })).body.name,
      'prod',
    );
  });

  test('deleting a namespace deletes the resources in it', async () => {
    const ida = await server().user('ida-teams');
    await post(ida.token, '/api/v1/teams', { name: 'ns-cascade' });
    await post(ida.token, '/api/v1/teams/ns-cascade/namespaces', { name: 'test' });
    const inside = await post(ida.token, '/api/v1/teams/ns-cascade/resources', {
      kind: 'cluster',
      name: 'c',
      namespace: 'test',
      spec: { nodePoolSize: 2 },
    });
    const outside = await post(ida.token, '/api/v1/teams/ns-cascade/resources', {
      kind: 'cluster',
      name: 'c',
      spec: { nodePoolSize: 2 },
    });
    assert.equal(
      (await server().call('DELETE', '/api/v1/teams/ns-cascade/namespaces/test', { token: ida.token })).status,
      204,
    );
    assert.equal(
      (
        await server().call('GET', `/api/v1/teams/ns-cascade/resources/${inside.body.metadata.id}`, {
          token: ida.token,
        })
      ).status,
      404,
    );
    assert.equal(
      (
        await server().call('GET', `/api/v1/teams/ns-cascade/resources/${outside.body.metadata.id}`, {
          token: ida.token,
        })
      ).status,
      200,
    );
    const operationsOf = (id: string) =>
      server().app.ctx.store.db.selectFrom('operations').select('id').where('resource_id', '=', id).execute();
    assert.deepEqual(
      await operationsOf(inside.body.metadata.id),
      [],
      'operations of the removed resource are left behind',
    );
    assert.notDeepEqual(await operationsOf(outside.body.metadata.id), []);
  });

  test("deleting a team deletes its members' access, namespaces and resources, with an event per resource", async () => {
    const jo = await server().user('jo-teams');
    const team = await post(jo.token, '/api/v1/teams', { name: 'doomed' });
    await post(jo.token, '/api/v1/teams/doomed/namespaces', { name: 'ns' });
    const stack = await post(jo.token, '/api/v1/teams/doomed/resources', { kind: 'stack', name: 's' });
    const child = await post(jo.token, '/api/v1/teams/doomed/resources', {
      kind: 'server',
      name: 'vm',
      parent: stack.body.metadata.id,
    });
    assert.equal((await server().call('DELETE', '/api/v1/teams/doomed', { token: jo.token })).status, 204);
    assert.equal((await server().call('GET', '/api/v1/teams/doomed', { token: jo.token })).status, 404);
    const db = server().app.ctx.store.db;
    assert.equal(
      (await db.selectFrom('resources').selectAll().where('team_id', '=', team.body.id).execute()).length,
      0,
    );
    assert.equal(
      (await db.selectFrom('namespaces').selectAll().where('team_id', '=', team.body.id).execute()).length,
      0,
    );
    assert.equal(
      (await db.selectFrom('operations').selectAll().where('team_id', '=', team.body.id).execute()).length,
      0,
    );
    const events = await db
      .selectFrom('events')
      .select(['type', 'object_id'])
      .where('team_id', '=', team.body.id)
      .orderBy('id')
      .execute();
    const deletions = events.filter((e) => e.type === 'resource.deleted').map((e) => e.object_id);
    assert.deepEqual(deletions, [child.body.metadata.id, stack.body.metadata.id]);
    assert.equal(events[events.length - 1].type, 'team.deleted');
  });

  test('platform admins see every team; users only theirs', async () => {
    const kay = await server().user('kay-teams');
    await post(kay.token, '/api/v1/teams', { name: 'kays' });
    const mine = await server().call('GET', '/api/v1/teams', { token: kay.token });
    assert.deepEqual(
      mine.body.items.map((t: { name: string }) => t.name),
      ['kays'],
    );
    const all = await server().call('GET', '/api/v1/teams?limit=500', { token: server().adminToken });
    assert.ok(all.body.items.length > 1);
  });
});
