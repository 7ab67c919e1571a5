// billing.stopAtZeroCredit: a prepaid team whose credit runs out has its running resources stopped.
import { recordEvent } from '../domain/commit.ts';
import { enqueueOperation } from '../store/outbox.ts';
import { allowedActions } from '../resources/actions.ts';
import type { ResourceContext } from '../resources/context.ts';
import type { State } from '../domain/states.ts';
import { lastActivations, lastStopRequests, type BillingAccountRow } from '../store/billing.ts';
import { listLiveResourcesOfTeam, type ResourceRow } from '../store/resources.ts';
import type { Db } from '../store/db.ts';

interface Running {
  /** Active, of a kind that can stop, and not asked to stop since it last became active. */
  toStop: ResourceRow[];
  /** Active, of a kind without a stop action (clusters). */
  kept: ResourceRow[];
}

const applies = (ctx: ResourceContext, account: BillingAccountRow) =>
  ctx.config.billing.stopAtZeroCredit && account.prepaid === 1 && account.owner_type === 'team';

/** A stop queued after the resource last became active is still on its way: it is not asked again. */
async function runningOf(ctx: ResourceContext, db: Db, teamId: string): Promise<Running> {
  const active = (await listLiveResourcesOfTeam(db, teamId)).filter((row) => row.state === 'active');
  const stoppable = active.filter((row) => allowedActions(ctx, row.kind, row.state as State).includes('stop'));
  const stops = await lastStopRequests(
    db,
    stoppable.map((row) => row.id),
  );
  const since = [...stops.values()].sort()[0] ?? '';
  const activations = await lastActivations(db, teamId, [...stops.keys()], since);
  const stopping = (row: ResourceRow) => stops.has(row.id) && stops.get(row.id)! >= (activations.get(row.id) ?? '');
  const canStop = new Set(stoppable);
  return { toStop: stoppable.filter((row) => !stopping(row)), kept: active.filter((row) => !canStop.has(row)) };
}

async function stopRunning(
  ctx: ResourceContext,
  db: Db,
  account: BillingAccountRow,
  running: Running,
  facts: Record<string, number>,
) {
  for (const row of running.toStop) {
    await enqueueOperation(db, row, 'action', 'stop');
    const data = { action: 'stop', state: row.state, reason: 'the prepaid credit of its team ran out' };
    await recordEvent(db, null, {
      type: 'resource.action',
      teamId: row.team_id,
      objectKind: row.kind,
      objectId: row.id,
      data,
    });
  }
  const data = { ...facts, stopped: running.toStop.map((row) => row.id), kept: running.kept.map((row) => row.id) };
  await recordEvent(db, null, {
    type: 'billing.credit.exhausted',
    teamId: account.owner_id,
    objectKind: 'billing-account',
    objectId: account.id,
    data,
  });
}

/**
 * Inside the transaction of the charge that emptied the account, so the stops are queued exactly when
 * the charge is written. Kinds without a stop action (clusters) keep running; the event names them.
 */
export async function stopAtZeroCredit(ctx: ResourceContext, db: Db, account: BillingAccountRow, balance: number) {
  if (!applies(ctx, account) || balance > 0) return;
  await stopRunning(ctx, db, account, await runningOf(ctx, db, account.owner_id), { balance });
}

/**
 * The billing sweep's check, inside a transaction holding the account: the running month's usage
 * (`draft`) counts against the balance. Acts only when something is not yet stopping, so once.
 */
export async function stopWhenDraftExhaustsCredit(
  ctx: ResourceContext,
  db: Db,
  account: BillingAccountRow,
  balance: number,
  draft: number,
) {
  if (!applies(ctx, account) || balance - draft > 0) return;
  const running = await runningOf(ctx, db, account.owner_id);
  if (running.toStop.length > 0) await stopRunning(ctx, db, account, running, { balance, draft });
}
