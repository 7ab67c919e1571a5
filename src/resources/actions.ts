// Actions on resources (start, stop, suspend, resume, restart, destroy): allowed only in the right states.
import { commitChange, recordEvent } from '../domain/commit.ts';
import { conflict, notFound } from '../domain/errors.ts';
import { enqueueOperation } from '../store/outbox.ts';
import { requireTeamRole } from '../identity/access.ts';
import type { Caller } from '../domain/caller.ts';
import { lockResource, type ResourceRow } from '../store/resources.ts';
import { requireKind } from './kinds/registry.ts';
import type { Resource } from './models.ts';
import { deleteResource } from './deletion.ts';
import { checkVersion, findRow } from './resources.ts';
import { toResource } from './resource-row.ts';
import type { ResourceContext } from './context.ts';
import type { Action, State } from '../domain/states.ts';

/** The actions a kind allows in a state. */
export function allowedActions(ctx: ResourceContext, kind: string, state: State): Action[] {
  const actions = requireKind(ctx.kinds, kind).definition.actions;
  return (Object.keys(actions) as Action[]).filter((action) => actions[action]!.includes(state));
}

function requireAllowed(ctx: ResourceContext, row: ResourceRow, action: Action) {
  const allowed = allowedActions(ctx, row.kind, row.state as State);
  if (allowed.includes(action)) return;
  throw conflict(`cannot ${action} a ${row.kind} that is ${row.state}; allowed now: ${allowed.join(', ') || 'none'}`, {
    state: row.state,
    allowedActions: allowed,
  });
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
  if (action === 'destroy') {
    requireAllowed(ctx, await findRow(ctx.store.db, team.id, id), action);
    return deleteResource(ctx, caller, teamRef, id, expectedVersion);
  }
  return commitChange(ctx, async (db) => {
    // The state is checked on the row as this transaction holds it: the engine or an agent may have moved it.
    const row = await lockResource(db, team.id, id);
    if (!row) throw notFound('resource', id);
    checkVersion(row, expectedVersion);
    requireAllowed(ctx, row, action);
    await enqueueOperation(db, row, 'action', action);
    await recordEvent(db, caller, {
      type: 'resource.action',
      teamId: team.id,
      objectKind: row.kind,
      objectId: row.id,
      data: { action, state: row.state },
    });
    return toResource(row);
  });
}
