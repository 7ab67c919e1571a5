// Teams, their members and their namespaces.
import { Type } from '@sinclair/typebox';
import type { ServiceContext } from '../../domain/context.ts';
import { addMember, changeMemberRole, listMembers, removeMember } from '../../identity/members.ts';
import { Member, Namespace, NamespaceName, Role, Team, TeamName } from '../../identity/models.ts';
import { createNamespace } from '../../identity/namespaces.ts';
import { createTeam, updateTeam } from '../../identity/teams.ts';
import {
  deleteNamespace,
  deleteTeam,
  getNamespace,
  getTeam,
  listNamespaces,
  listTeams,
} from '../../resources/containers.ts';
import { commonErrors, type ApiApp } from '../app-types.ts';
import { callerOf } from '../auth.ts';
import { decodeCursor, Page, PageQuery, pageLimit, toPage } from '../pagination.ts';

const ref = Type.String({ minLength: 1, maxLength: 128 });
const TeamParams = Type.Object({ team: ref });
const noContent = { 204: Type.Null(), ...commonErrors };

export function teamRoutes(app: ApiApp, ctx: ServiceContext) {
  const tags = ['teams'];
  app.get(
    '/teams',
    {
      schema: {
        tags,
        summary: 'List your teams (all teams for platform admins)',
        querystring: Type.Object(PageQuery),
        response: { 200: Page(Team), ...commonErrors },
      },
    },
    async (request) => {
      const limit = pageLimit(request.query.limit, ctx.config.api);
      const rows = await listTeams(
        ctx,
        callerOf(request),
        decodeCursor<string>(request.query.cursor, 'string'),
        limit + 1,
      );
      return toPage(rows, limit, (t) => t.id);
    },
  );

  app.post(
    '/teams',
    {
      schema: {
        tags,
        summary: 'Create a team; you become its admin',
        body: Type.Object(
          { name: TeamName, description: Type.Optional(Type.String({ maxLength: 1024 })) },
          { additionalProperties: false },
        ),
        response: { 201: Team, ...commonErrors },
      },
    },
    async (request, reply) => reply.code(201).send(await createTeam(ctx, callerOf(request), request.body)),
  );

  app.get(
    '/teams/:team',
    {
      schema: {
        tags,
        summary: 'Get a team by id or name',
        params: TeamParams,
        response: { 200: Team, ...commonErrors },
      },
    },
    async (request) => getTeam(ctx, callerOf(request), request.params.team),
  );

  app.patch(
    '/teams/:team',
    {
      schema: {
        tags,
        summary: 'Rename a team or change its description (team admins)',
        params: TeamParams,
        body: Type.Object(
          { name: Type.Optional(TeamName), description: Type.Optional(Type.String({ maxLength: 1024 })) },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: Team, ...commonErrors },
      },
    },
    async (request) => updateTeam(ctx, callerOf(request), request.params.team, request.body),
  );

  app.delete(
    '/teams/:team',
    {
      schema: {
        tags,
        summary: 'Delete a team and everything it holds (team admins)',
        params: TeamParams,
        response: noContent,
      },
    },
    async (request, reply) => {
      await deleteTeam(ctx, callerOf(request), request.params.team);
      return reply.code(204).send(null);
    },
  );

  const MemberParams = Type.Object({
    team: ref,
    userId: Type.String({ maxLength: 64, description: 'the user id or username' }),
  });
  app.get(
    '/teams/:team/members',
    {
      schema: {
        tags,
        summary: 'List the members of a team',
        params: TeamParams,
        response: { 200: Page(Member), ...commonErrors },
      },
    },
    async (request) => ({ items: await listMembers(ctx, callerOf(request), request.params.team), next: null }),
  );

  app.post(
    '/teams/:team/members',
    {
      schema: {
        operationId: 'addTeamMember',
        tags,
        summary: 'Add a user (by id or username) with a role (team admins)',
        params: TeamParams,
        body: Type.Object(
          { user: Type.String({ minLength: 1, maxLength: 64 }), role: Role },
          { additionalProperties: false },
        ),
        response: { 201: Member, ...commonErrors },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await addMember(ctx, callerOf(request), request.params.team, request.body.user, request.body.role)),
  );

  app.patch(
    '/teams/:team/members/:userId',
    {
      schema: {
        tags,
        summary: "Change a member's role (team admins)",
        params: MemberParams,
        body: Type.Object({ role: Role }, { additionalProperties: false }),
        response: { 200: Member, ...commonErrors },
      },
    },
    async (request) =>
      changeMemberRole(ctx, callerOf(request), request.params.team, request.params.userId, request.body.role),
  );

  app.delete(
    '/teams/:team/members/:userId',
    {
      schema: {
        operationId: 'removeTeamMember',
        tags,
        summary: 'Remove a member (team admins), or leave a team yourself',
        params: MemberParams,
        response: noContent,
      },
    },
    async (request, reply) => {
      await removeMember(ctx, callerOf(request), request.params.team, request.params.userId);
      return reply.code(204).send(null);
    },
  );

  const NamespaceParams = Type.Object({ team: ref, namespace: ref });
  app.get(
    '/teams/:team/namespaces',
    {
      schema: {
        tags,
        summary: 'List the namespaces of a team',
        params: TeamParams,
        response: { 200: Page(Namespace), ...commonErrors },
      },
    },
    async (request) => ({ items: await listNamespaces(ctx, callerOf(request), request.params.team), next: null }),
  );

  app.post(
    '/teams/:team/namespaces',
    {
      schema: {
        tags,
        summary: 'Create a namespace in a team',
        params: TeamParams,
        body: Type.Object({ name: NamespaceName }, { additionalProperties: false }),
        response: { 201: Namespace, ...commonErrors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createNamespace(ctx, callerOf(request), request.params.team, request.body.name)),
  );

  app.get(
    '/teams/:team/namespaces/:namespace',
    {
      schema: {
        tags,
        summary: 'Get a namespace by id or name',
        params: NamespaceParams,
        response: { 200: Namespace, ...commonErrors },
      },
    },
    async (request) => getNamespace(ctx, callerOf(request), request.params.team, request.params.namespace),
  );

  app.delete(
    '/teams/:team/namespaces/:namespace',
    {
      schema: {
        tags,
        summary: 'Delete a namespace and the resources in it',
        params: NamespaceParams,
        response: noContent,
      },
    },
    async (request, reply) => {
      await deleteNamespace(ctx, callerOf(request), request.params.team, request.params.namespace);
      return reply.code(204).send(null);
    },
  );
}
