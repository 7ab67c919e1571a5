// Actions on resources (start, stop, suspend, resume, restart, destroy): allowed only in the right states.
import { commitChange, recordEvent } from '../domain/context.ts';
import { conflict } from '../domain/errors.ts';
import { enqueueOperation } from '../engine/enqueue.ts';
import { requireTeamRole } from '../identity/access.ts';
import type { Caller } from '../identity/caller.ts';
import { requireKind } from './kinds/registry.ts';
import type { Resource } from './models.ts';
import { deleteResource } from './deletion.ts';
import { checkVersion, findRow, toResource, type ResourceContext } from './resources.ts';
import type { Action, State } from './states.ts';

/** The actions a kind allows in a state. */
export function allowedActions(ctx: ResourceContext, kind: string, state: State): Action[] {
  const actions = requireKind(ctx.kinds, kind).definition.actions;
  return (Object.keys(actions) as Action[]).filter((action) => actions[action]!.includes(state));
}

/** Queues the action and answers at once; `destroy` is a deletion. */
export async function requestAction(
  ctx: ResourceContext,
  caller: Caller,
  teamRef: string,
  id: string,
  action: Action,
  expectedVersion?: string,
): Promise<Resource> {
  const { team } = await requireTeamRole(ctx, caller, teamRef, 'member');
  const current = await findRow(ctx.store.db, team.id, id);
  const allowed = allowedActions(ctx, current.kind, current.state as State);
  if (!allowed.includes(action)) {
    throw conflict(`cannot ${action} a ${current.kind} that is ${current.state}; allowed now: ${allowed.join(', ') || 'none'}`, {
      state: current.state,
      allowedActions: allowed,
    });
  }
  if (action === 'destroy') return deleteResource(ctx, caller, teamRef, id, expectedVersion);
  return commitChange(ctx, async (db) => {
    const row = await findRow(db, team.id, id);
    checkVersion(row, expectedVersion);
    await enqueueOperation(ctx, db, row, 'action', action);
    await recordEvent(db, caller, { type: 'resource.action', teamId: team.id, objectKind: row.kind, objectId: row.id, data: { action, state: row.state } });
    return toResource(row);
  });
}
