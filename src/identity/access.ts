// Tenancy: resolves a team for a caller; a team the caller is not in does not exist for them.
import { forbidden, notFound } from '../domain/errors.ts';
import { findMembership, findTeamById, findTeamByName, type TeamRow } from '../store/teams.ts';
import { isUuid } from '../store/ids.ts';
import type { Db } from '../store/users.ts';
import { actsAsPlatformAdmin, roleRank, type Caller, type TeamRole } from './caller.ts';

export interface TeamAccess {
  team: TeamRow;
  role: TeamRole;
}

/** A team by id or name, if the caller holds at least `minimumRole` in it (platform admins act as team admins). */
export async function requireTeamRole(db: Db, caller: Caller, teamRef: string, minimumRole: TeamRole): Promise<TeamAccess> {
  const team = isUuid(teamRef) ? await findTeamById(db, teamRef) : await findTeamByName(db, teamRef);
  if (!team) throw notFound('team', teamRef);
  let role: TeamRole;
  if (actsAsPlatformAdmin(caller)) role = 'admin';
  else {
    const membership = await findMembership(db, team.id, caller.userId);
    if (!membership) throw notFound('team', teamRef);
    role = membership.role as TeamRole;
  }
  if (roleRank(role) < roleRank(minimumRole)) throw forbidden(`this needs the ${minimumRole} role in team ${team.name}; you are ${role}`);
  if (minimumRole !== 'viewer' && !caller.scopes.includes('write')) throw forbidden('this token lacks the write scope');
  return { team, role };
}
