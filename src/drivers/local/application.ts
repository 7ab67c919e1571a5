// Applications on the local driver: the spec's command run as one supervised process per replica, each
// replica taking one slot of the parent cluster.
import type { Static } from '@sinclair/typebox';
import type { applicationKind } from '../../resources/kinds/application.ts';
import { PermanentDriverError, type DriverHost, type DriverResource, type KindDriver } from '../driver.ts';
import type { ProcessSupervisor } from './processes/supervisor.ts';
import { readCluster, usedSlots, type ApplicationFacts } from './cluster-slots.ts';
import { createKeyedQueue } from './keyed-queue.ts';
import { limitsFor, processEnv } from './launch-settings.ts';
import { createProcessKindDriver } from './process-kind-driver.ts';
import { fingerprintOf, hasEnded } from './resource-processes.ts';

type ApplicationSpec = Static<typeof applicationKind.spec>;

export interface LocalApplicationOptions {
  /** The local driver's state directory, the same as the cluster driver's: application records go under `application/`. */
  stateDir: string;
}

const replicaOf = (key: string) => key.slice(key.lastIndexOf('/r') + 2);

export function createLocalApplicationDriver(
  host: DriverHost,
  supervisor: ProcessSupervisor,
  options: LocalApplicationOptions,
): KindDriver {
  /** Throws a retryable error while the cluster is not set up, and a permanent one when it is full. */
  const ensureRoom = async (application: DriverResource, clusterId: string, replicas: number) => {
    const cluster = await readCluster(options.stateDir, clusterId);
    if (!cluster) throw new Error(`cluster ${clusterId} is not active yet (not set up by the local driver)`);
    const free = cluster.capacity - (await usedSlots(host, options.stateDir, clusterId, application.id));
    if (replicas > free) {
      throw new PermanentDriverError(
        `cluster ${cluster.name} has no room: needs ${replicas} slots, ${free} free of ${cluster.capacity}`,
      );
    }
  };

  const base = createProcessKindDriver<ApplicationFacts>(host, supervisor, options.stateDir, {
    kind: 'application',
    plan: async (application, { workdir }) => {
      const spec = application.spec as ApplicationSpec;
      if (!spec.command)
        throw new PermanentDriverError(
          `the local driver runs an application's command; this one has none (chart ${spec.chart})`,
        );
      const clusterId = application.parentId;
      if (!clusterId) throw new PermanentDriverError('an application runs inside a cluster; this one has none');
      await ensureRoom(application, clusterId, spec.replicas);
      const processes = Array.from({ length: spec.replicas }, (_, replica) => {
        const launch = {
          key: `${application.id}/r${replica}`,
          command: spec.command as string[],
          cwd: workdir,
          env: processEnv({
            CLOUDPLANE_APPLICATION: application.id,
            CLOUDPLANE_CLUSTER: clusterId,
            CLOUDPLANE_REPLICA: String(replica),
          }),
          limits: limitsFor(spec.cpus, spec.memoryMiB),
        };
        return { spec: launch, fingerprint: fingerprintOf(launch) };
      });
      return { processes, facts: { clusterId, replicas: spec.replicas } };
    },
    details: (_application, view) => ({
      cluster: view.record.facts.clusterId,
      replicas: view.processes.map(({ key, status }) => ({
        replica: Number(replicaOf(key)),
        pid: hasEnded(status) ? null : (status?.pid ?? null),
        state: status?.state ?? 'gone',
      })),
    }),
    describe: (key) => `replica ${replicaOf(key)}: `,
  });

  // Placements in one cluster go one at a time, so two applications never both take the last free slots.
  const clusterQueue = createKeyedQueue();
  const inCluster = <T>(application: DriverResource, work: () => Promise<T>) =>
    clusterQueue.run(application.parentId ?? '', work);

  return {
    apply: (application) => inCluster(application, () => base.apply(application)),
    act: (application, action) => inCluster(application, () => base.act(application, action)),
    remove: base.remove,
    observe: base.observe,
  };
}
