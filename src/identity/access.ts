// Tenancy: resolves a team for a caller; a team the caller is not in does not exist for them.
import type { ServiceContext } from '../domain/context.ts';
import { forbidden, notFound } from '../domain/errors.ts';
import { findMembership, findTeamById, findTeamByName, type TeamRow } from '../store/teams.ts';
import { isUuid } from '../lib/ids.ts';
import { actsAsPlatformAdmin, roleRank, type Caller, type TeamRole } from '../domain/caller.ts';

export interface TeamAccess {
  team: TeamRow;
  role: TeamRole;
}

async function lookUp(ctx: ServiceContext, caller: Caller, teamRef: string) {
  const cached = ctx.access.teamFor(caller.userId, teamRef);
  if (cached) return cached;
  const db = ctx.store.db;
  const team = isUuid(teamRef) ? await findTeamById(db, teamRef) : await findTeamByName(db, teamRef);
  if (!team) return undefined;
  const membership = await findMembership(db, team.id, caller.userId);
  const found = { team, role: (membership?.role ?? null) as TeamRole | null };
  ctx.access.rememberTeamFor(caller.userId, teamRef, found);
  return found;
}

/** A team by id or name, if the caller holds at least `minimumRole` in it (platform admins act as team admins). */
export async function requireTeamRole(
  ctx: ServiceContext,
  caller: Caller,
  teamRef: string,
  minimumRole: TeamRole,
): Promise<TeamAccess> {
  const found = await lookUp(ctx, caller, teamRef);
  const role = actsAsPlatformAdmin(caller) ? 'admin' : found?.role;
  if (!found || !role) throw notFound('team', teamRef);
  if (roleRank(role) < roleRank(minimumRole))
    throw forbidden(`this needs the ${minimumRole} role in team ${found.team.name}; you are ${role}`);
  if (minimumRole !== 'viewer' && !caller.scopes.includes('write')) throw forbidden('this token lacks the write scope');
  return { team: found.team, role };
}
