// Where a local job keeps its files (work dir, logs, outputs, its record), and the lookups the API uses on them.
import { cp, lstat, mkdir, readdir, realpath } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { readJson, writeJsonAtomic } from '../processes/records.ts';
import type { JobRecord } from './record.ts';

export interface JobPaths {
  root: string;
  /** The job's working directory: inputs and artifacts land here, and the command runs here. */
  work: string;
  logs: string;
  outputs: string;
  record: string;
}

/** The job's own files stay in work/, apart from logs, outputs and the record, so they can never clash. */
export const jobPaths = (workRoot: string, jobId: string): JobPaths => {
  const root = path.join(workRoot, jobId);
  return {
    root,
    work: path.join(root, 'work'),
    logs: path.join(root, 'logs'),
    outputs: path.join(root, 'outputs'),
    record: path.join(root, 'job.json'),
  };
};

export const readJobRecord = (paths: JobPaths): JobRecord | undefined => readJson<JobRecord>(paths.record);

export const writeJobRecord = (paths: JobPaths, record: JobRecord): void => writeJsonAtomic(paths.record, record);

export interface TaskLogPaths {
  /** `i<instance>`, or `i<instance>-r<rank>` for the ranks of an MPI job. */
  task: string;
  stdout: string;
  stderr: string;
}

/** The log files of every instance (and rank) that has started so far, in instance order. */
export const jobLogPaths = async (workRoot: string, jobId: string): Promise<TaskLogPaths[]> => {
  const { logs } = jobPaths(workRoot, jobId);
  if (!existsSync(logs)) return [];
  const tasks = new Set((await readdir(logs)).map((name) => name.replace(/\.(stdout|stderr)$/, '')));
  const order = (task: string) =>
    task
      .split(/[ir-]+/)
      .filter(Boolean)
      .map(Number);
  return [...tasks]
    .sort((a, b) => order(a)[0] - order(b)[0] || (order(a)[1] ?? 0) - (order(b)[1] ?? 0))
    .map((task) => ({ task, stdout: path.join(logs, `${task}.stdout`), stderr: path.join(logs, `${task}.stderr`) }));
};

/**
 * The collected copy of one declared output; undefined for a name the job did not list in outputFiles or
 * outputDirs (so no other file of the job, or of the host, can be fetched), or one the job did not produce.
 */
export const jobOutputPath = (workRoot: string, jobId: string, name: string): string | undefined => {
  const paths = jobPaths(workRoot, jobId);
  const record = readJobRecord(paths);
  if (!record || ![...record.outputFiles, ...record.outputDirs].includes(name)) return undefined;
  const file = path.join(paths.outputs, name);
  return existsSync(file) ? file : undefined;
};

/** A symbolic link (or a path through one) could point anywhere on the host: such outputs are not collected. */
const insideWork = async (work: string, source: string): Promise<boolean> => {
  if (!existsSync(source) || (await lstat(source)).isSymbolicLink()) return false;
  return (await realpath(source)).startsWith(`${await realpath(work)}${path.sep}`);
};

const notALink = async (source: string): Promise<boolean> => !(await lstat(source)).isSymbolicLink();

/** Copies the declared outputs that exist from work/ to outputs/, and names the ones missing. */
export const collectOutputs = async (
  paths: JobPaths,
  names: string[],
): Promise<{ collected: string[]; missing: string[] }> => {
  const collected: string[] = [];
  const missing: string[] = [];
  for (const name of names) {
    const source = path.join(paths.work, name);
    if (!(await insideWork(paths.work, source))) {
      missing.push(name);
      continue;
    }
    const target = path.join(paths.outputs, name);
    await mkdir(path.dirname(target), { recursive: true });
    await cp(source, target, { recursive: true, filter: notALink });
    collected.push(name);
  }
  return { collected, missing };
};
