// Status reported by the agent that owns a resource (external driver), checked like any observation.
import { commitChange } from '../domain/context.ts';
import { conflict, forbidden, invalid } from '../domain/errors.ts';
import { writeStatus } from '../engine/status.ts';
import { requireTeamRole } from '../identity/access.ts';
import { roleRank, type Caller } from '../identity/caller.ts';
import { finishEmptiedContainers } from './cascade.ts';
import { requireKind } from './kinds/registry.ts';
import type { Resource } from './models.ts';
import { findRow, toResource, type ResourceContext } from './resources.ts';
import type { State } from './states.ts';

export interface StatusReport {
  state: State;
  message?: string;
  details?: Record<string, unknown>;
}

export async function reportStatus(ctx: ResourceContext, caller: Caller, teamRef: string, id: string, report: StatusReport): Promise<Resource> {
  const { team, role } = await requireTeamRole(ctx, caller, teamRef, 'viewer');
  if (roleRank(role) < roleRank('member')) throw forbidden(`reporting status needs the member role in team ${team.name}; you are ${role}`);
  const row = await findRow(ctx.store.db, team.id, id);
  if (row.driver !== 'external') throw conflict(`the ${row.driver} driver observes this ${row.kind} itself; only resources of the external driver take reported status`);
  const states = requireKind(ctx.kinds, row.kind).definition.states;
  if (!states.includes(report.state)) throw invalid(`a ${row.kind} cannot be ${report.state}; its states are ${states.join(', ')}`, { field: 'state' });
  if (row.state === 'deleted') throw conflict(`resource ${id} is deleted`);
  if (row.state === 'deleting' && !['deleting', 'deleted', 'failed'].includes(report.state)) {
    throw conflict(`resource ${id} is being deleted; it can only become deleted or failed`);
  }
  const observation = { state: report.state, message: report.message ?? `reported ${report.state} by its agent`, details: report.details };
  const updated = await commitChange(ctx, async (db) => {
    const written = await writeStatus(db, ctx.kinds, row.id, { observation, generation: row.generation });
    if (written?.state === 'deleted') await finishEmptiedContainers(db, caller, row.team_id, row.namespace_id);
    return written;
  });
  return toResource(updated ?? row);
}
