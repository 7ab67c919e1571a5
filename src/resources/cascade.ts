// Deleting what holds resources (a team, a namespace): its resources first, then itself once empty;
// a resource whose deletion failed holds it up, and says so, until a new DELETE retries it.
import { recordEvent } from '../domain/commit.ts';
import type { ServiceContext } from '../domain/context.ts';
import type { Caller } from '../domain/caller.ts';
import { nowIso } from '../lib/ids.ts';
import {
  countLiveResources,
  listFailedDeletions,
  listLiveResourcesOfTeam,
  type ResourceRow,
} from '../store/resources.ts';
import * as teams from '../store/teams.ts';
import type { Db } from '../store/db.ts';
import { requestDeletion } from './deletion.ts';
import type { DeletionBlocker } from '../identity/models.ts';
import type { StoredStatus } from './resource-row.ts';
import type { State } from '../domain/states.ts';

/** A view shows this many blockers at most: enough to act on, bounded for a team with thousands. */
const shownBlockers = 20;

/** Deepest first, so every child is asked to go before its parent. */
function childrenFirst(rows: ResourceRow[]): ResourceRow[] {
  const byId = new Map(rows.map((row) => [row.id, row]));
  const depth = (row: ResourceRow): number => {
    const parent = row.parent_id ? byId.get(row.parent_id) : undefined;
    return parent ? depth(parent) + 1 : 0;
  };
  return [...rows].sort((a, b) => depth(b) - depth(a));
}

/** Removes a team or namespace whose deletion was requested once nothing in it is left. */
export async function finishEmptiedContainers(
  db: Db,
  actor: Caller | null,
  teamId: string,
  namespaceId: string | null,
): Promise<boolean> {
  let removedTeam = false;
  if (namespaceId) {
    const namespace = await teams.findNamespace(db, teamId, namespaceId);
    if (namespace?.deletion_requested_at && (await countLiveResources(db, { teamId, namespaceId })) === 0) {
      await teams.deleteNamespace(db, namespace.id);
      await recordEvent(db, actor, {
        type: 'namespace.deleted',
        teamId,
        objectKind: 'namespace',
        objectId: namespace.id,
        data: { name: namespace.name },
      });
    }
  }
  const team = await teams.findTeamById(db, teamId);
  if (team?.deletion_requested_at && (await countLiveResources(db, { teamId })) === 0) {
    await teams.deleteTeam(db, team.id);
    await recordEvent(db, actor, {
      type: 'team.deleted',
      teamId,
      objectKind: 'team',
      objectId: team.id,
      data: { name: team.name },
    });
    removedTeam = true;
  }
  return removedTeam;
}

/** Asks for the deletion of everything in a team (or one namespace of it) and of the container itself. */
export async function deleteContainer(
  ctx: ServiceContext,
  db: Db,
  caller: Caller,
  teamId: string,
  namespaceId?: string,
) {
  const at = nowIso();
  if (namespaceId) await teams.markNamespaceDeletion(db, namespaceId, at);
  else await teams.markTeamDeletion(db, teamId, at);
  await requestDeletion(ctx, db, caller, childrenFirst(await listLiveResourcesOfTeam(db, teamId, namespaceId)));
  await finishEmptiedContainers(db, caller, teamId, namespaceId ?? null);
}

const toBlocker = (row: ResourceRow): DeletionBlocker => ({
  id: row.id,
  kind: row.kind,
  name: row.name,
  state: row.state as State,
  message: (JSON.parse(row.status) as StoredStatus).message,
  since: row.updated_at,
});

/** A team or namespace view, with what holds up its deletion while one was requested. */
export async function withDeletionBlockers<View extends { deletionRequestedAt: string | null }>(
  db: Db,
  view: View,
  teamId: string,
  namespaceId?: string,
): Promise<View> {
  if (view.deletionRequestedAt === null) return view;
  const failed = await listFailedDeletions(db, { teamId, namespaceId }, shownBlockers);
  return { ...view, deletionBlockedBy: failed.map(toBlocker) };
}

/** Called when a resource whose deletion was requested fails: the team or namespace being deleted around it says it is held up. */
export async function announceFailedDeletion(db: Db, row: ResourceRow): Promise<void> {
  const blockedBy = toBlocker(row);
  const namespace = row.namespace_id ? await teams.findNamespace(db, row.team_id, row.namespace_id) : undefined;
  if (namespace?.deletion_requested_at) {
    await recordEvent(db, null, {
      type: 'namespace.deletion-blocked',
      teamId: row.team_id,
      objectKind: 'namespace',
      objectId: namespace.id,
      data: { name: namespace.name, blockedBy },
    });
  }
  const team = await teams.findTeamById(db, row.team_id);
  if (team?.deletion_requested_at) {
    await recordEvent(db, null, {
      type: 'team.deletion-blocked',
      teamId: team.id,
      objectKind: 'team',
      objectId: team.id,
      data: { name: team.name, blockedBy },
    });
  }
}
