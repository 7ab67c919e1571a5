// Credit by billing account id: Killbill's credits and its account balance less the draft so far.
import { randomUUID } from 'node:crypto';
import { getAccount } from '../../../billing/accounts.ts';
import { grantCredit } from '../../../billing/credit.ts';
import { getInvoice } from '../../../billing/invoices.ts';
import { accountById, asBilling } from '../billing-accounts.ts';
import { concertimService } from '../cloud-env.ts';
import { apiServerDefError } from '../errors.ts';
import { major } from '../views.ts';
import { AddCreditsBody, Credits, GetCreditsBody, responses } from '../wire.ts';
import { tags, type ConcertimRoutes } from './common.ts';

/** An amount as Concertim sends it (a number, or the decimal its form took) in minor units; nothing or less is a 400. */
function minorUnitsOf(amount: number | string): number {
  const minor = Math.round(Number(amount) * 100);
  if (!Number.isSafeInteger(minor) || minor < 1)
    throw apiServerDefError(`amount must be at least 0.01, not ${JSON.stringify(amount)}`);
  return minor;
}

export const creditRoutes: ConcertimRoutes = (app, ctx) => {
  app.post(
    '/credits',
    {
      schema: {
        operationId: 'addCredits',
        tags,
        summary: 'Add credit to an account (major units, e.g. 12.5)',
        body: AddCreditsBody,
        response: responses(Credits),
      },
    },
    async (request, reply) => {
      const { billing_acct_id, amount } = request.body.credits;
      const minor = minorUnitsOf(amount);
      await asBilling(async () => {
        const { ref } = await accountById(ctx, billing_acct_id);
        const grant = { amount: minor, reason: 'Adding Credits via Concertim', reference: `concertim:${randomUUID()}` };
        await grantCredit(ctx, concertimService, ref, grant);
      });
      return reply.code(201).send({ success: true, credits: minor / 100 });
    },
  );

  app.post(
    '/get_credits',
    {
      schema: {
        operationId: 'getCredits',
        tags,
        summary: "An account's credit less this month's draft so far",
        body: GetCreditsBody,
        response: responses(Credits),
      },
    },
    async (request, reply) => {
      const credits = await asBilling(async () => {
        const { ref } = await accountById(ctx, request.body.credits.billing_account_id);
        const [account, draft] = await Promise.all([
          getAccount(ctx, concertimService, ref),
          getInvoice(ctx, concertimService, ref, 'draft'),
        ]);
        return major(account.balance - Math.max(draft.total, 0));
      });
      return reply.code(201).send({ success: true, credits });
    },
  );
};
