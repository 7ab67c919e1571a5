// Each ConPaaS user's services live in a team of their own (`conpaas-<username>`), made on their first start.
import { randomBytes } from 'node:crypto';
import { DomainError } from '../../domain/errors.ts';
import { requireTeamRole } from '../../identity/access.ts';
import { createTeam } from '../../identity/teams.ts';
import { deleteTeam } from '../../resources/containers.ts';
import type { ResourceContext } from '../../resources/context.ts';
import type { ConpaasCaller } from './auth.ts';
import { claimTeam, reloadProfile } from './ids.ts';

/** The team, if it still exists, is not being deleted and the user may still create resources in it. */
export async function existingTeam(ctx: ResourceContext, who: ConpaasCaller): Promise<string | undefined> {
  const teamId = who.profile.team_id;
  if (!teamId) return undefined;
  try {
    const { team } = await requireTeamRole(ctx, who.caller, teamId, 'member');
    return team.deletion_requested_at ? undefined : team.id;
  } catch (error) {
    if (error instanceof DomainError && (error.code === 'not-found' || error.code === 'forbidden')) return undefined;
    throw error;
  }
}

const description = (who: ConpaasCaller) => `ConPaaS services of ${who.user.username}`;

/**
 * `conpaas-<username>` (made valid: letters, digits, space . _ -). If that name is taken by a team the user
 * administers (a racing first start, or one they made), it is that team; else a random suffix is added.
 */
async function teamNamedFor(ctx: ResourceContext, who: ConpaasCaller): Promise<{ id: string; made: boolean }> {
  const name = `conpaas-${who.user.username.replace(/[^A-Za-z0-9 _.-]/g, '-')}`.slice(0, 54);
  try {
    return { id: (await createTeam(ctx, who.caller, { name, description: description(who) })).id, made: true };
  } catch (error) {
    if (!(error instanceof DomainError && error.code === 'conflict')) throw error;
  }
  try {
    const { team } = await requireTeamRole(ctx, who.caller, name, 'admin');
    if (!team.deletion_requested_at) return { id: team.id, made: false };
  } catch (error) {
    if (!(error instanceof DomainError && (error.code === 'not-found' || error.code === 'forbidden'))) throw error;
  }
  const suffixed = `${name}-${randomBytes(4).toString('hex')}`;
  return { id: (await createTeam(ctx, who.caller, { name: suffixed, description: description(who) })).id, made: true };
}

/** Of two first starts racing, one team is kept; a team the loser made for nothing (still empty) is deleted. */
export async function personalTeam(ctx: ResourceContext, who: ConpaasCaller): Promise<string> {
  const existing = await existingTeam(ctx, who);
  if (existing) return existing;
  const team = await teamNamedFor(ctx, who);
  if (await claimTeam(ctx, who.profile, team.id)) return team.id;
  const winner = (await reloadProfile(ctx, who.profile.uid)).team_id;
  if (!winner) throw new Error(`no ConPaaS team for user ${who.user.username} after a race`);
  if (team.made && winner !== team.id) await deleteTeam(ctx, who.caller, team.id);
  return winner;
}
