// /v1/projects/{projectid}/namespaces: namespaces of a team.
import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { callerOf } from '../../../api/auth.ts';
import { DomainError } from '../../../domain/errors.ts';
import type { Caller } from '../../../domain/caller.ts';
import { NamespaceName } from '../../../identity/models.ts';
import { createNamespace } from '../../../identity/namespaces.ts';
import { deleteNamespace } from '../../../resources/containers.ts';
import type { ResourceContext } from '../../../resources/context.ts';
import { decodePayload } from '../decode.ts';
import { notFound } from '../errors.ts';
import { freeOid, recordOid } from '../ids.ts';
import {
  findNamespace,
  findProject,
  inProject,
  listNamespaceResources,
  listProjectNamespaces,
  liveCluster,
  requireInProject,
  type NamespaceObject,
  type ProjectObject,
} from '../model.ts';
import { mediaTypes, sendGoJson, sendNoContent } from '../reply.ts';
import { namespaceView } from '../views.ts';
import { CreateNamespacePayload, Namespace } from '../wire.ts';
import { NamespaceParams, ProjectParams, responses, tags, type Krak8sRoutes } from './common.ts';

async function showNamespace(ctx: ResourceContext, caller: Caller, pid: string, namespace: NamespaceObject) {
  const clusters = await listNamespaceResources(ctx, caller, namespace.namespace, 'cluster');
  const applications = await listNamespaceResources(ctx, caller, namespace.namespace, 'application');
  return namespaceView(pid, namespace, liveCluster(clusters), applications);
}

/** Names that are not DNS labels, or taken in the team, go to a namespace named after its id. */
async function createKrak8sNamespace(
  ctx: ResourceContext,
  caller: Caller,
  project: ProjectObject,
  name: string,
): Promise<NamespaceObject> {
  const oid = await freeOid(ctx);
  const fallback = `krak8s-${oid}`;
  let namespace;
  try {
    namespace = await createNamespace(ctx, caller, project.team.id, Value.Check(NamespaceName, name) ? name : fallback);
  } catch (error) {
    if (!(error instanceof DomainError && error.code === 'conflict') || name === fallback) throw error;
    namespace = await createNamespace(ctx, caller, project.team.id, fallback);
  }
  const wireName = namespace.name === name ? null : name;
  const recorded = await recordOid(ctx, oid, {
    type: 'namespace',
    objectId: namespace.id,
    teamId: namespace.teamId,
    name: wireName,
  });
  return {
    id: {
      oid: recorded,
      objectId: namespace.id,
      type: 'namespace',
      teamId: namespace.teamId,
      name: wireName,
      extra: {},
      hidden: false,
    },
    namespace,
  };
}

export const namespaceRoutes: Krak8sRoutes = (app, ctx) => {
  app.get(
    '/v1/projects/:projectid/namespaces',
    {
      schema: {
        tags,
        summary: 'list namespace',
        params: ProjectParams,
        response: { 200: Type.Array(Namespace), ...responses.notFound },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const { projectid } = request.params;
      const namespaces = await listProjectNamespaces(ctx, caller, await findProject(ctx, caller, projectid));
      const views = await Promise.all(namespaces.map((namespace) => showNamespace(ctx, caller, projectid, namespace)));
      return sendGoJson(reply, 200, mediaTypes.namespaces, views);
    },
  );

  app.post(
    '/v1/projects/:projectid/namespaces',
    {
      schema: {
        tags,
        summary: 'create namespace',
        params: ProjectParams,
        body: CreateNamespacePayload,
        response: { 201: Namespace, ...responses.badRequest, ...responses.notFound },
      },
    },
    async (request, reply) => {
      const { name } = decodePayload(CreateNamespacePayload, 'raw', request.body);
      const caller = callerOf(request);
      const project = await findProject(ctx, caller, request.params.projectid);
      const namespace = await createKrak8sNamespace(ctx, caller, project, name);
      return sendGoJson(reply, 201, mediaTypes.namespace, namespaceView(project.id.oid, namespace, undefined, []));
    },
  );

  app.get(
    '/v1/projects/:projectid/namespaces/:namespaceid',
    {
      schema: {
        tags,
        summary: 'get namespace',
        params: NamespaceParams,
        response: { 200: Namespace, ...responses.notFound },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const project = await findProject(ctx, caller, request.params.projectid);
      const namespace = await findNamespace(ctx, caller, request.params.namespaceid);
      if (!inProject(project, namespace)) throw notFound();
      return sendGoJson(reply, 200, mediaTypes.namespace, await showNamespace(ctx, caller, project.id.oid, namespace));
    },
  );

  app.delete(
    '/v1/projects/:projectid/namespaces/:namespaceid',
    {
      schema: {
        tags,
        summary: 'delete namespace with its cluster and applications',
        params: NamespaceParams,
        response: { ...responses.noContent, ...responses.badRequest, ...responses.notFound },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const project = await findProject(ctx, caller, request.params.projectid);
      const namespace = await findNamespace(ctx, caller, request.params.namespaceid);
      requireInProject(project, namespace, 'Namespace');
      await deleteNamespace(ctx, caller, project.team.id, namespace.namespace.id);
      return sendNoContent(reply);
    },
  );
};
