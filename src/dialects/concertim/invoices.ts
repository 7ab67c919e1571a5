// Invoices and credit by billing account id (Killbill's role): no cloud_env, the JWT alone authorizes, as in the original.
import { randomUUID } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { getAccount } from '../../billing/accounts.ts';
import { grantCredit } from '../../billing/credit.ts';
import { getInvoice, listInvoices } from '../../billing/invoices.ts';
import { notFound } from '../../domain/errors.ts';
import type { ResourceContext } from '../../resources/context.ts';
import { findAccountById } from '../../store/billing.ts';
import { isUuid } from '../../store/ids.ts';
import { concertimService } from './cloud-env.ts';
import { apiServerDefError, billingApiFailure } from './errors.ts';
import { invoiceItems, killbillInvoice, major } from './killbill-invoice.ts';
import { responses, tags } from './pipeline.ts';
import type { ConcertimApp } from './scope.ts';

const billingAcctId = Type.String({ description: 'the billing_acct_id /team returned' });
const count = Type.Union([Type.Integer({ minimum: 0 }), Type.String({ pattern: '^[0-9]+$' })], { description: 'a whole number up to 2^53-1, or a string of digits' });

/** A count as it arrives (a number or digits of any length) as one the database takes; else Concertim's 400. */
function countOf(value: number | string, key: string): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < 0) throw apiServerDefError(`${key} must be a whole number from 0 to ${Number.MAX_SAFE_INTEGER}`);
  return number;
}
const KillbillInvoice = Type.Record(Type.String(), Type.Unknown(), { description: 'a Killbill invoice: account_id, amount, balance, credit_adj, currency, invoice_date, invoice_id, invoice_number, items, status, ...' });

/** The account and the reference the billing services take for it; an unknown id is Killbill's 404. */
async function accountById(ctx: ResourceContext, id: string) {
  const account = isUuid(id) ? await findAccountById(ctx.store.db, id) : undefined;
  if (!account) throw notFound('billing account', id);
  return { account, ref: `${account.owner_type}:${account.owner_id}` };
}

export function invoiceRoutes(app: ConcertimApp, ctx: ResourceContext) {
  /** Every failure of these routes is a BillingAPIFailure, as every Killbill failure was. */
  const billing = <T>(work: () => Promise<T>) => work().catch((error) => Promise.reject(billingApiFailure(error)));

  /** One invoice (`draft`, an id or a month) with its items keyed by id. */
  const singleInvoice = (accountId: string, invoiceRef: string) =>
    billing(async () => {
      const { account, ref } = await accountById(ctx, accountId);
      const invoice = await getInvoice(ctx, concertimService, ref, invoiceRef);
      return killbillInvoice(invoice, account, await invoiceItems(ctx, invoice, account));
    });

  app.post(
    '/get_draft_invoice',
    {
      schema: {
        tags,
        summary: "The current month's invoice so far",
        body: Type.Object({ invoice: Type.Object({ billing_acct_id: billingAcctId, target_date: Type.Optional(Type.String({ description: 'ignored, as it was' })) }) }),
        response: responses(Type.Object({ success: Type.Boolean(), draft_invoice: KillbillInvoice })),
      },
    },
    async (request, reply) => {
      const draft = await singleInvoice(request.body.invoice.billing_acct_id, 'draft');
      return reply.code(201).send({ success: true, draft_invoice: draft });
    },
  );

  app.post(
    '/list_paginated_invoices',
    {
      schema: {
        tags,
        summary: 'Finalized invoices, oldest first, with the total count (a string, as Killbill gave it)',
        body: Type.Object({ invoices: Type.Object({ billing_acct_id: billingAcctId, offset: Type.Optional(count), limit: Type.Optional(count) }) }),
        response: responses(Type.Object({ success: Type.Boolean(), total_invoices: Type.String(), invoices: Type.Array(KillbillInvoice) })),
      },
    },
    async (request, reply) => {
      const { billing_acct_id } = request.body.invoices;
      const offset = countOf(request.body.invoices.offset ?? 0, 'offset');
      const limit = countOf(request.body.invoices.limit ?? 100, 'limit');
      if (limit < 1) throw apiServerDefError('limit must be at least 1');
      const page = await billing(async () => {
        const { account, ref } = await accountById(ctx, billing_acct_id);
        const { items, total } = await listInvoices(ctx, concertimService, ref, offset, limit);
        return { total_invoices: String(total), invoices: items.map((invoice) => killbillInvoice(invoice, account)) };
      });
      return reply.code(201).send({ success: true, ...page });
    },
  );

  app.post(
    '/get_account_invoice',
    {
      schema: {
        tags,
        summary: "One of an account's invoices: its id, or a month (YYYY-MM; the current one is the draft)",
        body: Type.Object({ invoice: Type.Object({ billing_acct_id: billingAcctId, invoice_id: Type.String() }) }),
        response: responses(Type.Object({ success: Type.Boolean(), invoice: KillbillInvoice })),
      },
    },
    async (request, reply) => {
      const found = await singleInvoice(request.body.invoice.billing_acct_id, request.body.invoice.invoice_id);
      return reply.code(201).send({ success: true, invoice: found });
    },
  );

  app.post(
    '/credits',
    {
      schema: {
        tags,
        summary: 'Add credit to an account (major units, e.g. 12.5)',
        body: Type.Object({ credits: Type.Object({ billing_acct_id: billingAcctId, amount: Type.Number({ exclusiveMinimum: 0 }) }) }),
        response: responses(Type.Object({ success: Type.Boolean(), credits: Type.Number() })),
      },
    },
    async (request, reply) => {
      const { billing_acct_id, amount } = request.body.credits;
      await billing(async () => {
        const { ref } = await accountById(ctx, billing_acct_id);
        const grant = { amount: Math.round(amount * 100), reason: 'Adding Credits via Concertim', reference: `concertim:${randomUUID()}` };
        await grantCredit(ctx, concertimService, ref, grant);
      });
      return reply.code(201).send({ success: true, credits: amount });
    },
  );

  app.post(
    '/get_credits',
    {
      schema: {
        tags,
        summary: "An account's credit less this month's draft so far",
        body: Type.Object({ credits: Type.Object({ billing_account_id: Type.String({ description: 'billing_account_id here, as the original named it' }) }) }),
        response: responses(Type.Object({ success: Type.Boolean(), credits: Type.Number() })),
      },
    },
    async (request, reply) => {
      const credits = await billing(async () => {
        const { ref } = await accountById(ctx, request.body.credits.billing_account_id);
        const [account, draft] = await Promise.all([getAccount(ctx, concertimService, ref), getInvoice(ctx, concertimService, ref, 'draft')]);
        return major(account.balance - Math.max(draft.total, 0));
      });
      return reply.code(201).send({ success: true, credits });
    },
  );
}
