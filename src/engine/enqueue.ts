// Queues durable work for a resource inside the transaction that changes it (the outbox).
import type { ServiceContext } from '../domain/context.ts';
import type { Action } from '../resources/states.ts';
import { newId, nowIso } from '../store/ids.ts';
import { notifyWorkers } from '../store/notify.ts';
import { cancelQueuedOperations, insertOperation } from '../store/operations.ts';
import type { ResourceRow } from '../store/resources.ts';
import type { Db } from '../store/store.ts';

export type OperationType = 'apply' | 'action' | 'delete';

export async function enqueueOperation(ctx: ServiceContext, db: Db, resource: ResourceRow, type: OperationType, action?: Action) {
  const at = nowIso();
  // A deletion supersedes whatever was still waiting to run for the resource.
  if (type === 'delete') await cancelQueuedOperations(db, resource.id, at);
  await insertOperation(db, {
    id: newId(),
    resource_id: resource.id,
    team_id: resource.team_id,
    type,
    action: action ?? null,
    generation: resource.generation,
    state: 'queued',
    attempts: 0,
    run_after: at,
    lease_owner: null,
    lease_expires_at: null,
    last_error: null,
    created_at: at,
    updated_at: at,
  });
  await notifyWorkers(db);
}
