// Core objects shaped as krak8s's media types (goa's default views, keys in goa's order).
import { goJsonTime, goZeroTime } from './go-time.ts';
import type { NamespaceObject, ProjectObject, ResourceObject } from './model.ts';
import { applicationStatus, clusterState } from './states.ts';
import type { Application, Cluster, Namespace, Project, Ref } from './wire.ts';

const refList = (refs: Ref[]): Ref[] | null => (refs.length > 0 ? refs : null);

const projectUrl = (pid: string) => `/v1/projects/${pid}`;
const ref = (pid: string, collection: 'namespaces' | 'cluster' | 'applications', oid: string): Ref => ({
  oid,
  url: `${projectUrl(pid)}/${collection}/${oid}`,
});

export function projectView(project: ProjectObject, namespaces: NamespaceObject[]): Project {
  return {
    created_at: goJsonTime(project.team.createdAt),
    id: project.id.oid,
    name: project.id.name ?? project.team.name,
    namespaces: refList(namespaces.map((namespace) => ref(project.id.oid, 'namespaces', namespace.id.oid))),
    type: 'project',
  };
}

export function namespaceView(
  pid: string,
  namespace: NamespaceObject,
  cluster: ResourceObject | undefined,
  applications: ResourceObject[],
): Namespace {
  return {
    applications: refList(applications.map((application) => ref(pid, 'applications', application.id.oid))),
    created_at: goJsonTime(namespace.namespace.createdAt),
    id: namespace.id.oid,
    name: namespace.id.name ?? namespace.namespace.name,
    resources: cluster ? ref(pid, 'cluster', cluster.id.oid) : null,
    type: 'namespace',
  };
}

/** updated_at stays Go's zero time until work on the cluster has started, as in the original. */
export function clusterView(cluster: ResourceObject, namespaceOid: string): Cluster {
  const { metadata, spec, status } = cluster.resource;
  return {
    created_at: goJsonTime(metadata.createdAt),
    id: cluster.id.oid,
    namespace_id: namespaceOid,
    nodePoolSize: spec.nodePoolSize as number,
    state: clusterState(cluster.resource),
    type: 'Resource',
    updated_at: status.state === 'pending' ? goZeroTime : goJsonTime(metadata.updatedAt),
  };
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

export function applicationView(application: ResourceObject, namespaceOid: string): Application {
  const { metadata, spec } = application.resource;
  const { extra } = application.id;
  const values = spec.values as Record<string, unknown> | undefined;
  return {
    channel: text(spec.channel),
    config: text(spec.set),
    created_at: goJsonTime(metadata.createdAt),
    deployment_name: text(spec.deploymentName),
    id: application.id.oid,
    json_values: extra.json_values ?? (values && Object.keys(values).length > 0 ? JSON.stringify(values) : ''),
    name: text(spec.chart),
    namespace_id: namespaceOid,
    registry: text(spec.registry),
    server: text(spec.server),
    status: applicationStatus(application.resource),
    type: 'application',
    updated_at: goJsonTime(metadata.updatedAt),
    username: extra.username ?? '',
    version: text(spec.version),
  };
}
