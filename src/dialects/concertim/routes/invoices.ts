// Invoices by billing account id (Killbill's role): no cloud_env, the JWT alone authorizes, as in the original.
import { resolveAccount } from '../../../billing/accounts.ts';
import { getInvoice, listInvoices } from '../../../billing/invoices.ts';
import { monthOf } from '../../../billing/periods.ts';
import type { ServiceContext } from '../../../domain/context.ts';
import { notFound } from '../../../domain/errors.ts';
import { isUuid } from '../../../lib/ids.ts';
import { accountById, asBilling } from '../billing-accounts.ts';
import { concertimService } from '../cloud-env.ts';
import { apiServerDefError } from '../errors.ts';
import { invoiceItems, killbillInvoice } from '../views.ts';
import {
  AccountInvoice,
  AccountInvoiceBody,
  DraftInvoice,
  DraftInvoiceBody,
  InvoicePage,
  ListInvoicesBody,
  responses,
} from '../wire.ts';
import { tags, type ConcertimRoutes } from './common.ts';

/** A count as it arrives (a number or digits of any length) as one the database takes; else Concertim's 400. */
function countOf(value: number | string, key: string): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < 0)
    throw apiServerDefError(`${key} must be a whole number from 0 to ${Number.MAX_SAFE_INTEGER}`);
  return number;
}

const isMonth = /^\d{4}-(0[1-9]|1[0-2])$/;

/**
 * Killbill's get_invoice reads; it never makes an invoice. An id is looked up; a month is one of the owner's
 * life, up to the current one (its draft); anything else is an invoice that does not exist, and nothing is written.
 */
async function requireKnownInvoice(ctx: ServiceContext, ref: string, invoiceId: string) {
  if (isUuid(invoiceId)) return;
  const { owner } = await resolveAccount(ctx, concertimService, ref);
  const first = monthOf(new Date(owner.createdAt)).name;
  const last = monthOf(owner.removedAt ? new Date(owner.removedAt) : new Date()).name;
  // YYYY-MM names compare as strings.
  if (!isMonth.test(invoiceId) || invoiceId < first || invoiceId > last) throw notFound('invoice', invoiceId);
}

/**
 * Killbill's dry run up to `target_date`: the invoice of the month the date falls in, the draft for the
 * current month or later (the original's dry run targeted the end of the current month); no date: the draft.
 */
function invoiceAtTargetDate(targetDate: string | undefined): string {
  if (targetDate === undefined) return 'draft';
  const parsed = new Date(`${targetDate}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== targetDate)
    throw apiServerDefError('target_date must be a date: YYYY-MM-DD');
  const month = monthOf(parsed).name;
  // YYYY-MM names compare as strings.
  return month < monthOf(new Date()).name ? month : 'draft';
}

export const invoiceRoutes: ConcertimRoutes = (app, ctx) => {
  /** One invoice (`draft`, an id or a month) with its items keyed by id. */
  const singleInvoice = (accountId: string, invoiceRef: string) =>
    asBilling(async () => {
      const { account, ref } = await accountById(ctx, accountId);
      if (invoiceRef !== 'draft') await requireKnownInvoice(ctx, ref, invoiceRef);
      const invoice = await getInvoice(ctx, concertimService, ref, invoiceRef);
      return killbillInvoice(invoice, account, await invoiceItems(ctx, invoice, account));
    });

  app.post(
    '/get_draft_invoice',
    {
      schema: {
        tags,
        summary: "The invoice of target_date's month: the current month's so far, or a past month's",
        body: DraftInvoiceBody,
        response: responses(DraftInvoice),
      },
    },
    async (request, reply) => {
      const { billing_acct_id, target_date } = request.body.invoice;
      const draft = await singleInvoice(billing_acct_id, invoiceAtTargetDate(target_date));
      return reply.code(201).send({ success: true, draft_invoice: draft });
    },
  );

  app.post(
    '/list_paginated_invoices',
    {
      schema: {
        operationId: 'listPaginatedInvoices',
        tags,
        summary: 'Finalized invoices, oldest first, with the total count (a string, as Killbill gave it)',
        body: ListInvoicesBody,
        response: responses(InvoicePage),
      },
    },
    async (request, reply) => {
      const { billing_acct_id } = request.body.invoices;
      const offset = countOf(request.body.invoices.offset ?? 0, 'offset');
      const limit = countOf(request.body.invoices.limit ?? 100, 'limit');
      if (limit < 1) throw apiServerDefError('limit must be at least 1');
      const page = await asBilling(async () => {
        const { account, ref } = await accountById(ctx, billing_acct_id);
        const { items, total } = await listInvoices(ctx, concertimService, ref, { offset }, limit);
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
        body: AccountInvoiceBody,
        response: responses(AccountInvoice),
      },
    },
    async (request, reply) => {
      const found = await singleInvoice(request.body.invoice.billing_acct_id, request.body.invoice.invoice_id);
      return reply.code(201).send({ success: true, invoice: found });
    },
  );
};
