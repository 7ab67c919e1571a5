import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { backends } from '../../support/backends.ts';
import { adminEnv, startConcertim, type ConcertimServer } from './concertim-client.ts';

/** What Concertim's Invoice model needs (app/jobs/invoice_base_job.rb#parse_invoice). */
function assertParsable(invoice: any, accountId: string) {
  assert.equal(invoice.account_id, accountId);
  for (const key of ['amount', 'balance', 'credit_adj', 'refund_adj']) assert.equal(typeof invoice[key], 'number', key);
  assert.equal(typeof invoice.currency, 'string');
  assert.match(invoice.invoice_date, /^\d{4}-\d{2}-\d{2}$/);
  assert.match(invoice.target_date, /^\d{4}-\d{2}-\d{2}$/);
  assert.equal(typeof invoice.invoice_id, 'string');
  assert.ok(['DRAFT', 'COMMITTED', 'VOID'].includes(invoice.status));
  assert.ok(invoice.items !== null && typeof invoice.items === 'object');
  for (const key of ['audit_logs', 'tracking_ids']) assert.deepEqual(invoice[key], []);
}

for (const backend of backends()) {
  describe(`Concertim invoices and credits [${backend}]`, () => {
    let server: ConcertimServer;
    let team: { project_id: string; billing_acct_id: string };
    const unknownAccount = '00000000-0000-4000-8000-000000000000';

    before(async () => {
      server = await startConcertim({}, {}, backend);
      team = (await server.concertim('POST', '/team', { cloud_env: adminEnv, name: 'billed' })).body;
    });
    after(async () => {
      await server?.close();
    });

    test("POST /get_draft_invoice answers the current month in the Killbill shape for today's target_date", async () => {
      const response = await server.concertim('POST', '/get_draft_invoice', {
        invoice: { billing_acct_id: team.billing_acct_id, target_date: new Date().toISOString().slice(0, 10) },
      });
      assert.equal(response.status, 201);
      assert.equal(response.body.success, true);
      const draft = response.body.draft_invoice;
      assertParsable(draft, team.billing_acct_id);
      assert.equal(draft.status, 'DRAFT');
      assert.equal(draft.invoice_number, null);
      assert.equal(draft.invoice_id, new Date().toISOString().slice(0, 7), 'the draft is named by its month');
      assert.equal(draft.amount, 0);
      assert.deepEqual(draft.items, {});
    });

    test("POST /get_draft_invoice honours target_date: a past month's invoice, the draft for a later date, 404 before the account, 400 for no date", async () => {
      const aged = (await server.concertim('POST', '/team', { cloud_env: adminEnv, name: 'aged' })).body;
      const now = new Date();
      const twoMonthsAgo = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 2, 10));
      await server.app.ctx.store.db
        .updateTable('teams')
        .set({ created_at: twoMonthsAgo.toISOString() })
        .where('id', '=', aged.project_id)
        .execute();
      const draftAt = (target_date: string) =>
        server.concertim('POST', '/get_draft_invoice', {
          invoice: { billing_acct_id: aged.billing_acct_id, target_date },
        });
      const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 15)).toISOString().slice(0, 10);
      const past = await draftAt(lastMonth);
      assert.equal(past.status, 201, past.text);
      assertParsable(past.body.draft_invoice, aged.billing_acct_id);
      assert.equal(past.body.draft_invoice.invoice_number, lastMonth.slice(0, 7));
      assert.equal(past.body.draft_invoice.status, 'COMMITTED', 'an ended month is finalized');
      const nextYear = new Date(Date.UTC(now.getUTCFullYear() + 1, 0, 1)).toISOString().slice(0, 10);
      const later = await draftAt(nextYear);
      assert.equal(later.status, 201, later.text);
      assert.equal(later.body.draft_invoice.status, 'DRAFT');
      assert.equal(later.body.draft_invoice.invoice_id, now.toISOString().slice(0, 7));
      const before = await draftAt('2020-01-01');
      assert.equal(before.status, 404, before.text);
      assert.equal(before.body.error, 'BillingAPIFailure');
      for (const notADate of ['2026-02-30', 'yesterday', '2026-1-5']) {
        const bad = await draftAt(notADate);
        assert.equal(bad.status, 400, `${notADate}: ${bad.text}`);
        assert.match(bad.body.message, /target_date must be a date: YYYY-MM-DD/);
      }
    });

    test('POST /get_account_invoice finds the draft by its month; unknown or foreign invoices are a 404 BillingAPIFailure', async () => {
      const month = new Date().toISOString().slice(0, 7);
      const found = await server.concertim('POST', '/get_account_invoice', {
        invoice: { billing_acct_id: team.billing_acct_id, invoice_id: month },
      });
      assert.equal(found.status, 201);
      assertParsable(found.body.invoice, team.billing_acct_id);
      assert.equal(found.body.invoice.status, 'DRAFT');
      const unknown = await server.concertim('POST', '/get_account_invoice', {
        invoice: { billing_acct_id: team.billing_acct_id, invoice_id: unknownAccount },
      });
      assert.equal(unknown.status, 404);
      assert.equal(unknown.body.error, 'BillingAPIFailure');
      assert.match(unknown.body.message, /^Billing API Call failed -> /);
      const missing = await server.concertim('POST', '/get_account_invoice', {
        invoice: { billing_acct_id: team.billing_acct_id },
      });
      assert.equal(missing.body.message, "415 - Call to API is missing required argument(s) -> ['invoice_id']");
    });

    test('POST /list_paginated_invoices pages finalized months with the total as a string', async () => {
      const response = await server.concertim('POST', '/list_paginated_invoices', {
        invoices: { billing_acct_id: team.billing_acct_id, offset: 0, limit: 10 },
      });
      assert.equal(response.status, 201);
      assert.deepEqual(response.body, { success: true, total_invoices: '0', invoices: [] });
      const defaults = await server.concertim('POST', '/list_paginated_invoices', {
        invoices: { billing_acct_id: team.billing_acct_id, offset: '0', limit: '5' },
      });
      assert.equal(defaults.status, 201);
      const missing = await server.concertim('POST', '/list_paginated_invoices', {});
      assert.equal(
        missing.body.message,
        "415 - Call to API is missing required argument(s) -> ['invoices', 'billing_acct_id']",
      );
      const bad = await server.concertim('POST', '/list_paginated_invoices', {
        invoices: { billing_acct_id: team.billing_acct_id, limit: 'ten' },
      });
      assert.equal(bad.status, 400);
    });

    test('an unknown billing account is a 404 BillingAPIFailure on every invoice route', async () => {
      for (const [path, body] of [
        ['/get_draft_invoice', { invoice: { billing_acct_id: unknownAccount } }],
        ['/list_paginated_invoices', { invoices: { billing_acct_id: 'not-an-id' } }],
        ['/get_account_invoice', { invoice: { billing_acct_id: unknownAccount, invoice_id: 'x' } }],
      ] as const) {
        const response = await server.concertim('POST', path, body);
        assert.equal(response.status, 404, path);
        assert.equal(response.body.error, 'BillingAPIFailure');
      }
    });

    test('POST /credits adds credit that the native ledger and POST /get_credits show', async () => {
      const added = await server.concertim('POST', '/credits', {
        credits: { billing_acct_id: team.billing_acct_id, amount: 12.5 },
      });
      assert.equal(added.status, 201);
      assert.deepEqual(added.body, { success: true, credits: 12.5 });
      const account = await server.call('GET', `/api/v1/billing/accounts/team:${team.project_id}`, {
        token: server.adminToken,
      });
      assert.equal(account.body.balance, 1250);
      const credits = await server.concertim('POST', '/get_credits', {
        credits: { billing_account_id: team.billing_acct_id },
      });
      assert.deepEqual(credits.body, { success: true, credits: 12.5 });
      assert.equal(
        (await server.concertim('POST', '/credits', { credits: { billing_acct_id: team.billing_acct_id, amount: 0 } }))
          .status,
        400,
      );
    });

    test("a deleted team's account stays readable on the account routes: draft, invoices, credits", async () => {
      const doomed = (await server.concertim('POST', '/team', { cloud_env: adminEnv, name: 'doomed' })).body;
      assert.equal(
        (
          await server.concertim('POST', '/credits', {
            credits: { billing_acct_id: doomed.billing_acct_id, amount: 3 },
          })
        ).status,
        201,
      );
      const deleted = await server.concertim('DELETE', '/team', {
        cloud_env: adminEnv,
        team_info: { project_id: doomed.project_id, billing_acct_id: doomed.billing_acct_id },
      });
      assert.equal(deleted.status, 201, deleted.text);
      assert.equal(
        (await server.call('GET', `/api/v1/teams/${doomed.project_id}`, { token: server.adminToken })).status,
        404,
        'the empty team is gone',
      );
      const draft = await server.concertim('POST', '/get_draft_invoice', {
        invoice: { billing_acct_id: doomed.billing_acct_id },
      });
      assert.equal(draft.status, 201, draft.text);
      assertParsable(draft.body.draft_invoice, doomed.billing_acct_id);
      const month = new Date().toISOString().slice(0, 7);
      assert.equal(
        (
          await server.concertim('POST', '/get_account_invoice', {
            invoice: { billing_acct_id: doomed.billing_acct_id, invoice_id: month },
          })
        ).status,
        201,
      );
      const listed = await server.concertim('POST', '/list_paginated_invoices', {
        invoices: { billing_acct_id: doomed.billing_acct_id },
      });
      assert.deepEqual([listed.status, listed.body.total_invoices], [201, '0']);
      assert.deepEqual(
        (await server.concertim('POST', '/get_credits', { credits: { billing_account_id: doomed.billing_acct_id } }))
          .body,
        { success: true, credits: 3 },
      );
    });

    test('invoice routes need the JWT but no cloud_env', async () => {
      const response = await server.concertim(
        'POST',
        '/get_draft_invoice',
        { invoice: { billing_acct_id: team.billing_acct_id } },
        { token: 'nope' },
      );
      assert.equal(response.status, 401);
    });
  });
}

for (const backend of backends()) {
  describe(`Concertim invoice paging [${backend}]`, () => {
    let server: ConcertimServer;
    let account = '';
    before(async () => {
      server = await startConcertim({}, {}, backend);
      account = (await server.concertim('POST', '/team', { cloud_env: adminEnv, name: 'paged' })).body.billing_acct_id;
    });
    after(async () => {
      await server?.close();
    });
    const list = (invoices: Record<string, unknown>) =>
      server.concertim('POST', '/list_paginated_invoices', { invoices: { billing_acct_id: account, ...invoices } });

    test('an offset or limit beyond 2^53-1 is an APIServerDefError 400, never a database error', async () => {
      for (const invoices of [
        { offset: '99999999999999999999' },
        { offset: 1e20 },
        { limit: '99999999999999999999' },
        { offset: '9007199254740992' },
      ]) {
        const response = await list(invoices);
        assert.equal(response.status, 400, `${JSON.stringify(invoices)}: ${response.text}`);
        assert.equal(response.body.error, 'APIServerDefError');
      }
      const far = await list({ offset: '9007199254740991', limit: '9007199254740991' });
      assert.deepEqual([far.status, far.body.invoices], [201, []]);
    });
  });
}
