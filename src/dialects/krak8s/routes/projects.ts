// /v1/projects: projects are teams; creating one makes the caller its admin.
import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { callerOf } from '../../../api/auth.ts';
import { DomainError } from '../../../domain/errors.ts';
import type { Caller } from '../../../domain/caller.ts';
import { TeamName } from '../../../identity/models.ts';
import { createTeam } from '../../../identity/teams.ts';
import { deleteTeam } from '../../../resources/containers.ts';
import type { ResourceContext } from '../../../resources/context.ts';
import { decodePayload } from '../decode.ts';
import { freeOid, recordOid } from '../ids.ts';
import { findProject, listProjectNamespaces, listProjects, type ProjectObject } from '../model.ts';
import { mediaTypes, sendGoJson, sendNoContent } from '../reply.ts';
import { projectView } from '../views.ts';
import { CreateProjectPayload, Project } from '../wire.ts';
import { ProjectParams, responses, tags, type Krak8sRoutes } from './common.ts';

const showProject = async (ctx: ResourceContext, caller: Caller, project: ProjectObject) =>
  projectView(project, await listProjectNamespaces(ctx, caller, project));

/** krak8s names need not be unique nor team-shaped: such a project's team is named after its id. */
async function createProject(ctx: ResourceContext, caller: Caller, name: string) {
  const oid = await freeOid(ctx);
  const fallback = `krak8s-${oid}`;
  const create = (teamName: string) =>
    createTeam(ctx, caller, { name: teamName, description: `krak8s project ${name}` });
  let team;
  try {
    team = await create(Value.Check(TeamName, name) ? name : fallback);
  } catch (error) {
    if (!(error instanceof DomainError && error.code === 'conflict')) throw error;
    team = await create(fallback);
  }
  const recorded = await recordOid(ctx, oid, {
    type: 'project',
    objectId: team.id,
    teamId: team.id,
    name: team.name === name ? null : name,
  });
  return {
    id: { oid: recorded, objectId: team.id, type: 'project' as const, teamId: team.id, name, extra: {}, hidden: false },
    team,
  };
}

export const projectRoutes: Krak8sRoutes = (app, ctx) => {
  app.get(
    '/v1/projects',
    {
      schema: {
        tags,
        summary: 'list project: every project (team) you are a member of',
        response: { 200: Type.Array(Project), ...responses.unauthorized },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const projects = await Promise.all(
        (await listProjects(ctx, caller)).map((project) => showProject(ctx, caller, project)),
      );
      return sendGoJson(reply, 200, mediaTypes.projects, projects);
    },
  );

  app.post(
    '/v1/projects',
    {
      schema: {
        tags,
        summary: 'create project: a new team with you as its admin',
        body: CreateProjectPayload,
        response: { 201: Project, ...responses.badRequest },
      },
    },
    async (request, reply) => {
      const { name } = decodePayload(CreateProjectPayload, 'raw', request.body);
      const project = await createProject(ctx, callerOf(request), name);
      return sendGoJson(reply, 201, mediaTypes.project, projectView(project, []));
    },
  );

  app.get(
    '/v1/projects/:projectid',
    {
      schema: {
        tags,
        summary: 'get project',
        params: ProjectParams,
        response: { 200: Project, ...responses.notFound },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const project = await findProject(ctx, caller, request.params.projectid);
      return sendGoJson(reply, 200, mediaTypes.project, await showProject(ctx, caller, project));
    },
  );

  app.delete(
    '/v1/projects/:projectid',
    {
      schema: {
        tags,
        summary: 'delete project, its namespaces, clusters and applications (team admins)',
        params: ProjectParams,
        response: { ...responses.noContent, ...responses.notFound },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const project = await findProject(ctx, caller, request.params.projectid);
      await deleteTeam(ctx, caller, project.team.id);
      return sendNoContent(reply);
    },
  );
};
