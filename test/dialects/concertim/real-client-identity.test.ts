// Concertim's user, team, team role and key pair jobs replayed as the Rails app sends them (concertim-jobs.ts).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { backends } from '../../support/backends.ts';
import { adminPassword } from '../../support/server.ts';
import { startConcertim, type ConcertimServer } from './concertim-client.ts';
import { jobs, runJob, type CloudServiceConfig, type ConcertimTeam, type ConcertimUser } from './concertim-jobs.ts';

const config: CloudServiceConfig = {
  internalAuthUrl: 'http://keystone.host:35357/v3',
  adminUserId: 'admin',
  adminForeignPassword: adminPassword,
  adminProjectId: 'admin',
};

for (const backend of backends()) {
  describe(`Concertim's user and team jobs against cloudplane [${backend}]`, () => {
    let server: ConcertimServer;
    before(async () => {
      server = await startConcertim({}, {}, backend);
    });
    after(async () => {
      await server?.close();
    });

    /** UserSignupJob then CreateSingleUserTeamJob: the user, "<login>_team" (CreateTeamThenRoleJob) and its admin role. */
    async function signUp(user: ConcertimUser): Promise<ConcertimTeam> {
      const signedUp = await runJob(server, jobs.userSignup(config, user));
      assert.equal(signedUp.success, true, signedUp.response.text);
      // Result property :cloud_user_id, from: :user_cloud_id, validated present: else the job retries.
      assert.ok(signedUp.response.body.user_cloud_id, 'user_cloud_id is present');
      user.cloudUserId = signedUp.response.body.user_cloud_id;
      const team: ConcertimTeam = { name: `${user.login}_team` };
      const created = await runJob(server, jobs.createTeam(config, team));
      assert.equal(created.success, true, created.response.text);
      team.projectId = created.response.body.project_id;
      team.billingAcctId = created.response.body.billing_acct_id;
      assert.ok(team.projectId && team.billingAcctId, 'CreateTeamJob::Result needs project_id and billing_acct_id');
      const role = await runJob(server, jobs.createTeamRole(config, team, user, 'admin'));
      assert.equal(role.success, true, role.response.text);
      return team;
    }

    const canUseTheCloud = async (user: ConcertimUser, team: ConcertimTeam) =>
      (await runJob(server, jobs.getUserKeyPairs(config, user, team.projectId!))).success;

    test('signing up with a 6-character password and a login starting with _ gives a user, a team and its admin role', async () => {
      const ada: ConcertimUser = {
        login: '_ada-1',
        name: 'Ada L',
        email: 'ada@example.org',
        foreignPassword: 'sesame',
      };
      const team = await signUp(ada);
      const members = await server.call('GET', `/api/v1/teams/${team.projectId}/members`, { token: server.adminToken });
      const membership = members.body.items.find((m: any) => m.userId === ada.cloudUserId);
      assert.deepEqual([membership.username, membership.role], ['_ada-1', 'admin']);
      assert.equal(
        (await server.call('GET', `/api/v1/teams/${team.projectId}`, { token: server.adminToken })).body.name,
        '_ada-1_team',
      );
      assert.equal(await canUseTheCloud(ada, team), true, 'the 6-character password opens the cloud');
      const dotted = await runJob(
        server,
        jobs.userSignup(config, {
          login: '.ada.l-1',
          name: 'Ada L',
          email: 'ada.l@example.org',
          foreignPassword: 'sesame',
        }),
      );
      assert.equal(dotted.success, true, 'a login with periods, even a leading one, is accepted too');
      assert.equal(dotted.response.body.username, '.ada.l-1');
    });

    test("Concertim's limits are accepted at their edges: 7 and 128-character passwords, an 80-character login, a 56-character team name", async () => {
      for (const [login, password] of [
        ['seven', 'abcdefg'],
        ['l'.repeat(80), 'p'.repeat(128)],
      ]) {
        const outcome = await runJob(
          server,
          jobs.userSignup(config, {
            login,
            name: 'Edge',
            email: `${login.slice(0, 10)}@example.org`,
            foreignPassword: password,
          }),
        );
        assert.equal(outcome.success, true, `${login}: ${outcome.response.text}`);
      }
      for (const name of ['_leading underscore', 'x'.repeat(56), '-dash and space-']) {
        const outcome = await runJob(server, jobs.createTeam(config, { name }));
        assert.equal(outcome.success, true, `${name}: ${outcome.response.text}`);
      }
    });

    test('what Concertim itself refuses is a 400 the sign-up job retries: 5 or 129-character passwords, an 81-character login, / in a name', async () => {
      const refused = [
        jobs.userSignup(config, { login: 'five', name: 'F', email: 'five@example.org', foreignPassword: 'abcde' }),
        jobs.userSignup(config, {
          login: 'long-password',
          name: 'L',
          email: 'lp@example.org',
          foreignPassword: 'p'.repeat(129),
        }),
        jobs.userSignup(config, {
          login: 'l'.repeat(81),
          name: 'L',
          email: 'll@example.org',
          foreignPassword: 'password',
        }),
        jobs.userSignup(config, { login: 'a/b', name: 'S', email: 'slash@example.org', foreignPassword: 'password' }),
        jobs.createTeam(config, { name: 'x'.repeat(57) }),
        jobs.createTeam(config, { name: 'dots.are.not.allowed' }),
        jobs.createTeam(config, { name: '   ' }),
      ];
      for (const call of refused) {
        const outcome = await runJob(server, call);
        assert.equal(outcome.response.status, 400, JSON.stringify(call.body));
        assert.equal(outcome.success, false);
        assert.equal(outcome.response.body.error, 'APIServerDefError');
        assert.equal(outcome.faradayMessage, 'the server responded with status 400');
      }
    });

    test('UserUpdateJob: a new 6-character password (the pending one) and a new email take effect', async () => {
      const user: ConcertimUser = {
        login: 'changer',
        name: 'C',
        email: 'changer@example.org',
        foreignPassword: 'first-password',
      };
      const team = await signUp(user);
      user.pendingForeignPassword = 'short1';
      const changed = await runJob(server, jobs.userUpdate(config, user, { password: true }));
      assert.equal(changed.success, true, changed.response.text);
      // On success the job moves the pending password into foreign_password.
      assert.equal(await canUseTheCloud(user, team), false, 'the old password no longer works');
      user.foreignPassword = user.pendingForeignPassword;
      assert.equal(await canUseTheCloud(user, team), true);
      user.email = 'changed@example.org';
      assert.equal((await runJob(server, jobs.userUpdate(config, user, { email: true }))).success, true);
      assert.equal(
        (await server.call('GET', `/api/v1/users/${user.cloudUserId}`, { token: server.adminToken })).body.email,
        'changed@example.org',
      );
      user.pendingForeignPassword = 'five5';
      const tooShort = await runJob(server, jobs.userUpdate(config, user, { password: true }));
      assert.equal(tooShort.response.status, 400, 'a 5-character password stays pending: Concertim never allows one');
    });

    test('UserDeletionJob destroys on a 2xx; a second run is a 404 the job retries', async () => {
      const user: ConcertimUser = {
        login: 'leaver',
        name: 'L',
        email: 'leaver@example.org',
        foreignPassword: 'leaver-pw',
      };
      await runJob(server, jobs.userSignup(config, user)).then(
        (o) => (user.cloudUserId = o.response.body.user_cloud_id),
      );
      assert.equal((await runJob(server, jobs.userDeletion(config, user))).success, true);
      const again = await runJob(server, jobs.userDeletion(config, user));
      assert.equal(again.success, false);
      assert.equal(again.faradayMessage, 'the server responded with status 404');
    });

    test('team roles: create, update and delete succeed; deleting a role the user does not hold shows the JSON message', async () => {
      const owner: ConcertimUser = {
        login: 'owner',
        name: 'O',
        email: 'owner@example.org',
        foreignPassword: 'owner-pw',
      };
      const team = await signUp(owner);
      const member: ConcertimUser = {
        login: 'member',
        name: 'M',
        email: 'member@example.org',
        foreignPassword: 'member-pw',
      };
      member.cloudUserId = (await runJob(server, jobs.userSignup(config, member))).response.body.user_cloud_id;
      assert.equal((await runJob(server, jobs.createTeamRole(config, team, member, 'member'))).success, true);
      assert.equal((await runJob(server, jobs.updateTeamRole(config, team, member, 'member', 'admin'))).success, true);
      const wrong = await runJob(server, jobs.deleteTeamRole(config, team, member, 'member'));
      assert.equal(wrong.success, false);
      assert.equal(wrong.response.status, 404);
      assert.match(
        wrong.shownMessage,
        /not found/i,
        'DeleteTeamRoleJob shows "Unable to submit delete team role request: <message>"',
      );
      assert.notEqual(wrong.shownMessage, wrong.faradayMessage);
      assert.equal((await runJob(server, jobs.deleteTeamRole(config, team, member, 'admin'))).success, true);
    });

    test('DeleteTeamJob destroys on a 2xx, a retry of CreateTeamJob for a taken name is a 409', async () => {
      const team: ConcertimTeam = { name: 'short lived' };
      const created = await runJob(server, jobs.createTeam(config, team));
      Object.assign(team, {
        projectId: created.response.body.project_id,
        billingAcctId: created.response.body.billing_acct_id,
      });
      const retried = await runJob(server, jobs.createTeam(config, { name: 'short lived', projectId: team.projectId }));
      assert.equal(retried.response.status, 409);
      assert.equal((await runJob(server, jobs.deleteTeam(config, team))).success, true);
      assert.equal((await runJob(server, jobs.deleteTeam(config, team))).response.status, 404);
    });

    test('key pairs with the user credentials: create reads private_key and fingerprint, the list reads name and fingerprint, errors show the JSON message', async () => {
      const user: ConcertimUser = { login: 'keys', name: 'K', email: 'keys@example.org', foreignPassword: 'keys12' };
      const team = await signUp(user);
      const created = await runJob(
        server,
        jobs.createKeyPair(config, user, team.projectId!, { name: 'laptop', keyType: 'ssh', publicKey: null }),
      );
      assert.equal(created.success, true, created.response.text);
      const details = created.response.body.key_pair;
      assert.match(details.private_key, /BEGIN OPENSSH PRIVATE KEY/);
      assert.ok(details.fingerprint, 'KeyPair validates the fingerprint present');

      const duplicate = await runJob(
        server,
        jobs.createKeyPair(config, user, team.projectId!, { name: 'laptop', keyType: 'ssh', publicKey: null }),
      );
      assert.equal(duplicate.response.status, 409);
      assert.match(duplicate.shownMessage, /laptop/, 'CreateKeyPairJob shows the JSON message');

      const listed = await runJob(server, jobs.getUserKeyPairs(config, user, team.projectId!));
      assert.equal(listed.success, true);
      const keyPairs = listed.response.body.key_pairs.map((d: any) => ({
        name: d.name,
        fingerprint: d.fingerprint,
        keyType: d.type ?? 'ssh',
      }));
      assert.deepEqual(keyPairs, [{ name: 'laptop', fingerprint: details.fingerprint, keyType: 'ssh' }]);

      assert.equal((await runJob(server, jobs.deleteKeyPair(config, user, team.projectId!, 'laptop'))).success, true);
      const missing = await runJob(server, jobs.deleteKeyPair(config, user, team.projectId!, 'laptop'));
      assert.equal(missing.response.status, 404);
      assert.notEqual(missing.shownMessage, missing.faradayMessage, 'DeleteKeyPairJob shows the JSON message');
    });

    test('a wrong cloud password (a user whose pending password never synced) is a JSON 401 the key pair job shows', async () => {
      const user: ConcertimUser = {
        login: 'stale',
        name: 'S',
        email: 'stale@example.org',
        foreignPassword: 'stale-pw',
      };
      const team = await signUp(user);
      const outcome = await runJob(
        server,
        jobs.getUserKeyPairs(config, { ...user, foreignPassword: 'not-it' }, team.projectId!),
      );
      assert.equal(outcome.response.status, 401);
      assert.equal(outcome.response.body.error, 'Unauthorized');
    });
  });
}
