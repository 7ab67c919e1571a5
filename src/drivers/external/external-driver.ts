// The external driver: an agent owns the object (as ~okeanos service VMs own lambda instances) and
// reports its status through the API; the engine only records intent and validates what is reported.
import type { Driver, DriverResource, KindDriver, Observation } from '../driver.ts';

const waiting = (resource: DriverResource, message: string): Observation => ({ state: resource.state, message });

const agentOwned: KindDriver = {
  apply: async (resource) =>
    waiting(
      resource,
      resource.state === 'pending' ? 'waiting for its agent to report' : 'spec change recorded; waiting for its agent',
    ),
  // A finished job does not run again on its agent's word (see reportedTransitions): a restart makes it pending.
  act: async (resource, action) =>
    action === 'restart' && resource.state === 'succeeded'
      ? { state: 'pending', message: 'restart requested; waiting for its agent' }
      : waiting(resource, `${action} requested; waiting for its agent`),
  remove: async () => {},
  observe: async (resource) => waiting(resource, 'owned by its agent'),
};

export function createExternalDriver(): Driver {
  return {
    name: 'external',
    changesOnlyWhenTold: true,
    forKind: () => agentOwned,
    start: async () => {},
    stop: async () => {},
  };
}
