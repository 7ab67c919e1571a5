// What the database peers write and answer: the same three rows a cloudplane create writes (resource, its apply
// operation, its resource.created event; src/resources/resources.ts createResource) and the same resource JSON.
// The ids are cloudplane's own time-ordered UUIDv7s: random ids would make every insert's index write costlier.
import { newId, nowIso } from '../../src/lib/ids.ts';

export interface PeerDatabaseSettings {
  /** The team and user the rows belong to (the fixture's, so the foreign keys hold). */
  teamId: string;
  userId: string;
}

type Row = Record<string, unknown>;

export const resourceColumns = [
  'id',
  'team_id',
  'namespace_id',
  'kind',
  'name',
  'parent_id',
  'labels',
  'spec',
  'state',
  'status',
  'generation',
  'resource_version',
  'created_by',
  'created_at',
  'updated_at',
  'deletion_requested_at',
  'driver',
] as const;
export const operationColumns = [
  'id',
  'resource_id',
  'team_id',
  'type',
  'action',
  'generation',
  'state',
  'attempts',
  'run_after',
  'lease_owner',
  'lease_expires_at',
  'last_error',
  'created_at',
  'updated_at',
] as const;
export const eventColumns = ['at', 'actor_id', 'team_id', 'type', 'object_kind', 'object_id', 'data'] as const;

const status = JSON.stringify({
  message: 'waiting to be provisioned',
  conditions: [],
  observedGeneration: 0,
  details: {},
});

/** The three rows' values, in the column orders above. */
export function newRows(settings: PeerDatabaseSettings, body: Row) {
  const at = nowIso();
  const id = newId();
  const spec = body.spec ?? {};
  const resource = {
    id,
    team_id: settings.teamId,
    namespace_id: null,
    kind: String(body.kind),
    name: String(body.name),
    parent_id: null,
    labels: JSON.stringify(body.labels ?? {}),
    spec: JSON.stringify(spec),
    state: 'pending',
    status,
    generation: 1,
    resource_version: 1,
    created_by: settings.userId,
    created_at: at,
    updated_at: at,
    deletion_requested_at: null,
    driver: 'local',
  };
  const operation = [newId(), id, settings.teamId, 'apply', null, 1, 'queued', 0, at, null, null, null, at, at];
  const eventData = JSON.stringify({ name: resource.name, state: resource.state, spec });
  const event = [at, settings.userId, settings.teamId, 'resource.created', resource.kind, id, eventData];
  return { resource, values: { resource: resourceColumns.map((c) => resource[c]), operation, event } };
}

/**
 * A resource row as the API shows it: three JSON columns parsed. A copy of cloudplane's toResource (src/resources/resource-row.ts), not an import:
 * the reference must stay the naive handler when cloudplane's own rendering gets faster.
 */
export function toJson(row: Row) {
  return {
    metadata: {
      id: row.id,
      kind: row.kind,
      name: row.name,
      team: row.team_id,
      namespace: row.namespace_id,
      parent: row.parent_id,
      labels: JSON.parse(row.labels as string),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      createdBy: row.created_by,
      generation: row.generation,
      resourceVersion: String(row.resource_version),
      deletionRequestedAt: row.deletion_requested_at,
    },
    spec: JSON.parse(row.spec as string),
    status: { state: row.state, ...JSON.parse(row.status as string) },
  };
}

export const placeholders = (count: number, mark: (i: number) => string) =>
  Array.from({ length: count }, (_, i) => mark(i)).join(', ');
