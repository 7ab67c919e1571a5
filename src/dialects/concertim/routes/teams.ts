// /team and /team_role: a Concertim team is a cloudplane team (project_id = its id) with a team billing account.
import type { ServiceContext } from '../../../domain/context.ts';
import { notFound } from '../../../domain/errors.ts';
import { ensureAccount } from '../../../billing/accounts.ts';
import { roleRank, type Caller, type TeamRole } from '../../../domain/caller.ts';
import { addMember, changeMemberRole, listMembers, removeMember } from '../../../identity/members.ts';
import { createTeam } from '../../../identity/teams.ts';
import { deleteTeam } from '../../../resources/containers.ts';
import { callerFromCloudEnv } from '../cloud-env.ts';
import { apiServerDefError } from '../errors.ts';
import {
  ChangeTeamRoleBody,
  CreatedTeam,
  CreateTeamBody,
  DeleteTeamBody,
  responses,
  Success,
  TeamRoleBody,
} from '../wire.ts';
import { tags, type ConcertimRoutes } from './common.ts';

/** Concertim's roles are admin and member; Keystone's watcher is our viewer. */
const roleNames: Record<string, TeamRole> = { admin: 'admin', member: 'member', watcher: 'viewer' };
function roleOf(name: string): TeamRole {
  const role = roleNames[name];
  if (!role) throw apiServerDefError(`role must be admin, member or watcher, not "${name}"`);
  return role;
}

/** Keystone grants are idempotent and roles add up: granting a lower role than a member holds changes nothing. */
async function grantRole(ctx: ServiceContext, caller: Caller, teamId: string, userRef: string, role: TeamRole) {
  const current = (await listMembers(ctx, caller, teamId)).find(
    (member) => member.userId === userRef || member.username === userRef,
  );
  if (!current) await addMember(ctx, caller, teamId, userRef, role);
  else if (roleRank(current.role) < roleRank(role)) await changeMemberRole(ctx, caller, teamId, current.userId, role);
}

/** Revoking a role the user does not hold is Keystone's 404; revoking the one they hold ends the membership. */
async function revokeRole(ctx: ServiceContext, caller: Caller, teamId: string, userRef: string, role: TeamRole) {
  const current = (await listMembers(ctx, caller, teamId)).find(
    (member) => member.userId === userRef || member.username === userRef,
  );
  if (!current || current.role !== role) throw notFound(`role ${role} of user`, `${userRef} in team ${teamId}`);
  await removeMember(ctx, caller, teamId, current.userId);
}

export const teamRoutes: ConcertimRoutes = (app, ctx) => {
  app.post(
    '/team',
    {
      schema: {
        operationId: 'createTeam',
        tags,
        summary: 'Create a team and its billing account',
        description:
          "Concertim's team names: 1-56 letters, digits, space _ -. The caller becomes its admin. project_id and billing_acct_id in the body (sent when the team has them) are ignored.",
        body: CreateTeamBody,
        response: responses(CreatedTeam),
      },
    },
    async (request, reply) => {
      const team = await createTeam(ctx, await callerFromCloudEnv(ctx, request.body.cloud_env), {
        name: request.body.name,
        description: 'created through Concertim',
      });
      const account = await ensureAccount(ctx, { type: 'team', id: team.id });
      return reply.code(201).send({ success: true, project_id: team.id, billing_acct_id: account.id });
    },
  );

  app.delete(
    '/team',
    {
      schema: {
        tags,
        summary:
          'Delete a team and everything it holds (through the engine); its billing account and invoices stay readable',
        body: DeleteTeamBody,
        response: responses(Success),
      },
    },
    async (request, reply) => {
      await deleteTeam(ctx, await callerFromCloudEnv(ctx, request.body.cloud_env), request.body.team_info.project_id);
      return reply.code(201).send({ success: true });
    },
  );

  app.post(
    '/team_role',
    {
      schema: {
        operationId: 'createTeamRole',
        tags,
        summary: 'Give a user a role in a team',
        body: TeamRoleBody,
        response: responses(Success),
      },
    },
    async (request, reply) => {
      const { project_id, user_id, role } = request.body.team_role;
      await grantRole(ctx, await callerFromCloudEnv(ctx, request.body.cloud_env), project_id, user_id, roleOf(role));
      return reply.code(201).send({ success: true });
    },
  );

  app.patch(
    '/team_role',
    {
      schema: {
        tags,
        summary: "Change a user's role in a team",
        body: ChangeTeamRoleBody,
        response: responses(Success),
      },
    },
    async (request, reply) => {
      const { project_id, user_id, current_role, new_role } = request.body.team_role;
      roleOf(current_role);
      await changeMemberRole(
        ctx,
        await callerFromCloudEnv(ctx, request.body.cloud_env),
        project_id,
        user_id,
        roleOf(new_role),
      );
      return reply.code(201).send({ success: true });
    },
  );

  app.delete(
    '/team_role',
    {
      schema: {
        tags,
        summary: "Remove a user's role (their membership) from a team",
        body: TeamRoleBody,
        response: responses(Success),
      },
    },
    async (request, reply) => {
      const { project_id, user_id, role } = request.body.team_role;
      await revokeRole(ctx, await callerFromCloudEnv(ctx, request.body.cloud_env), project_id, user_id, roleOf(role));
      return reply.code(201).send({ success: true });
    },
  );
};
