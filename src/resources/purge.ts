// One deleted resource removed for good before the engine's sweep would (row, labels, operations), so its id can be used again.
import { requireTeamRole } from '../identity/access.ts';
import type { Caller } from '../domain/caller.ts';
import { listOperationsOf } from '../store/operations.ts';
import { listChildren, lockResource, removeResources } from '../store/resources.ts';
import type { ResourceContext } from './context.ts';

/**
 * What the engine's purge does after its retention, for one resource of a team the caller is a member of. True
 * when it went; false when there is no such resource, it is not deleted yet, or it still has children or work.
 * Its events stay: the deletion was recorded, and billing reads the history, not the row.
 */
export async function purgeDeletedResource(
  ctx: ResourceContext,
  caller: Caller,
  teamRef: string,
  id: string,
): Promise<boolean> {
  const { team } = await requireTeamRole(ctx, caller, teamRef, 'member');
  return ctx.store.transaction(async (db) => {
    const row = await lockResource(db, team.id, id);
    if (!row || row.state !== 'deleted') return false;
    if ((await listChildren(db, row.id)).length > 0) return false;
    if (
      (await listOperationsOf(db, row.id)).some(
        (operation) => operation.state === 'queued' || operation.state === 'running',
      )
    )
      return false;
    await removeResources(db, [row.id]);
    return true;
  });
}
