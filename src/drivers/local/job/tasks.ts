// The processes of a job: one per instance, or one per rank of each instance for MPI; their keys, names and env.
import path from 'node:path';
import type { LaunchSpec } from '../processes/supervisor.ts';
import { containerCommand } from '../containers/container.ts';
import type { JobPaths } from './files.ts';
import type { JobRecord } from './record.ts';

export interface Task {
  key: string;
  /** `i<instance>`, or `i<instance>-r<rank>`: how logs and messages name it. */
  name: string;
  instance: number;
  rank: number;
}

/** Keys are `<jobId>/i<k>`, or `<jobId>/i<k>/r<j>` for ranks, so a key alone tells which job it is for. */
export const jobTasks = (record: JobRecord): Task[][] =>
  Array.from({ length: record.instances }, (_, instance) =>
    Array.from({ length: record.ranks }, (_, rank) =>
      record.mpi
        ? { key: `${record.jobId}/i${instance}/r${rank}`, name: `i${instance}-r${rank}`, instance, rank }
        : { key: `${record.jobId}/i${instance}`, name: `i${instance}`, instance, rank },
    ),
  );

export const jobIdOfKey = (key: string): string => key.slice(0, key.indexOf('/'));

/** Ranks are local processes that get the usual MPI rank/size variables; there is no MPI wire-up between them. */
const taskEnv = (record: JobRecord, task: Task): Record<string, string> => {
  const rankEnv: Record<string, string> = record.mpi
    ? {
        OMPI_COMM_WORLD_RANK: String(task.rank),
        OMPI_COMM_WORLD_SIZE: String(record.ranks),
        OMPI_COMM_WORLD_LOCAL_RANK: String(task.rank),
        OMPI_COMM_WORLD_LOCAL_SIZE: String(record.ranks),
        PMI_RANK: String(task.rank),
        PMI_SIZE: String(record.ranks),
        CLOUDPLANE_RANK: String(task.rank),
        CLOUDPLANE_SIZE: String(record.ranks),
      }
    : {};
  return {
    ...record.env,
    CLOUDPLANE_JOB_ID: record.jobId,
    CLOUDPLANE_INSTANCE_INDEX: String(task.instance),
    CLOUDPLANE_INSTANCE_COUNT: String(record.instances),
    ...rankEnv,
  };
};

export const taskLaunchSpec = (record: JobRecord, task: Task, paths: JobPaths): LaunchSpec => {
  const env = taskEnv(record, task);
  return {
    key: task.key,
    command: containerCommand(record.container, record.argv, env, paths.work),
    cwd: paths.work,
    env,
    timeoutSeconds: record.timeoutSeconds,
    limits: record.limits,
    stdoutPath: path.join(paths.logs, `${task.name}.stdout`),
    stderrPath: path.join(paths.logs, `${task.name}.stderr`),
  };
};
