// Billing: account balances, the credit ledger, and invoices per calendar month.
import { Type } from '@sinclair/typebox';
import { getAccount, setPrepaid } from '../../billing/accounts.ts';
import { debitAccount, grantCredit, listLedger } from '../../billing/credit.ts';
import { getInvoice, listInvoices, voidInvoice } from '../../billing/invoices.ts';
import { BillingAccount, CountedPage, Invoice, LedgerEntry, Usage } from '../../billing/models.ts';
import { usageOf } from '../../billing/usage.ts';
import type { ResourceContext } from '../../resources/context.ts';
import { commonErrors, type ApiApp } from '../app-types.ts';
import { callerOf } from '../auth.ts';
import type { PageStart } from '../../store/billing.ts';
import { invalid } from '../../domain/errors.ts';
import { isUuid } from '../../lib/ids.ts';
import { decodeCursor, pageLimit, toPage } from '../pagination.ts';

const isMonth = (key: string) => /^\d{4}-\d{2}$/.test(key);

const account = Type.String({ minLength: 1, maxLength: 140, description: 'me, user:<id|username> or team:<id|name>' });
const AccountParams = Type.Object({ account });
const InvoiceParams = Type.Object({
  account,
  invoice: Type.String({
    minLength: 1,
    maxLength: 64,
    description: 'draft (the current month, computed now), an invoice id, or a month YYYY-MM',
  }),
});
const OffsetQuery = Type.Object({
  offset: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: Number.MAX_SAFE_INTEGER,
      description: 'skip this many items (instead of a cursor)',
    }),
  ),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000, description: 'page size' })),
  cursor: Type.Optional(Type.String({ maxLength: 512, description: 'the `next` value of the previous page' })),
});
const Month = (description: string) =>
  Type.Optional(Type.String({ pattern: '^[0-9]{4}-[0-9]{2}$', description: `${description}, YYYY-MM (UTC)` }));
const UsageQuery = Type.Object(
  {
    from: Month('the first month; default: eleven months before `to`'),
    to: Month('the last month; default: the running month'),
  },
  { additionalProperties: false },
);
const Posting = {
  amount: Type.Integer({ minimum: 1, description: 'minor units (cents)' }),
  reason: Type.String({ minLength: 1, maxLength: 1024 }),
  reference: Type.String({ minLength: 1, maxLength: 256, description: 'idempotency reference, unique per account' }),
};
const PostedEntry = { 200: LedgerEntry, 201: LedgerEntry, ...commonErrors };

export function billingRoutes(app: ApiApp, ctx: ResourceContext) {
  const tags = ['billing'];
  const base = '/billing/accounts/:account';

  /** Pages by each list's key, as every other list does; `offset` stays for the clients that send it. */
  const paged = async <T>(
    query: { offset?: number; limit?: number; cursor?: string },
    keyOf: (item: T) => string,
    validKey: (key: string) => boolean,
    fetch: (start: PageStart, limit: number) => Promise<{ items: T[]; total: number }>,
  ) => {
    const limit = pageLimit(query.limit, ctx.config.api);
    const after = decodeCursor<string>(query.cursor, 'string');
    if (after !== undefined && !validKey(after))
      throw invalid('cursor is not one this server issued', { field: 'cursor' });
    const { items, total } = await fetch(query.offset !== undefined ? { offset: query.offset } : { after }, limit + 1);
    return { ...toPage(items, limit, keyOf), total };
  };

  app.get(
    base,
    {
      schema: {
        tags,
        summary: 'A billing account and its balance',
        params: AccountParams,
        response: { 200: BillingAccount, ...commonErrors },
      },
    },
    async (request) => getAccount(ctx, callerOf(request), request.params.account),
  );

  app.patch(
    base,
    {
      schema: {
        tags,
        summary: 'Mark an account prepaid or not (platform admins)',
        params: AccountParams,
        body: Type.Object({ prepaid: Type.Boolean() }, { additionalProperties: false }),
        response: { 200: BillingAccount, ...commonErrors },
      },
    },
    async (request) => setPrepaid(ctx, callerOf(request), request.params.account, request.body.prepaid),
  );

  app.post(
    `${base}/grants`,
    {
      schema: {
        tags,
        summary: 'Grant credit (platform admins); the same reference again returns the first entry (200)',
        params: AccountParams,
        body: Type.Object(
          { ...Posting, type: Type.Optional(Type.Union([Type.Literal('grant'), Type.Literal('refund')])) },
          { additionalProperties: false },
        ),
        response: PostedEntry,
      },
    },
    async (request, reply) => {
      const posted = await grantCredit(ctx, callerOf(request), request.params.account, request.body);
      return reply.code(posted.replayed ? 200 : 201).send(posted.entry);
    },
  );

  app.post(
    `${base}/debits`,
    {
      schema: {
        tags,
        summary: 'Take credit (the owner or a platform admin); 409 when the balance is too low',
        params: AccountParams,
        body: Type.Object(
          { ...Posting, allowNegative: Type.Optional(Type.Boolean({ description: 'platform admins only' })) },
          { additionalProperties: false },
        ),
        response: PostedEntry,
      },
    },
    async (request, reply) => {
      const posted = await debitAccount(ctx, callerOf(request), request.params.account, request.body);
      return reply.code(posted.replayed ? 200 : 201).send(posted.entry);
    },
  );

  app.get(
    `${base}/ledger`,
    {
      schema: {
        tags,
        summary: 'The ledger, oldest first, with its total count',
        params: AccountParams,
        querystring: OffsetQuery,
        response: { 200: CountedPage(LedgerEntry), ...commonErrors },
      },
    },
    async (request) =>
      paged(
        request.query,
        (entry) => entry.id,
        isUuid,
        (start, limit) => listLedger(ctx, callerOf(request), request.params.account, start, limit),
      ),
  );

  app.get(
    `${base}/invoices`,
    {
      schema: {
        tags,
        summary: 'Finalized invoices, oldest month first, with the total count (months that ended are finalized first)',
        params: AccountParams,
        querystring: OffsetQuery,
        response: { 200: CountedPage(Invoice), ...commonErrors },
      },
    },
    async (request) =>
      paged(
        request.query,
        (invoice) => invoice.period,
        isMonth,
        (start, limit) => listInvoices(ctx, callerOf(request), request.params.account, start, limit),
      ),
  );

  app.get(
    `${base}/usage`,
    {
      schema: {
        tags,
        summary: 'Usage per month and kind (at most 120 months): what each invoice bills, summed for charts',
        description:
          'A month with a stored invoice answers its lines; another (the running month, or one not yet finalized) is metered now as its draft is. Nothing is written: no invoice is finalized by this read.',
        params: AccountParams,
        querystring: UsageQuery,
        response: { 200: Usage, ...commonErrors },
      },
    },
    async (request) => usageOf(ctx, callerOf(request), request.params.account, request.query),
  );

  app.get(
    `${base}/invoices/:invoice`,
    {
      schema: {
        tags,
        summary: 'An invoice: draft, an id, or a month (YYYY-MM); a month that ended is finalized on first read',
        params: InvoiceParams,
        response: { 200: Invoice, ...commonErrors },
      },
    },
    async (request) => getInvoice(ctx, callerOf(request), request.params.account, request.params.invoice),
  );

  app.post(
    `${base}/invoices/:invoice/void`,
    {
      schema: {
        tags,
        summary: 'Void a finalized invoice (platform admins); a prepaid charge is refunded',
        params: InvoiceParams,
        response: { 200: Invoice, ...commonErrors },
      },
    },
    async (request) => voidInvoice(ctx, callerOf(request), request.params.account, request.params.invoice),
  );
}
