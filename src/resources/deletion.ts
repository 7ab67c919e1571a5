// Deleting resources: children first; what no driver holds yet goes at once, the rest through the engine.
import { commitChange, recordEvent } from '../domain/commit.ts';
import type { ServiceContext } from '../domain/context.ts';
import { enqueueOperation } from '../store/outbox.ts';
import { requireTeamRole } from '../identity/access.ts';
import type { Caller } from '../domain/caller.ts';
import { nowIso } from '../lib/ids.ts';
import { cancelQueuedOperations, listOperationsOf } from '../store/operations.ts';
import * as store from '../store/resources.ts';
import type { Db } from '../store/db.ts';
import type { Resource } from './models.ts';
import { raceLost, retryLostRaces } from './races.ts';
import { checkVersion, findRow } from './resources.ts';
import { toResource, type StoredStatus } from './resource-row.ts';
import type { ResourceContext } from './context.ts';

async function subtreeChildrenFirst(db: Db, root: store.ResourceRow): Promise<store.ResourceRow[]> {
  const ordered: store.ResourceRow[] = [];
  for (const child of await store.listChildren(db, root.id)) ordered.push(...(await subtreeChildrenFirst(db, child)));
  ordered.push(root);
  return ordered;
}

/** Nothing real exists for a resource no driver has observed and no worker is applying right now. */
async function holdsNothing(db: Db, row: store.ResourceRow, status: StoredStatus) {
  if (status.observedGeneration !== 0) return false;
  return !(await listOperationsOf(db, row.id)).some((operation) => operation.state === 'running');
}

/** Marks each row deleted (nothing to tear down) or deleting (work for the engine), with an event each. */
export async function requestDeletion(
  ctx: ServiceContext,
  db: Db,
  actor: Caller | null,
  rows: store.ResourceRow[],
): Promise<Resource[]> {
  const at = nowIso();
  const results: Resource[] = [];
  for (const row of rows) {
    if (row.state === 'deleted' || row.state === 'deleting') continue;
    const status = JSON.parse(row.status) as StoredStatus;
    const immediate = await holdsNothing(db, row, status);
    const next: store.ResourceRow = {
      ...row,
      state: immediate ? 'deleted' : 'deleting',
      status: JSON.stringify({
        ...status,
        message: immediate ? 'deleted before it was provisioned' : 'deletion requested',
      }),
      deletion_requested_at: at,
      updated_at: at,
      resource_version: row.resource_version + 1,
    };
    if (!(await store.updateResource(db, next, row, false)))
      throw raceLost(`resource ${row.id} changed during deletion; retry`);
    if (immediate) await cancelQueuedOperations(db, row.id, at);
    else await enqueueOperation(db, next, 'delete');
    const type = immediate ? 'resource.deleted' : 'resource.deleting';
    await recordEvent(db, actor, {
      type,
      teamId: row.team_id,
      objectKind: row.kind,
      objectId: row.id,
      data: { name: row.name, state: next.state },
    });
    results.push(toResource(next));
  }
  return results;
}

export async function deleteResource(
  ctx: ResourceContext,
  caller: Caller,
  teamRef: string,
  id: string,
  expectedVersion?: string,
): Promise<Resource> {
  const { team } = await requireTeamRole(ctx, caller, teamRef, 'member');
  return retryLostRaces(expectedVersion, () =>
    commitChange(ctx, async (db) => {
      const root = await findRow(db, team.id, id);
      checkVersion(root, expectedVersion);
      if (root.state === 'deleted' || root.state === 'deleting') return toResource(root);
      const results = await requestDeletion(ctx, db, caller, await subtreeChildrenFirst(db, root));
      return results[results.length - 1];
    }),
  );
}
