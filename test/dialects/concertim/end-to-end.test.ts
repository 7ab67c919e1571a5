import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eventually } from '../../support/eventually.ts';
import { adminEnv, cloudEnv, startConcertim, type ConcertimServer } from './concertim-client.ts';
import { alive } from '../../support/processes.ts';

describe('Concertim end to end on the local driver', () => {
  let server: ConcertimServer;
  let team: { project_id: string; billing_acct_id: string };
  let userId = '';
  let token = '';
  let env: ReturnType<typeof cloudEnv>;
  const base = () => `/api/v1/teams/${team.project_id}/resources`;
  const get = async (id: string) => (await server.call('GET', `${base()}/${id}`, { token })).body;
  const until = (id: string, state: string) =>
    eventually(
      () => get(id),
      (r) => r.status.state === state,
      `${id} ${state}`,
    );
  const pidOf = (resource: any) => resource.status.details.pid ?? resource.status.details.processes?.[0]?.pid;
  const create = async (body: unknown) => {
    const response = await server.call('POST', base(), { token, body });
    assert.equal(response.status, 201, response.text);
    return response.body.metadata.id as string;
  };
  const updateStatus = (type: string, id: string, action: string, cloud_env = env) =>
    server.concertim('POST', `/update_status/${type}/${id}`, { cloud_env, action });

  before(async () => {
    // A price high enough that a few seconds of a server show on the draft invoice.
    server = await startConcertim(
      {},
      { engine: { workers: 2 }, billing: { prices: { server: { cpuHour: 36_000_000 } } } },
    );
    // Concertim's sign-up: the user, their single-user team, and the admin role in it (CreateSingleUserTeamJob).
    const password = 'dora-password';
    userId = (
      await server.concertim('POST', '/user', {
        cloud_env: adminEnv,
        username: 'dora',
        name: 'Dora',
        email: 'dora@example.org',
        password,
      })
    ).body.user_cloud_id;
    team = (await server.concertim('POST', '/team', { cloud_env: adminEnv, name: 'dora_team' })).body;
    await server.concertim('POST', '/team_role', {
      cloud_env: adminEnv,
      team_role: { project_id: team.project_id, user_id: userId, role: 'admin' },
    });
    token = (await server.call('POST', '/api/v1/auth/login', { body: { username: 'dora', password } })).body.token
      .token;
    env = cloudEnv(userId, password, team.project_id);
  });
  after(async () => {
    const live = await server.call('GET', `${base()}?limit=500`, { token });
    for (const resource of live.body.items ?? [])
      await server.call('DELETE', `${base()}/${resource.metadata.id}`, { token });
    for (const resource of live.body.items ?? []) await until(resource.metadata.id, 'deleted').catch(() => {});
    await server?.close();
  });

  test('a team created through Concertim is visible through the native API with its member', async () => {
    const teams = await server.call('GET', '/api/v1/teams', { token });
    assert.deepEqual(
      teams.body.items.map((t: any) => t.id),
      [team.project_id],
    );
    const members = await server.call('GET', `/api/v1/teams/${team.project_id}/members`, { token });
    assert.equal(members.body.items.find((m: any) => m.userId === userId).role, 'admin');
  });

  test("a server's power actions through /update_status reach its real process", async () => {
    const id = await create({ kind: 'server', name: 'vm1', spec: { command: ['sleep', '300'] } });
    const pid = pidOf(await until(id, 'active'));
    assert.ok(pid && alive(pid));

    const suspended = await updateStatus('devices', id, 'suspend');
    assert.equal(suspended.status, 201);
    assert.deepEqual(suspended.body.cloud_response.submitted, true);
    assert.equal(suspended.body.cloud_response.request_ids.length, 1);
    await until(id, 'suspended');
    assert.equal((await updateStatus('instances', id, 'resume')).status, 201);
    await until(id, 'active');
    assert.equal((await updateStatus('devices', id, 'off')).status, 201);
    await until(id, 'stopped');
    assert.ok(!alive(pid));

    const notNow = await updateStatus('devices', id, 'off');
    assert.equal(notNow.status, 409);
    assert.equal(notNow.body.error, 'Conflict');

    assert.equal((await updateStatus('devices', id, 'on')).status, 201);
    const restarted = pidOf(await until(id, 'active'));
    assert.ok(alive(restarted));
    assert.equal((await updateStatus('devices', id, 'destroy')).status, 201);
    await until(id, 'deleted');
    assert.ok(!alive(restarted));
  });

  test('a rack is a stack: destroy removes it with its servers', async () => {
    const stack = await create({ kind: 'stack', name: 'rack1', spec: {} });
    const server1 = await create({
      kind: 'server',
      name: 'in-rack',
      parent: stack,
      spec: { command: ['sleep', '300'] },
    });
    await until(stack, 'active');
    const pid = pidOf(await until(server1, 'active'));
    assert.equal((await updateStatus('devices', stack, 'off')).status, 404, 'a stack is not a device');
    const destroyed = await updateStatus('racks', stack, 'destroy');
    assert.equal(destroyed.status, 201);
    assert.deepEqual(destroyed.body, { cloud_response: { submitted: true, request_ids: [], attempt: {} } });
    await until(stack, 'deleted');
    assert.equal((await get(server1)).status.state, 'deleted');
    assert.ok(!alive(pid));

    const draft = (
      await server.concertim('POST', '/get_draft_invoice', { invoice: { billing_acct_id: team.billing_acct_id } })
    ).body.draft_invoice;
    const cost = draft.items[stack];
    assert.equal(cost.type, 'cost', 'a server in a rack is billed to the rack');
    assert.equal(cost.openstack_stack_id, stack);
    assert.equal(cost.openstack_stack_name, 'rack1');
    assert.ok(cost.amount > 0 && draft.amount >= cost.amount, JSON.stringify(draft));
    assert.equal(draft.items[server1], undefined);
  });

  test('unknown types and actions are a 406 InvalidAPICall; unknown ids and other teams a 404', async () => {
    const id = await create({ kind: 'server', name: 'vm2', spec: { command: ['sleep', '300'] } });
    const badType = await updateStatus('volumes', id, 'destroy');
    assert.equal(badType.status, 406);
    assert.equal(badType.body.error, 'InvalidAPICall');
    assert.match(badType.body.message, /^406 - Invalid API call attempted -> /);
    assert.equal((await updateStatus('devices', id, 'explode')).status, 406);
    assert.equal((await updateStatus('racks', id, 'on')).status, 406);
    assert.equal((await updateStatus('devices', '00000000-0000-4000-8000-000000000000', 'off')).status, 404);
    assert.equal((await updateStatus('devices', 'not-an-id', 'off')).status, 404);

    await server.concertim('POST', '/user', {
      cloud_env: adminEnv,
      username: 'eve',
      name: 'Eve',
      email: 'eve@example.org',
      password: 'eve-password',
    });
    const stranger = await updateStatus('devices', id, 'off', cloudEnv('eve', 'eve-password'));
    assert.equal(stranger.status, 404);
    assert.doesNotMatch(stranger.body.message, new RegExp(team.project_id), 'the other team is not named');
    const missing = await server.concertim('POST', `/update_status/devices/${id}`, { cloud_env: env });
    assert.equal(missing.body.message, "415 - Call to API is missing required argument(s) -> ['action']");
  });

  test('admin credentials act on any team: a root user in Concertim', async () => {
    const id = await create({ kind: 'server', name: 'vm3', spec: { command: ['sleep', '300'] } });
    await until(id, 'active');
    assert.equal((await updateStatus('devices', id, 'suspend', adminEnv)).status, 201);
    await until(id, 'suspended');
  });

  test('a team created through the native API is usable through Concertim', async () => {
    const created = await server.call('POST', '/api/v1/teams', { token, body: { name: 'native-team' } });
    const teamId = created.body.id;
    const nativeServer = await server.call('POST', `/api/v1/teams/${teamId}/resources`, {
      token,
      body: { kind: 'server', name: 'native-vm', spec: { command: ['sleep', '300'] } },
    });
    const id = nativeServer.body.metadata.id;
    await eventually(
      async () => (await server.call('GET', `/api/v1/teams/${teamId}/resources/${id}`, { token })).body,
      (r) => r.status.state === 'active',
      'active',
    );
    await server.concertim('POST', '/user', {
      cloud_env: adminEnv,
      username: 'finn',
      name: 'Finn',
      email: 'finn@example.org',
      password: 'finn-password',
    });
    const finn = (await server.call('GET', '/api/v1/users?limit=500', { token: server.adminToken })).body.items.find(
      (u: any) => u.username === 'finn',
    ).id;
    const role = await server.concertim('POST', '/team_role', {
      cloud_env: env,
      team_role: { project_id: teamId, user_id: finn, role: 'member' },
    });
    assert.equal(role.status, 201, 'a team admin grants roles with their own credentials');
    assert.equal((await updateStatus('devices', id, 'destroy', cloudEnv(finn, 'finn-password', teamId))).status, 201);
    await eventually(
      async () => (await server.call('GET', `/api/v1/teams/${teamId}/resources/${id}`, { token })).body,
      (r) => r.status.state === 'deleted',
      'deleted',
    );
    const draft = await server.concertim('POST', '/get_draft_invoice', {
      invoice: {
        billing_acct_id: (await server.call('GET', `/api/v1/billing/accounts/team:${teamId}`, { token })).body.id,
      },
    });
    assert.equal(draft.status, 201);
    assert.equal(draft.body.draft_invoice.status, 'DRAFT');
  });
});
