// billing.stopAtZeroCredit: a prepaid team whose credit runs out has its running resources stopped.
import { recordEvent } from '../domain/context.ts';
import { enqueueOperation } from '../engine/enqueue.ts';
import { allowedActions } from '../resources/actions.ts';
import type { ResourceContext } from '../resources/resources.ts';
import type { State } from '../resources/states.ts';
import type { BillingAccountRow } from '../store/billing.ts';
import { listLiveResourcesOfTeam } from '../store/resources.ts';
import type { Db } from '../store/users.ts';

/**
 * Inside the transaction of the charge that emptied the account, so the stops are queued exactly when
 * the charge is written. Kinds without a stop action (clusters) keep running; the event names them.
 */
export async function stopAtZeroCredit(ctx: ResourceContext, db: Db, account: BillingAccountRow, balance: number) {
  if (!ctx.config.billing.stopAtZeroCredit || account.prepaid !== 1 || account.owner_type !== 'team' || balance > 0) return;
  const running = (await listLiveResourcesOfTeam(db, account.owner_id)).filter((row) => row.state === 'active');
  const stopped: string[] = [];
  const kept: string[] = [];
  for (const row of running) {
    if (!allowedActions(ctx, row.kind, row.state as State).includes('stop')) {
      kept.push(row.id);
      continue;
    }
    await enqueueOperation(ctx, db, row, 'action', 'stop');
    const data = { action: 'stop', state: row.state, reason: 'the prepaid credit of its team ran out' };
    await recordEvent(db, null, { type: 'resource.action', teamId: row.team_id, objectKind: row.kind, objectId: row.id, data });
    stopped.push(row.id);
  }
  await recordEvent(db, null, { type: 'billing.credit.exhausted', teamId: account.owner_id, objectKind: 'billing-account', objectId: account.id, data: { balance, stopped, kept } });
}
