// Public counts: users, teams, and resources by kind and state (no authentication, no names).
import type { ServiceContext } from '../domain/context.ts';
import type { Resource } from '../resources/models.ts';
import { toResource } from '../resources/resource-row.ts';
import type { State } from '../domain/states.ts';
import { countResourcesByKindAndState, listResourcesOfKindInStates } from '../store/resources.ts';
import { countTeams } from '../store/teams.ts';
import { countUsers } from '../store/users.ts';

export interface Stats {
  users: number;
  teams: number;
  resources: Record<string, { total: number; byState: Record<string, number> }>;
}

export async function getStats(ctx: ServiceContext, kinds: string[]): Promise<Stats> {
  const [users, teams, rows] = await Promise.all([
    countUsers(ctx.store.db),
    countTeams(ctx.store.db),
    countResourcesByKindAndState(ctx.store.db),
  ]);
  const resources: Stats['resources'] = Object.fromEntries(kinds.map((kind) => [kind, { total: 0, byState: {} }]));
  for (const row of rows) {
    const entry = (resources[row.kind] ??= { total: 0, byState: {} });
    entry.total += Number(row.n);
    entry.byState[row.state] = Number(row.n);
  }
  return { users, teams, resources };
}

/** Every resource of one kind in the given states, across all teams: for counts that look at spec and status. */
export async function resourcesOfKindInStates(
  ctx: ServiceContext,
  kind: string,
  states: readonly State[],
): Promise<Resource[]> {
  return (await listResourcesOfKindInStates(ctx.store.db, kind, states)).map(toResource);
}
