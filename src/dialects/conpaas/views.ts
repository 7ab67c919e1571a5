// A service and an application as the director's to_dict() shows them, and our states in ConPaaS's words.
import type { Resource } from '../../resources/models.ts';
import type { State } from '../../domain/states.ts';
import type { ConpaasAppRow } from '../../store/conpaas.ts';
import type { ApplicationDict, ServiceDict, ServiceInApplication } from './wire.ts';

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

export const applicationDict = (app: ConpaasAppRow): ApplicationDict => ({
  aid: app.aid,
  name: app.name,
  uid: app.uid,
  status: app.status,
  manager: null,
  vmid: null,
  cloud: null,
});

/** Master's form: the service's own columns (its address is not among them) beside its application's dict. */
export function inApplication(service: ServiceDict, app: ConpaasAppRow | undefined): ServiceInApplication {
  const { sid, name, type, state, created, cloud } = service;
  return {
    service: { sid, name, type, state, created, cloud, subnet: null, application_id: app?.aid ?? null },
    application: app ? applicationDict(app) : null,
  };
}
