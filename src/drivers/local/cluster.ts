// Clusters on the local driver: a pool of nodePoolSize capacity slots that its applications' replicas take; no process.
import type { Static } from '@sinclair/typebox';
import type { clusterKind } from '../../resources/kinds/cluster.ts';
import {
  PermanentDriverError,
  type DriverHost,
  type DriverResource,
  type KindDriver,
  type Observation,
} from '../driver.ts';
import type { ProcessSupervisor } from './processes/supervisor.ts';
import { clusterFiles, readCluster, usedSlots } from './cluster-slots.ts';
import { removeResourceFiles, writeRecord } from './resource-files.ts';

type ClusterSpec = Static<typeof clusterKind.spec>;

export interface LocalClusterOptions {
  /** The local driver's state directory; cluster records go under `cluster/`, where applications read them. */
  stateDir: string;
}

// The supervisor is unused: a cluster has no process; it is taken so every local kind is built alike.
export function createLocalClusterDriver(
  host: DriverHost,
  _supervisor: ProcessSupervisor,
  options: LocalClusterOptions,
): KindDriver {
  const observation = (capacity: number, used: number): Observation => ({
    state: 'active',
    message: `${used} of ${capacity} slots used`,
    details: { capacity, used, free: capacity - used },
  });

  const apply = async (cluster: DriverResource): Promise<Observation> => {
    const capacity = (cluster.spec as ClusterSpec).nodePoolSize;
    const used = await usedSlots(host, options.stateDir, cluster.id);
    if (capacity < used) {
      throw new PermanentDriverError(
        `cluster ${cluster.name} cannot shrink to ${capacity} nodes: its applications use ${used} slots; scale them down or delete some first`,
      );
    }
    await writeRecord(clusterFiles(options.stateDir, cluster.id), { name: cluster.name, capacity });
    return observation(capacity, used);
  };

  return {
    apply,
    act: async (cluster, action) => {
      throw new PermanentDriverError(`the local driver cannot ${action} a cluster (${cluster.name})`);
    },
    // Only its record: the engine deletes its applications first.
    remove: (cluster) => removeResourceFiles(clusterFiles(options.stateDir, cluster.id)),
    // Bookkeeping: nothing runs that could change by itself (40k clusters swept every 10 s stalled the server).
    changesOnlyWhenTold: true,
    // A cluster is only bookkeeping: one whose record is lost is simply set up again.
    observe: async (cluster) => {
      const record = await readCluster(options.stateDir, cluster.id);
      if (!record) return apply(cluster);
      return observation(record.capacity, await usedSlots(host, options.stateDir, cluster.id));
    },
  };
}
