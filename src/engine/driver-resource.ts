// Turns a stored resource into what a driver sees.
import type { DriverResource } from '../drivers/driver.ts';
import type { StoredStatus } from '../resources/resource-row.ts';
import type { State } from '../domain/states.ts';
import type { ResourceRow } from '../store/resources.ts';

export function toDriverResource(row: ResourceRow): DriverResource {
  const status = JSON.parse(row.status) as StoredStatus;
  return {
    id: row.id,
    teamId: row.team_id,
    kind: row.kind,
    name: row.name,
    generation: row.generation,
    spec: JSON.parse(row.spec),
    labels: JSON.parse(row.labels),
    parentId: row.parent_id,
    state: row.state as State,
    details: status.details,
  };
}
