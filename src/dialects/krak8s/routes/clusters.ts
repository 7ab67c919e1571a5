// /v1/projects/{projectid}/cluster: one cluster per namespace, created after the namespace.
import { callerOf } from '../../../api/auth.ts';
import type { Caller } from '../../../domain/caller.ts';
import { createResource } from '../../../resources/resources.ts';
import type { ResourceContext } from '../../../resources/context.ts';
import { deleteResource } from '../../../resources/deletion.ts';
import { decodePayload } from '../decode.ts';
import { BareStatus, badRequest, notFound } from '../errors.ts';
import { freeOid, recordOidWith } from '../ids.ts';
import { countStandingInNamespace } from '../../../store/resources.ts';
import { lockNamespace } from '../../../store/teams.ts';
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
import { clusterView } from '../views.ts';
import { Cluster, ClusterPostBody } from '../wire.ts';
import { ClusterParams, ProjectParams, responses, tags, type Krak8sRoutes } from './common.ts';

/** The cluster, its krak8s id and the one-cluster rule in one transaction: a crash leaves neither half. */
async function createCluster(
  ctx: ResourceContext,
  caller: Caller,
  project: ProjectObject,
  namespace: NamespaceObject,
  nodePoolSize: number,
) {
  const oid = await freeOid(ctx);
  const namespaceId = namespace.namespace.id;
  const resource = await createResource(ctx, caller, project.team.id, {
    kind: 'cluster',
    name: `cluster-${oid}`,
    namespace: namespaceId,
    spec: { nodePoolSize },
    hooks: {
      async afterCreate(db, row) {
        // Checked again under the namespace's lock: two creates at once must not both pass the route's check.
        await lockNamespace(db, namespaceId);
        if ((await countStandingInNamespace(db, namespaceId, 'cluster', row.id)) > 0) throw new BareStatus(409);
        await recordOidWith(db, oid, { type: 'cluster', objectId: row.id, teamId: project.team.id });
      },
    },
  });
  return {
    id: {
      oid,
      objectId: resource.metadata.id,
      type: 'cluster' as const,
      teamId: project.team.id,
      name: null,
      extra: {},
      hidden: false,
    },
    resource,
  };
}

export const clusterRoutes: Krak8sRoutes = (app, ctx) => {
  app.post(
    '/v1/projects/:projectid/cluster',
    {
      schema: {
        operationId: 'createProjectCluster',
        tags,
        summary: 'create cluster: 404 until the namespace exists, 409 while it has one',
        params: ProjectParams,
        body: ClusterPostBody,
        response: { 202: Cluster, ...responses.badRequest, ...responses.notFound, ...responses.conflict },
      },
    },
    async (request, reply) => {
      const body = decodePayload(ClusterPostBody, 'response', request.body);
      const caller = callerOf(request);
      const project = await findProject(ctx, caller, request.params.projectid);
      const namespace = await findNamespace(ctx, caller, body.namespace_id);
      // The original's order: the one-cluster conflict before the project check.
      if (liveCluster(await listNamespaceResources(ctx, caller, namespace.namespace, 'cluster')))
        throw new BareStatus(409);
      requireInProject(project, namespace, 'Namespace');
      const cluster = await createCluster(ctx, caller, project, namespace, body.nodePoolSize);
      return sendGoJson(reply, 202, mediaTypes.cluster, clusterView(cluster, namespace.id.oid));
    },
  );

  app.get(
    '/v1/projects/:projectid/cluster/:resource_id',
    {
      schema: {
        tags,
        summary: 'get cluster',
        params: ClusterParams,
        response: { 200: Cluster, ...responses.notFound },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const project = await findProject(ctx, caller, request.params.projectid);
      const cluster = await findResource(ctx, caller, request.params.resource_id, 'cluster');
      if (!inProject(project, cluster.namespace)) throw notFound();
      return sendGoJson(reply, 200, mediaTypes.cluster, clusterView(cluster, cluster.namespace.id.oid));
    },
  );

  app.delete(
    '/v1/projects/:projectid/cluster/:resource_id',
    {
      schema: {
        tags,
        summary: 'delete cluster (and the applications on it)',
        params: ClusterParams,
        response: { ...responses.noContent, ...responses.badRequest, ...responses.notFound },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const project = await findProject(ctx, caller, request.params.projectid);
      const cluster = await findResource(ctx, caller, request.params.resource_id, 'cluster');
      // The namespace's cluster must be this one: a cluster already being deleted is a 400, as in the original.
      const current = liveCluster(await listNamespaceResources(ctx, caller, cluster.namespace.namespace, 'cluster'));
      if (current?.id.oid !== cluster.id.oid)
        throw badRequest('Invalid Cluster Resource Object ID specified in request');
      requireInProject(project, cluster.namespace, 'Cluster Resource');
      await deleteResource(ctx, caller, project.team.id, cluster.resource.metadata.id);
      return sendNoContent(reply);
    },
  );
};
