// Status reported by the agent that owns a resource (external driver): checked against its kind's
// states and the moves a report may make (reportedTransitions), then written like any observation.
import { commitChange } from '../domain/commit.ts';
import { conflict, forbidden, invalid } from '../domain/errors.ts';
import { writeStatus } from './status.ts';
import { requireTeamRole } from '../identity/access.ts';
import { roleRank, type Caller } from '../domain/caller.ts';
import { finishEmptiedContainers } from './cascade.ts';
import { requireKind } from './kinds/registry.ts';
import type { Resource } from './models.ts';
import { findRow } from './resources.ts';
import { toResource } from './resource-row.ts';
import type { ResourceContext } from './context.ts';
import { lockResource, type ResourceRow } from '../store/resources.ts';
import { reportableNextStates, type State } from '../domain/states.ts';

export interface StatusReport {
  state: State;
  message?: string;
  details?: Record<string, unknown>;
}

function requireReportableMove(row: ResourceRow, kindStates: readonly State[], next: State) {
  const deletionRequested = row.deletion_requested_at !== null && row.state !== 'deleted';
  const allowed = reportableNextStates(kindStates, row.state as State, deletionRequested);
  if (allowed.includes(next)) return;
  const why = deletionRequested ? ' (its deletion was requested)' : '';
  throw conflict(
    `a ${row.kind} that is ${row.state}${why} cannot become ${next}; allowed next: ${allowed.join(', ') || 'none'}`,
    {
      state: row.state,
      allowedStates: allowed,
    },
  );
}

export async function reportStatus(
  ctx: ResourceContext,
  caller: Caller,
  teamRef: string,
  id: string,
  report: StatusReport,
): Promise<Resource> {
  const { team, role } = await requireTeamRole(ctx, caller, teamRef, 'viewer');
  if (roleRank(role) < roleRank('member'))
    throw forbidden(`reporting status needs the member role in team ${team.name}; you are ${role}`);
  const row = await findRow(ctx.store.db, team.id, id);
  if (row.driver !== 'external')
    throw conflict(
      `the ${row.driver} driver observes this ${row.kind} itself; only resources of the external driver take reported status`,
    );
  const states = requireKind(ctx.kinds, row.kind).definition.states;
  if (!states.includes(report.state))
    throw invalid(`a ${row.kind} cannot be ${report.state}; its states are ${states.join(', ')}`, { field: 'state' });
  const observation = {
    state: report.state,
    message: report.message ?? `reported ${report.state} by its agent`,
    details: report.details,
  };
  const updated = await commitChange(ctx, async (db) => {
    // Checked on the row as it is now: a report or the engine may have moved it since it was read above.
    const current = await lockResource(db, team.id, id);
    if (current) requireReportableMove(current, states, report.state);
    const written = await writeStatus(db, ctx.kinds, row.id, { observation, generation: row.generation });
    if (written?.state === 'deleted') await finishEmptiedContainers(db, caller, row.team_id, row.namespace_id);
    return written;
  });
  return toResource(updated ?? row);
}
