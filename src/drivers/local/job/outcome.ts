// Turns the process records of a job's instances into the job's observation: active, succeeded, failed, stopped.
import type { Observation } from '../../driver.ts';
import type { ProcessStatus } from '../processes/supervisor.ts';
import type { JobRecord } from './record.ts';
import type { Task } from './tasks.ts';

/** One instance: its tasks (one, or one per rank) and their records, undefined where not launched. */
export interface Unit {
  tasks: Task[];
  statuses: Array<ProcessStatus | undefined>;
}

export const unitStarted = (unit: Unit): boolean => unit.statuses.some((status) => status !== undefined);
export const unitDone = (unit: Unit): boolean => unit.statuses.every((status) => status?.state === 'exited');

const taskLabel = (record: JobRecord, task: Task): string =>
  record.mpi ? `instance ${task.instance} rank ${task.rank}` : `instance ${task.instance}`;

/** Why a finished task counts as a failure, or undefined when it exited 0. */
const failureOf = (record: JobRecord, task: Task, status: ProcessStatus): string | undefined => {
  const label = taskLabel(record, task);
  if (status.reason === 'timeout') return `${label}: runtime limit of ${record.runtimeMinutes} minutes exceeded`;
  if (status.reason === 'lost') return `${label}: lost (its supervisor ended without recording an exit)`;
  if (status.exitCode === 0) return undefined;
  return status.exitCode !== null
    ? `${label} exited with code ${status.exitCode}`
    : `${label} was killed by ${status.signal}`;
};

/** What was really enforced: the process layer reports its method; cpus need cgroups, disk is never capped. */
const enforcement = (record: JobRecord, units: Unit[]): Record<string, unknown> => {
  const applied = units.flatMap((unit) => unit.statuses).find((status) => status !== undefined)?.enforcement;
  return {
    method: applied?.method ?? 'none',
    container: record.container.kind,
    cpus: { requested: record.limits.cpus, enforced: applied?.cpus !== undefined },
    memoryBytes: { requested: record.limits.memoryBytes, enforced: applied?.memoryBytes !== undefined, per: 'process' },
    runtime: { requestedMinutes: record.runtimeMinutes ?? null, enforced: record.timeoutSeconds !== undefined },
    disk: { enforced: false },
  };
};

const stateAndMessage = (
  record: JobRecord,
  units: Unit[],
  failures: string[],
): Pick<Observation, 'state' | 'message'> => {
  const done = units.filter(unitDone).length;
  if (record.stopped)
    return { state: 'stopped', message: `stopped on request after ${done} of ${record.instances} instances finished` };
  if (done < units.length) {
    const running = units.filter((unit) => unitStarted(unit) && !unitDone(unit)).length;
    return {
      state: 'active',
      message: `${running} running, ${done} finished, ${units.length - done - running} waiting of ${record.instances} instances`,
    };
  }
  if (failures.length > 0) {
    const more = failures.length > 1 ? ` (and ${failures.length - 1} more failures)` : '';
    return { state: 'failed', message: `${failures[0]}${more}` };
  }
  const what = record.mpi
    ? `${record.ranks} ranks of ${record.instances} instance(s)`
    : `${record.instances} instance(s)`;
  return { state: 'succeeded', message: `all ${what} exited with code 0` };
};

export const jobObservation = (record: JobRecord, units: Unit[], workdir: string): Observation => {
  const failures = units.flatMap((unit) =>
    unit.tasks.flatMap((task, i) => {
      const status = unit.statuses[i];
      return status?.state === 'exited' ? (failureOf(record, task, status) ?? []) : [];
    }),
  );
  const done = units.filter(unitDone);
  return {
    ...stateAndMessage(record, units, failures),
    details: {
      workdir,
      instances: {
        total: record.instances,
        running: units.filter((unit) => unitStarted(unit) && !unitDone(unit)).length,
        finished: done.length,
        waiting: units.filter((unit) => !unitStarted(unit)).length,
      },
      failures: failures.slice(0, 20),
      enforcement: enforcement(record, units),
      ...(record.image ? { image: record.image } : {}),
      ...(record.outputs ? { outputs: record.outputs } : {}),
    },
  };
};
