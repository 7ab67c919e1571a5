// A service as the director's Service.to_dict() shows it, and our states in ConPaaS's words.
import type { Resource } from '../../resources/models.ts';
import type { State } from '../../domain/states.ts';
import type { ServiceDict } from './wire.ts';

/** ConPaaS manager states: INIT, PROLOGUE, RUNNING, ADAPTING, EPILOGUE, STOPPED, ERROR. */
export const conpaasStates: Record<State, string> = {
  pending: 'INIT',
  provisioning: 'PROLOGUE',
  active: 'RUNNING',
  stopped: 'STOPPED',
  suspended: 'STOPPED',
  succeeded: 'STOPPED',
  failed: 'ERROR',
  deleting: 'EPILOGUE',
  deleted: 'STOPPED',
};

interface ServiceSpec {
  type: string;
  displayName: string;
  cloud: string;
}

/** The director's default name; galera was shown as MySQL. */
export const defaultServiceName = (type: string) => (type === 'galera' ? 'New MySQL service' : `New ${type} service`);

/** `manager` is the address the driver reports once the service runs (null before); `vmid` is the resource id. */
export function serviceDict(resource: Resource, sid: number, uid: number): ServiceDict {
  const spec = resource.spec as unknown as ServiceSpec;
  const address = resource.status.details.address;
  return {
    sid,
    name: spec.displayName || resource.metadata.name,
    type: spec.type,
    state: conpaasStates[resource.status.state],
    created: resource.metadata.createdAt,
    manager: typeof address === 'string' ? address : null,
    vmid: resource.metadata.id,
    cloud: spec.cloud,
    user_id: uid,
  };
}
