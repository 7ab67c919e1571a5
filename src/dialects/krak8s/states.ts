// Our state words in krak8s's: a cluster's lifecycle state and an application's helm status.
import type { Resource } from '../../resources/models.ts';
import type { State } from '../../domain/states.ts';
import { goJsonTime, goZeroTime } from './go-time.ts';
import type { Application, Cluster } from './wire.ts';

// stopped, suspended and succeeded are not cluster states; they read as what is closest.
const clusterStates: Record<State, Cluster['state']> = {
  pending: 'create_requested',
  provisioning: 'starting',
  active: 'active',
  stopped: 'active',
  suspended: 'active',
  succeeded: 'active',
  failed: 'error_starting',
  deleting: 'deleting',
  deleted: 'deleted',
};

export function clusterState(resource: Resource): Cluster['state'] {
  if (resource.status.state === 'failed' && resource.metadata.deletionRequestedAt) return 'error_deleting';
  return clusterStates[resource.status.state];
}

const applicationStates: Record<State, Application['status']['state']> = {
  pending: 'UNKNOWN',
  provisioning: 'UNKNOWN',
  active: 'DEPLOYED',
  stopped: 'UNKNOWN',
  suspended: 'UNKNOWN',
  succeeded: 'UNKNOWN',
  failed: 'FAILED',
  deleting: 'DELETING',
  deleted: 'DELETED',
};

/** deployed_at is the zero time until the application is deployed (or removed), as the original's runner set it. */
export function applicationStatus(resource: Resource): Application['status'] {
  const state = applicationStates[resource.status.state];
  const deployedAt = state === 'DEPLOYED' || state === 'DELETED' ? goJsonTime(resource.metadata.updatedAt) : goZeroTime;
  return { deployed_at: deployedAt, state };
}
