import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { backends } from '../../support/backends.ts';
import { adminEnv, cloudEnv, startConcertim, type ConcertimServer } from './concertim-client.ts';

for (const backend of backends()) {
  describe(`Concertim team limits, quotas and cloud statistics [${backend}]`, () => {
    let server: ConcertimServer;
    let team: { project_id: string; billing_acct_id: string };
    let env: ReturnType<typeof cloudEnv>;
    let token = '';

    /** A server its agent reports as `state` (external driver), so the test needs no engine. */
    const server_ = async (name: string, spec: Record<string, unknown>, state: string) => {
      const created = await server.call('POST', `/api/v1/teams/${team.project_id}/resources`, {
        token,
        body: { kind: 'server', name, spec },
      });
      assert.equal(created.status, 201, created.text);
      const id = created.body.metadata.id;
      const reported = await server.call('POST', `/api/v1/teams/${team.project_id}/resources/${id}/status`, {
        token,
        body: { state },
      });
      assert.equal(reported.status, 200, reported.text);
    };

    before(async () => {
      server = await startConcertim({}, { engine: { drivers: { server: 'external' } } }, backend);
      const password = 'limit-password';
      const userId = (
        await server.concertim('POST', '/user', {
          cloud_env: adminEnv,
          username: 'lim',
          name: 'Lim',
          email: 'lim@example.org',
          password,
        })
      ).body.user_cloud_id;
      team = (await server.concertim('POST', '/team', { cloud_env: adminEnv, name: 'lim_team' })).body;
      await server.concertim('POST', '/team_role', {
        cloud_env: adminEnv,
        team_role: { project_id: team.project_id, user_id: userId, role: 'admin' },
      });
      token = (await server.call('POST', '/api/v1/auth/login', { body: { username: 'lim', password } })).body.token
        .token;
      env = cloudEnv(userId, password, team.project_id);
    });
    after(async () => {
      await server?.close();
    });

    test('GET /team/limits (a JSON body on a GET) answers Nova absolute limits: -1 without quotas, usage from live resources', async () => {
      const empty = await server.concertim('GET', '/team/limits', { cloud_env: env });
      assert.equal(empty.status, 201, empty.text);
      assert.equal(empty.body.success, true);
      assert.deepEqual(empty.body.limits, {
        maxTotalCores: -1,
        maxTotalRAMSize: -1,
        maxTotalInstances: -1,
        totalCoresUsed: 0,
        totalRAMUsed: 0,
        totalInstancesUsed: 0,
        maxTotalVolumes: 0,
        maxTotalVolumeGigabytes: 0,
        totalVolumesUsed: 0,
        totalGigabytesUsed: 0,
      });

      const quotas = await server.call('PUT', `/api/v1/teams/${team.project_id}/quotas`, {
        token: server.adminToken,
        body: { maxCpus: 22, maxMemoryMiB: 419200, maxResources: { server: 10, stack: 3 } },
      });
      assert.equal(quotas.status, 200, quotas.text);
      await server_('vm1', { cpus: 4, memoryMiB: 2048, diskGiB: 20 }, 'active');
      await server_('vm2', { cpus: 2, memoryMiB: 1024, diskGiB: 10 }, 'stopped');
      const limits = (await server.concertim('GET', '/team/limits', { cloud_env: env })).body.limits;
      assert.equal(limits.maxTotalCores, 22);
      assert.equal(limits.maxTotalRAMSize, 419200);
      assert.equal(limits.maxTotalInstances, 10);
      assert.deepEqual([limits.totalCoresUsed, limits.totalRAMUsed, limits.totalInstancesUsed], [6, 3072, 2]);

      const native = (await server.call('GET', `/api/v1/teams/${team.project_id}/quotas`, { token })).body;
      assert.deepEqual(
        [native.usage.cpus, native.usage.memoryMiB],
        [limits.totalCoresUsed, limits.totalRAMUsed],
        'the same usage as the native quotas',
      );
    });

    test("GET /team/limits takes the team from cloud_env's project and the caller's rights; errors are Concertim's", async () => {
      const admin = await server.concertim('GET', '/team/limits', {
        cloud_env: { ...adminEnv, project_id: team.project_id },
      });
      assert.equal(admin.status, 201, 'a root user sends the admin credentials and the team project');
      const missing = await server.concertim('GET', '/team/limits', {});
      assert.deepEqual(
        [missing.status, missing.body.error, missing.body.message],
        [415, 'MissingRequiredArgument', "415 - Call to API is missing required argument(s) -> ['cloud_env']"],
      );
      const badEnv = await server.concertim('GET', '/team/limits', {
        cloud_env: { auth_url: 'x', user_id: env.user_id, password: env.password },
      });
      assert.deepEqual([badEnv.status, badEnv.body.error], [401, 'CloudAuthenticationError']);
      const wrongPassword = await server.concertim('GET', '/team/limits', { cloud_env: { ...env, password: 'nope' } });
      assert.deepEqual([wrongPassword.status, wrongPassword.body.error], [401, 'Unauthorized']);
      const otherTeam = (await server.concertim('POST', '/team', { cloud_env: adminEnv, name: 'not_lims' })).body
        .project_id;
      const foreign = await server.concertim('GET', '/team/limits', { cloud_env: { ...env, project_id: otherTeam } });
      assert.deepEqual([foreign.status, foreign.body.error], [404, 'NotFound']);
      assert.equal((await server.concertim('GET', '/team/limits', { cloud_env: env }, { token: 'nope' })).status, 401);
    });

    test('GET /team/<project_id>/quotas answers the team quotas in Nova words, by the JWT alone', async () => {
      const response = await server.concertim('GET', `/team/${team.project_id}/quotas`);
      assert.equal(response.status, 201, response.text);
      assert.deepEqual(response.body, {
        success: true,
        quotas: { id: team.project_id, cores: 22, ram: 419200, instances: 10, stacks: 3, volumes: 0, gigabytes: 0 },
      });
      const byName = await server.concertim('GET', '/team/lim_team/quotas');
      assert.equal(byName.body.quotas.id, team.project_id);
      const unknown = await server.concertim('GET', '/team/00000000-0000-4000-8000-000000000000/quotas');
      assert.deepEqual([unknown.status, unknown.body.success, unknown.body.error], [404, false, 'NotFound']);
      assert.equal(
        (await server.concertim('GET', `/team/${team.project_id}/quotas`, undefined, { token: 'nope' })).status,
        401,
      );
    });

    test('GET /statistics counts allocated vCPUs, disk and RAM (GiB) of live servers and how many run; totals are unknown', async () => {
      await server_('vm3', { cpus: 1, memoryMiB: 512, diskGiB: 5 }, 'failed');
      const response = await server.concertim('GET', '/statistics');
      assert.equal(response.status, 201, response.text);
      assert.deepEqual(response.body, {
        success: true,
        stats: {
          total_vcpus: null,
          used_vcpus: 6,
          total_disk_space: null,
          used_disk_space: 30,
          total_ram: null,
          used_ram: 3,
          running_vms: 1,
        },
      });
      assert.equal((await server.concertim('GET', '/statistics', undefined, { token: 'nope' })).status, 401);
    });

    test('the order routes are a 406 InvalidAPICall (no billing subscriptions), after the 415 for missing keys', async () => {
      const calls = [
        ['/create_order', { order: { billing_account_id: team.billing_acct_id } }, "['order', 'billing_account_id']"],
        ['/delete_order', { order: { order_id: 'some-order' } }, "['order', 'order_id']"],
        [
          '/add_order_tag',
          { tag: { order_id: 'some-order', tag_name: 'openstack_stack_id', tag_value: 'x' } },
          "['tag', 'order_id', 'tag_name', 'tag_value']",
        ],
      ] as const;
      for (const [path, body, missingKeys] of calls) {
        const refused = await server.concertim('POST', path, body);
        assert.equal(refused.status, 406, `${path}: ${refused.text}`);
        assert.equal(refused.body.success, false);
        assert.equal(refused.body.error, 'InvalidAPICall');
        assert.match(refused.body.message, /^406 - Invalid API call attempted -> orders are not supported/);
        const missing = await server.concertim('POST', path, {});
        assert.deepEqual(
          [missing.status, missing.body.message],
          [415, `415 - Call to API is missing required argument(s) -> ${missingKeys}`],
        );
        assert.equal((await server.concertim('POST', path, body, { token: 'nope' })).status, 401);
      }
    });
  });
}
