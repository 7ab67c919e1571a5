// A local cluster's capacity and what its applications hold of it, shared by the cluster and application drivers.
import type { DriverHost } from '../driver.ts';
import { readRecord, resourceFiles } from './resource-files.ts';
import type { ProcessRecord } from './resource-processes.ts';

/** Written by the cluster driver once the cluster is set up; its absence means it is not (yet). */
export interface ClusterRecord {
  name: string;
  capacity: number;
}

/** What the application driver records about a placed application. */
export interface ApplicationFacts {
  clusterId: string;
  replicas: number;
}

export const clusterFiles = (stateDir: string, clusterId: string) => resourceFiles(stateDir, 'cluster', clusterId);

export const applicationFiles = (stateDir: string, applicationId: string) =>
  resourceFiles(stateDir, 'application', applicationId);

export const readCluster = (stateDir: string, clusterId: string) =>
  readRecord<ClusterRecord>(clusterFiles(stateDir, clusterId));

/**
 * Slots held by the cluster's applications (but one): the replicas the driver has placed, stopped ones
 * included since they may start again. An application not placed yet holds nothing, so two waiting to be
 * placed cannot keep each other out.
 */
export const usedSlots = async (
  host: DriverHost,
  stateDir: string,
  clusterId: string,
  exceptId?: string,
): Promise<number> => {
  const applications = (await host.children(clusterId)).filter(
    (child) => child.kind === 'application' && child.id !== exceptId,
  );
  const records = await Promise.all(
    applications.map((application) =>
      readRecord<ProcessRecord<ApplicationFacts>>(applicationFiles(stateDir, application.id)),
    ),
  );
  return records.reduce((sum, record) => sum + (record?.facts.replicas ?? 0), 0);
};
