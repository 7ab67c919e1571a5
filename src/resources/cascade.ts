// Deleting what holds resources (a team, a namespace): its resources first, then itself once empty.
import { recordEvent, type ServiceContext } from '../domain/context.ts';
import type { Caller } from '../identity/caller.ts';
import { nowIso } from '../store/ids.ts';
import { countLiveResources, listLiveResourcesOfTeam, type ResourceRow } from '../store/resources.ts';
import * as teams from '../store/teams.ts';
import type { Db } from '../store/users.ts';
import { requestDeletion } from './deletion.ts';

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
export async function finishEmptiedContainers(db: Db, actor: Caller | null, teamId: string, namespaceId: string | null): Promise<boolean> {
  let removedTeam = false;
  if (namespaceId) {
    const namespace = await teams.findNamespace(db, teamId, namespaceId);
    if (namespace?.deletion_requested_at && (await countLiveResources(db, { teamId, namespaceId })) === 0) {
      await teams.deleteNamespace(db, namespace.id);
      await recordEvent(db, actor, { type: 'namespace.deleted', teamId, objectKind: 'namespace', objectId: namespace.id, data: { name: namespace.name } });
    }
  }
  const team = await teams.findTeamById(db, teamId);
  if (team?.deletion_requested_at && (await countLiveResources(db, { teamId })) === 0) {
    await teams.deleteTeam(db, team.id);
    await recordEvent(db, actor, { type: 'team.deleted', teamId, objectKind: 'team', objectId: team.id, data: { name: team.name } });
    removedTeam = true;
  }
  return removedTeam;
}

/** Asks for the deletion of everything in a team (or one namespace of it) and of the container itself. */
export async function deleteContainer(ctx: ServiceContext, db: Db, caller: Caller, teamId: string, namespaceId?: string) {
  const at = nowIso();
  if (namespaceId) await teams.markNamespaceDeletion(db, namespaceId, at);
  else await teams.markTeamDeletion(db, teamId, at);
  await requestDeletion(ctx, db, caller, childrenFirst(await listLiveResourcesOfTeam(db, teamId, namespaceId)));
  await finishEmptiedContainers(db, caller, teamId, namespaceId ?? null);
}
