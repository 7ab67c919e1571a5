// Queues durable work for a resource inside the transaction that changes it (the outbox).
import { newId, nowIso } from '../lib/ids.ts';
import { notifyWorkers } from './notify.ts';
import { cancelQueuedOperations, insertOperation } from './operations.ts';
import type { ResourceRow } from './resources.ts';
import type { Db } from './db.ts';

export type OperationType = 'apply' | 'action' | 'delete';

/** Written in the change's own transaction, so a committed change always has its work queued. */
export async function enqueueOperation(db: Db, resource: ResourceRow, type: OperationType, action?: string) {
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
  notifyWorkers(db);
}
