// A stored resource row as the API shows it: the one place its JSON columns are parsed into a Resource.
import type { ResourceRow } from '../store/resources.ts';
import type { State } from '../domain/states.ts';
import type { Resource, ResourceStatus } from './models.ts';

/** The status columns a row stores beside its state. */
export type StoredStatus = Omit<ResourceStatus, 'state'>;

export function toResource(row: ResourceRow): Resource {
  const status = JSON.parse(row.status) as StoredStatus;
  return {
    metadata: {
      id: row.id,
      kind: row.kind,
      name: row.name,
      team: row.team_id,
      namespace: row.namespace_id,
      parent: row.parent_id,
      labels: JSON.parse(row.labels),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      createdBy: row.created_by,
      generation: row.generation,
      resourceVersion: String(row.resource_version),
      deletionRequestedAt: row.deletion_requested_at,
    },
    spec: JSON.parse(row.spec),
    status: { state: row.state as State, ...status },
  };
}
