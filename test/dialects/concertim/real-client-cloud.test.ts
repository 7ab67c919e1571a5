// Concertim's status, limits, statistics, invoice and credit jobs replayed as the Rails app sends them (concertim-jobs.ts).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { backends } from '../../support/backends.ts';
import { adminPassword } from '../../support/server.ts';
import { startConcertim, type ConcertimServer } from './concertim-client.ts';
import {
  formatStatistics,
  jobs,
  parseInvoice,
  runJob,
  type CloudServiceConfig,
  type ConcertimTeam,
  type ConcertimUser,
} from './concertim-jobs.ts';

const config: CloudServiceConfig = {
  internalAuthUrl: 'http://keystone.host:35357/v3',
  adminUserId: 'admin',
  adminForeignPassword: adminPassword,
  adminProjectId: 'admin',
};
const root: ConcertimUser = {
  login: 'admin',
  name: 'Root',
  email: 'root@example.org',
  foreignPassword: '',
  root: true,
};

for (const backend of backends()) {
  describe(`Concertim's cloud and billing jobs against cloudplane [${backend}]`, () => {
    let server: ConcertimServer;
    const user: ConcertimUser = {
      login: 'grace',
      name: 'Grace',
      email: 'grace@example.org',
      foreignPassword: 'gr4ce!',
    };
    const team: ConcertimTeam = { name: 'grace_team' };
    let token = '';

    /** A server its agent reports active (external driver), as a Concertim device with its openstack_instance_id. */
    async function device(name: string, spec: Record<string, unknown>) {
      const created = await server.call('POST', `/api/v1/teams/${team.projectId}/resources`, {
        token,
        body: { kind: 'server', name, spec },
      });
      assert.equal(created.status, 201, created.text);
      const id = created.body.metadata.id as string;
      const reported = await server.call('POST', `/api/v1/teams/${team.projectId}/resources/${id}/status`, {
        token,
        body: { state: 'active' },
      });
      assert.equal(reported.status, 200, reported.text);
      return id;
    }

    const invoiceRows = async () =>
      (await server.app.ctx.store.db.selectFrom('invoices').select('id').execute()).length;

    before(async () => {
      server = await startConcertim({}, { engine: { drivers: { server: 'external' } } }, backend);
      user.cloudUserId = (await runJob(server, jobs.userSignup(config, user))).response.body.user_cloud_id;
      const created = (await runJob(server, jobs.createTeam(config, team))).response.body;
      Object.assign(team, { projectId: created.project_id, billingAcctId: created.billing_acct_id });
      assert.equal((await runJob(server, jobs.createTeamRole(config, team, user, 'admin'))).success, true);
      token = (
        await server.call('POST', '/api/v1/auth/login', { body: { username: 'grace', password: user.foreignPassword } })
      ).body.token.token;
    });
    after(async () => {
      await server?.close();
    });

    test('RequestStatusChangeJob: a member turns an instance off with their credentials, a root user with the admin ones', async () => {
      const id = await device('vm1', { command: ['sleep', '300'], cpus: 2 });
      const off = await runJob(server, jobs.requestStatusChange(config, user, team.projectId!, 'instances', id, 'off'));
      assert.equal(off.success, true, off.response.text);
      const byRoot = await runJob(
        server,
        jobs.requestStatusChange(config, root, team.projectId!, 'instances', id, 'destroy'),
      );
      assert.equal(byRoot.success, true, byRoot.response.text);
    });

    test('RequestStatusChangeJob failures show "Unable to submit request: <message>" from the JSON body', async () => {
      const unknown = await runJob(
        server,
        jobs.requestStatusChange(
          config,
          user,
          team.projectId!,
          'instances',
          '00000000-0000-4000-8000-000000000000',
          'off',
        ),
      );
      assert.equal(unknown.response.status, 404);
      assert.match(unknown.shownMessage, /not found/i);
      const volume = await runJob(
        server,
        jobs.requestStatusChange(
          config,
          user,
          team.projectId!,
          'volumes',
          '00000000-0000-4000-8000-000000000000',
          'destroy',
        ),
      );
      assert.equal(volume.response.status, 406);
      assert.match(volume.shownMessage, /^406 - Invalid API call attempted -> /);
    });

    test('GetTeamLimitsJob (a GET with a JSON body) reads limits, for a member and for a root user', async () => {
      await device('vm2', { command: ['sleep', '300'], cpus: 3, memoryMiB: 512 });
      for (const who of [user, root]) {
        const outcome = await runJob(server, jobs.getTeamLimits(config, team, who));
        assert.equal(outcome.success, true, outcome.response.text);
        const limits = outcome.response.body.limits;
        assert.equal(limits.maxTotalCores, -1);
        assert.ok(limits.totalCoresUsed >= 3, JSON.stringify(limits));
        assert.ok(limits.totalInstancesUsed >= 1);
      }
    });

    test('GetCloudStatsJob (a GET without a body or Content-Type) reads stats the page can print', async () => {
      const outcome = await runJob(server, jobs.getCloudStats());
      assert.equal(outcome.success, true, outcome.response.text);
      const printed = formatStatistics(outcome.response.body.stats);
      assert.match(printed['Allocated / Total VCPUs'], /^\d+ \/ $/);
      assert.match(printed['Allocated / Total RAM'], /^[\d.]+ \/ GB$/);
      assert.match(printed['Virtual Machines'], /^\d+$/);
    });

    test('GetDraftInvoiceJob parses the draft as an Invoice of the team', async () => {
      const outcome = await runJob(server, jobs.getDraftInvoice(team));
      assert.equal(outcome.response.status, 201, 'not 204, which the job reads as "Nothing to generate"');
      const { errors } = parseInvoice(outcome.response.body.draft_invoice, [team.billingAcctId!]);
      assert.deepEqual(errors, []);
      assert.equal(outcome.response.body.draft_invoice.status, 'DRAFT');
    });

    test('GetInvoicesJob reads total_invoices as an Integer and every listed invoice parses', async () => {
      const outcome = await runJob(server, jobs.getInvoices(team, 0, 20));
      assert.equal(outcome.success, true, outcome.response.text);
      const count = Number.parseInt(outcome.response.body.total_invoices, 10);
      assert.ok(Number.isInteger(count) && count >= 0 && String(count) === outcome.response.body.total_invoices);
      assert.ok(Array.isArray(outcome.response.body.invoices));
      for (const invoice of outcome.response.body.invoices)
        assert.deepEqual(parseInvoice(invoice, [team.billingAcctId!]).errors, []);
    });

    test('GetInvoiceJob for the draft month answers the draft; its invoice_id reads back', async () => {
      const draft = (await runJob(server, jobs.getDraftInvoice(team))).response.body.draft_invoice;
      const outcome = await runJob(server, jobs.getInvoice(team, draft.invoice_id));
      assert.equal(outcome.success, true, outcome.response.text);
      assert.deepEqual(parseInvoice(outcome.response.body.invoice, [team.billingAcctId!]).errors, []);
    });

    test('GetInvoiceJob for an invoice that does not exist is a 404, and no invoice is made by asking', async () => {
      const before = await invoiceRows();
      for (const invoiceId of [
        '00000000-0000-4000-8000-000000000000',
        '1999-01',
        '2001-12',
        '2999-01',
        '2024-13',
        '2024-00',
        'not-an-invoice',
        '',
      ]) {
        const outcome = await runJob(server, jobs.getInvoice(team, invoiceId));
        assert.equal(outcome.response.status, 404, `${invoiceId}: ${outcome.response.text}`);
        assert.equal(outcome.response.body.error, 'BillingAPIFailure');
        assert.equal(outcome.faradayMessage, 'the server responded with status 404', 'what the invoice page flashes');
      }
      assert.equal(await invoiceRows(), before);
    });

    test("CreateCreditDepositJob: the form's amount (a string) and a number both add credit; zero is refused", async () => {
      for (const amount of ['12.50', '3', 2]) {
        const outcome = await runJob(server, jobs.createCreditDeposit(team, amount));
        assert.equal(outcome.success, true, `${amount}: ${outcome.response.text}`);
      }
      const account = await server.call('GET', `/api/v1/billing/accounts/team:${team.projectId}`, {
        token: server.adminToken,
      });
      assert.equal(account.body.balance, 1750);
      for (const amount of ['0', '0.00', 'ten', '-5', 0]) {
        const refused = await runJob(server, jobs.createCreditDeposit(team, amount));
        assert.equal(refused.response.status, 400, `${amount}: ${refused.response.text}`);
      }
    });
  });
}
