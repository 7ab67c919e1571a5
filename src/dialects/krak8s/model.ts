// krak8s objects found through the core services, always as the caller sees them: a project is a
// team the caller is in, and what is being deleted with its project or namespace is already gone.
import type { Caller } from '../../domain/caller.ts';
import { standingStates } from '../../domain/states.ts';
import type { Namespace, Team } from '../../identity/models.ts';
import { getNamespace, getTeam, listNamespaces, listTeams } from '../../resources/containers.ts';
import type { Resource } from '../../resources/models.ts';
import { getResource, listResources } from '../../resources/resources.ts';
import type { ResourceContext } from '../../resources/context.ts';
import { badRequest, notFound } from './errors.ts';
import { findOid, idsOf, type Krak8sId, type Krak8sType } from './ids.ts';

export interface ProjectObject {
  id: Krak8sId;
  team: Team;
}
export interface NamespaceObject {
  id: Krak8sId;
  namespace: Namespace;
}
export interface ResourceObject {
  id: Krak8sId;
  resource: Resource;
}

const pageSize = 500;

async function everyPage<T extends { id: string }>(page: (after: string | undefined) => Promise<T[]>): Promise<T[]> {
  const all: T[] = [];
  for (let rows = await page(undefined); ; rows = await page(rows[rows.length - 1].id)) {
    all.push(...rows);
    if (rows.length < pageSize) return all;
  }
}

export async function listProjects(ctx: ResourceContext, caller: Caller): Promise<ProjectObject[]> {
  const teams = (await everyPage((after) => listTeams(ctx, caller, after, pageSize))).filter(
    (team) => !team.deletionRequestedAt,
  );
  const ids = await idsOf(
    ctx,
    'project',
    teams.map((team) => ({ id: team.id, teamId: team.id })),
  );
  return teams.map((team) => ({ id: ids.get(team.id)!, team }));
}

async function findId(ctx: ResourceContext, oid: string, type: Krak8sType): Promise<Krak8sId> {
  const id = await findOid(ctx, oid);
  if (!id || id.type !== type || id.hidden) throw notFound();
  return id;
}

/** A core "not found" (a team the caller is not in) becomes krak8s's bare 404 in the error handler. */
export async function findProject(ctx: ResourceContext, caller: Caller, oid: string): Promise<ProjectObject> {
  const id = await findId(ctx, oid, 'project');
  const team = await getTeam(ctx, caller, id.teamId);
  if (team.deletionRequestedAt) throw notFound();
  return { id, team };
}

export async function listProjectNamespaces(
  ctx: ResourceContext,
  caller: Caller,
  project: ProjectObject,
): Promise<NamespaceObject[]> {
  const namespaces = (await listNamespaces(ctx, caller, project.team.id)).filter(
    (namespace) => !namespace.deletionRequestedAt,
  );
  const ids = await idsOf(
    ctx,
    'namespace',
    namespaces.map((namespace) => ({ id: namespace.id, teamId: namespace.teamId })),
  );
  return namespaces.map((namespace) => ({ id: ids.get(namespace.id)!, namespace }));
}

/** A namespace in any project the caller can see (the routes decide what another project means). */
export async function findNamespace(ctx: ResourceContext, caller: Caller, oid: string): Promise<NamespaceObject> {
  const id = await findId(ctx, oid, 'namespace');
  const namespace = await getNamespace(ctx, caller, id.teamId, id.objectId);
  if (namespace.deletionRequestedAt) throw notFound();
  return { id, namespace };
}

/** Clusters or applications of a namespace, oldest first, deleted ones included, those krak8s deleted left out. */
export async function listNamespaceResources(
  ctx: ResourceContext,
  caller: Caller,
  namespace: Namespace,
  kind: 'cluster' | 'application',
): Promise<ResourceObject[]> {
  const resources = await everyPage(async (after) =>
    (
      await listResources(ctx, caller, namespace.teamId, {
        kind,
        namespace: namespace.id,
        includeDeleted: true,
        after,
        limit: pageSize,
      })
    ).map((resource) => ({
      id: resource.metadata.id,
      resource,
    })),
  );
  const ids = await idsOf(
    ctx,
    kind,
    resources.map(({ resource }) => ({ id: resource.metadata.id, teamId: resource.metadata.team })),
  );
  return resources
    .map(({ resource }) => ({ id: ids.get(resource.metadata.id)!, resource }))
    .filter((object) => !object.id.hidden);
}

/** A cluster or application the caller can see, while its namespace is there. */
export async function findResource(
  ctx: ResourceContext,
  caller: Caller,
  oid: string,
  kind: 'cluster' | 'application',
): Promise<ResourceObject & { namespace: NamespaceObject }> {
  const id = await findId(ctx, oid, kind);
  const resource = await getResource(ctx, caller, id.teamId, id.objectId);
  if (!resource.metadata.namespace) throw notFound();
  const namespaceId = (await idsOf(ctx, 'namespace', [{ id: resource.metadata.namespace, teamId: id.teamId }])).get(
    resource.metadata.namespace,
  )!;
  return { id, resource, namespace: await findNamespace(ctx, caller, namespaceId.oid) };
}

export const isLive = (resource: Resource): boolean => standingStates.includes(resource.status.state);

/** krak8s's one cluster per namespace: the one not being deleted, if any. */
export const liveCluster = (clusters: ResourceObject[]): ResourceObject | undefined =>
  clusters.find((cluster) => isLive(cluster.resource));

export const inProject = (project: ProjectObject, namespace: NamespaceObject) =>
  namespace.namespace.teamId === project.team.id;

/** A namespace of another of the caller's projects: the original's 400 where it checked membership. */
export function requireInProject(project: ProjectObject, namespace: NamespaceObject, what: string) {
  if (!inProject(project, namespace)) throw badRequest(`Invalid ${what} Object ID specified in request`);
}
