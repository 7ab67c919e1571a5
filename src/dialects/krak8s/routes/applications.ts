// /v1/projects/{projectid}/applications: applications run on their namespace's cluster.
import type { FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { callerOf } from '../../../api/auth.ts';
import type { Caller } from '../../../domain/caller.ts';
import { ResourceName } from '../../../resources/models.ts';
import { deleteResource } from '../../../resources/deletion.ts';
import { createResource } from '../../../resources/resources.ts';
import type { ResourceContext } from '../../../resources/context.ts';
import { decodePayload } from '../decode.ts';
import { GoaError, badRequest, notFound } from '../errors.ts';
import { freeOid, hideOid, recordOidWith } from '../ids.ts';
import { nestsDeeperThan } from '../../../domain/depth.ts';
import {
  findNamespace,
  findProject,
  findResource,
  inProject,
  listNamespaceResources,
  liveCluster,
  requireInProject,
  type NamespaceObject,
  type ProjectObject,
} from '../model.ts';
import { mediaTypes, sendGoJson, sendNoContent } from '../reply.ts';
import { applicationView } from '../views.ts';
import { Application, ApplicationPostBody, ListApplicationPayload } from '../wire.ts';
import { ApplicationParams, ProjectParams, responses, tags, type Krak8sRoutes } from './common.ts';

type ApplicationInput = Required<Omit<typeof ApplicationPostBody.static, 'password'>>;

/** The list payload comes in a GET body, which Fastify does not read: read it here, within the body limit. */
async function readGetBody(request: FastifyRequest, limit: number): Promise<string> {
  let body = '';
  for await (const chunk of request.raw) {
    body += chunk;
    if (body.length > limit) throw new GoaError(413, 'request_too_large', `the body is larger than ${limit} bytes`);
  }
  return body;
}

/** decodePayload filled the defaults; optional strings not given are "" on the wire, as in Go. */
const filledIn = (input: typeof ApplicationPostBody.static): ApplicationInput => ({
  channel: input.channel ?? '',
  deployment_name: input.deployment_name,
  json_values: input.json_values ?? '',
  name: input.name,
  namespace_id: input.namespace_id,
  registry: input.registry ?? '',
  server: input.server ?? '',
  set: input.set ?? '',
  username: input.username ?? '',
  version: input.version,
});

/** Like the original, backslashes are removed from the stored --set and JSON values strings. */
const withoutBackslashes = (text: string) => text.replaceAll('\\', '');

/** Helm values nest a few levels; far deeper ones would overflow the stack of the core's recursive copy of a spec. */
const maxValuesDepth = 64;

function valuesOf(jsonValues: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(jsonValues);
  } catch {
    return {};
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
  if (nestsDeeperThan(parsed, maxValuesDepth))
    throw badRequest(`json_values nests deeper than ${maxValuesDepth} levels`);
  return parsed as Record<string, unknown>;
}

async function createApplication(
  ctx: ResourceContext,
  caller: Caller,
  project: ProjectObject,
  namespace: NamespaceObject,
  input: ApplicationInput,
) {
  const cluster = liveCluster(await listNamespaceResources(ctx, caller, namespace.namespace, 'cluster'));
  if (!cluster)
    throw badRequest(`namespace ${namespace.id.oid} has no cluster: create the cluster before its applications`);
  const oid = await freeOid(ctx);
  const jsonValues = withoutBackslashes(input.json_values);
  const name = `${input.name}-${oid}`;
  const extra = { json_values: jsonValues, username: input.username };
  const resource = await createResource(ctx, caller, project.team.id, {
    kind: 'application',
    name: Value.Check(ResourceName, name) ? name : `app-${oid}`,
    namespace: namespace.namespace.id,
    parent: cluster.resource.metadata.id,
    spec: {
      chart: input.name,
      version: input.version,
      registry: input.registry,
      server: input.server,
      channel: input.channel,
      deploymentName: input.deployment_name,
      set: withoutBackslashes(input.set),
      values: valuesOf(jsonValues),
      command: ctx.config.dialects.krak8s.applicationCommand,
    },
    // Its krak8s id and the values only krak8s shows are written with it, never after.
    hooks: {
      afterCreate: (db, row) =>
        recordOidWith(db, oid, { type: 'application', objectId: row.id, teamId: project.team.id, extra }),
    },
  });
  return {
    id: {
      oid,
      objectId: resource.metadata.id,
      type: 'application' as const,
      teamId: project.team.id,
      name: null,
      extra,
      hidden: false,
    },
    resource,
  };
}

export const applicationRoutes: Krak8sRoutes = (app, ctx) => {
  app.get(
    '/v1/projects/:projectid/applications',
    {
      schema: {
        tags,
        summary: 'list application: needs the JSON body {"namespaceid": "<id>"} on this GET, as the original did',
        params: ProjectParams,
        response: { 200: Type.Array(Application), ...responses.badRequest, ...responses.notFound },
      },
    },
    async (request, reply) => {
      const { namespaceid } = decodePayload(
        ListApplicationPayload,
        'raw',
        await readGetBody(request, ctx.config.server.bodyLimitBytes),
      );
      const caller = callerOf(request);
      const project = await findProject(ctx, caller, request.params.projectid);
      const namespace = await findNamespace(ctx, caller, namespaceid);
      if (!inProject(project, namespace)) throw notFound();
      const applications = await listNamespaceResources(ctx, caller, namespace.namespace, 'application');
      return sendGoJson(
        reply,
        200,
        mediaTypes.applications,
        applications.map((application) => applicationView(application, namespace.id.oid)),
      );
    },
  );

  app.post(
    '/v1/projects/:projectid/applications',
    {
      schema: {
        tags,
        summary: "create application on the namespace's cluster (400 while the namespace has none)",
        params: ProjectParams,
        body: ApplicationPostBody,
        response: { 202: Application, ...responses.badRequest, ...responses.notFound },
      },
    },
    async (request, reply) => {
      const input = decodePayload(ApplicationPostBody, 'response', request.body);
      const caller = callerOf(request);
      const project = await findProject(ctx, caller, request.params.projectid);
      const namespace = await findNamespace(ctx, caller, input.namespace_id);
      requireInProject(project, namespace, 'Namespace');
      const application = await createApplication(ctx, caller, project, namespace, filledIn(input));
      return sendGoJson(reply, 202, mediaTypes.application, applicationView(application, namespace.id.oid));
    },
  );

  app.get(
    '/v1/projects/:projectid/applications/:appid',
    {
      schema: {
        tags,
        summary: 'get application',
        params: ApplicationParams,
        response: { 200: Application, ...responses.notFound },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const application = await findResource(ctx, caller, request.params.appid, 'application');
      const project = await findProject(ctx, caller, request.params.projectid);
      if (!inProject(project, application.namespace)) throw notFound();
      return sendGoJson(reply, 200, mediaTypes.application, applicationView(application, application.namespace.id.oid));
    },
  );

  app.delete(
    '/v1/projects/:projectid/applications/:appid',
    {
      schema: {
        tags,
        summary: 'delete application: it is gone (404) at once',
        params: ApplicationParams,
        response: { ...responses.noContent, ...responses.badRequest, ...responses.notFound },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const application = await findResource(ctx, caller, request.params.appid, 'application');
      const project = await findProject(ctx, caller, request.params.projectid);
      requireInProject(project, application.namespace, 'Application');
      await deleteResource(ctx, caller, project.team.id, application.resource.metadata.id);
      await hideOid(ctx, application.id.oid);
      return sendNoContent(reply);
    },
  );
};
