// Billing accounts by the id Concertim keeps (billing_acct_id), as Killbill looked them up.
import { notFound } from '../../domain/errors.ts';
import type { ServiceContext } from '../../domain/context.ts';
import { findAccountById } from '../../store/billing.ts';
import { isUuid } from '../../lib/ids.ts';
import { billingApiFailure } from './errors.ts';

/** The account and the reference the billing services take for it; an unknown id is Killbill's 404. */
export async function accountById(ctx: ServiceContext, id: string) {
  const account = isUuid(id) ? await findAccountById(ctx.store.db, id) : undefined;
  if (!account) throw notFound('billing account', id);
  return { account, ref: `${account.owner_type}:${account.owner_id}` };
}

/** Every failure of the billing routes is a BillingAPIFailure, as every Killbill failure was. */
export const asBilling = <T>(work: () => Promise<T>) =>
  work().catch((error) => Promise.reject(billingApiFailure(error)));
