// The billing sweep, run by processes with engine workers: ended months are finalized without waiting
// for a read, and (billing.stopAtZeroCredit) prepaid teams whose running month outgrew their credit stop.
import type { FastifyBaseLogger } from 'fastify';
import { commitChange } from '../domain/commit.ts';
import type { ResourceContext } from '../resources/context.ts';
import * as store from '../store/billing.ts';
import { hasResourceInState } from '../store/resources.ts';
import { findTeamById } from '../store/teams.ts';
import { ensureAccount, removedTeamOwner, type AccountOwner } from './accounts.ts';
import { draftTotal, finalizePastMonths } from './invoices.ts';
import { stopWhenDraftExhaustsCredit } from './zero-credit.ts';

type Log = Pick<FastifyBaseLogger, 'warn'>;

/** A live team, or a removed one through its removal event; undefined while neither is found. */
async function teamOwner(ctx: ResourceContext, teamId: string): Promise<AccountOwner | undefined> {
  const team = await findTeamById(ctx.store.db, teamId);
  if (team) return { type: 'team', id: team.id, name: team.name, createdAt: team.created_at };
  return removedTeamOwner(ctx, teamId);
}

/** The same months, through the same finalization, as listing the team's invoices would. */
async function finalizeTeam(ctx: ResourceContext, teamId: string, now: Date) {
  const owner = await teamOwner(ctx, teamId);
  if (!owner) return;
  const account = await ensureAccount(ctx, owner);
  await finalizePastMonths(ctx, { account, owner, manages: false }, now);
}

/** Metering is read outside the transaction; the balance and the stops are decided holding the account. */
async function checkPrepaidTeam(ctx: ResourceContext, account: store.BillingAccountRow, now: Date) {
  if (!(await hasResourceInState(ctx.store.db, account.owner_id, 'active'))) return;
  const draft = await draftTotal(ctx, account.owner_id, now);
  if ((await store.ledgerBalance(ctx.store.db, account.id)) - draft > 0) return;
  await commitChange(ctx, async (db) => {
    const locked = await store.lockAccount(db, account.id);
    if (locked) await stopWhenDraftExhaustsCredit(ctx, db, locked, await store.ledgerBalance(db, account.id), draft);
  });
}

/** One pass; a failure on one account is logged and the others still run. Safe to run in many processes at once. */
export async function sweepBilling(ctx: ResourceContext, log: Log, now = new Date()) {
  for (const teamId of await store.listTeamsWithUsage(ctx.store.db)) {
    await finalizeTeam(ctx, teamId, now).catch((error) =>
      log.warn({ err: error, team: teamId }, 'billing sweep: finalizing invoices failed'),
    );
  }
  if (!ctx.config.billing.stopAtZeroCredit) return;
  for (const account of await store.listPrepaidTeamAccounts(ctx.store.db)) {
    await checkPrepaidTeam(ctx, account, now).catch((error) =>
      log.warn({ err: error, account: account.id }, 'billing sweep: zero-credit check failed'),
    );
  }
}

/** Runs the sweep every billing.sweepSeconds (0: never), one pass at a time; the returned function stops it. */
export function startBillingSweep(ctx: ResourceContext, log: Log): () => Promise<void> {
  const intervalMs = ctx.config.billing.sweepSeconds * 1000;
  if (intervalMs === 0) return async () => {};
  let stopped = false;
  let pass: Promise<void> = Promise.resolve();
  const schedule = (): NodeJS.Timeout =>
    setTimeout(() => {
      pass = sweepBilling(ctx, log)
        .catch((error) => log.warn({ err: error }, 'billing sweep failed'))
        .then(() => {
          if (!stopped) timer = schedule();
        });
    }, intervalMs).unref();
  let timer = schedule();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await pass;
  };
}
