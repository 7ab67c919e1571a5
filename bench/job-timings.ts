// Where each job's time went, from server-side timestamps only: the resource and its event (API), the job's
// directory and the launcher's process records (state directory). File times use the kernel's coarse clock.
import { statSync } from 'node:fs';
import { jobPaths } from '../src/drivers/local/job/files.ts';
import { recordPaths } from '../src/drivers/local/processes/paths.ts';
import { readJson } from '../src/drivers/local/processes/records.ts';
import type { ExitRecord, SpecRecord } from '../src/drivers/local/processes/records.ts';
import { call } from './fixtures.ts';
import type { CreatedJob } from './job-load.ts';

/** The phases of one job in ms; all but `runtime` add up to its overhead. */
export interface JobPhases {
  /** Created → the driver made the job's directory: the operation's queue wait and claim. */
  queued: number;
  /** Directory made → the launch was claimed: working directory and job record. */
  prepared: number;
  /** Launch claimed → the command runs: the request to the launcher and its fork and exec. */
  launched: number;
  /** Running → exit recorded by the launcher: the command's own runtime. */
  runtime: number;
  /** Exit recorded → succeeded written: the exit watcher noticing it, the driver and the status write. */
  reported: number;
  /** (succeeded − created) − runtime. */
  overhead: number;
  /** The overhead without the queue wait: what one job costs once a worker has it, however long the queue. */
  afterClaim: number;
  /** Created → the apply operation settled (the engine worker was busy with it until then). */
  operationSettled: number;
}

export const phaseNames = [
  'queued',
  'prepared',
  'launched',
  'runtime',
  'reported',
  'overhead',
  'afterClaim',
  'operationSettled',
] as const;

const ms = (iso: string) => Date.parse(iso);

async function settledAt(url: string, token: string, team: string, id: string): Promise<number> {
  const { items } = (await call(url, `/api/v1/teams/${team}/resources/${id}/operations`, { method: 'GET', token })) as {
    items: { type: string; updatedAt: string }[];
  };
  return ms(items.find((operation) => operation.type === 'apply')!.updatedAt);
}

/** Undefined for a job that did not end, or whose records are missing. */
async function phasesOf(
  api: { url: string; token: string; team: string },
  stateDir: string,
  job: CreatedJob,
): Promise<JobPhases | undefined> {
  if (!job.endedAt) return undefined;
  const process = recordPaths(`${stateDir}/processes`, `${job.id}/i0`);
  const spec = readJson<SpecRecord>(process.spec);
  const exit = readJson<ExitRecord>(process.exit);
  if (!spec || !exit) return undefined;
  const created = ms(job.createdAt);
  const directoryMade = statSync(jobPaths(`${stateDir}/jobs`, job.id).root).birthtimeMs;
  const spawned = statSync(process.child).mtimeMs;
  const exited = ms(exit.finishedAt);
  const ended = ms(job.endedAt);
  const runtime = exited - spawned;
  return {
    queued: directoryMade - created,
    prepared: ms(spec.startedAt) - directoryMade,
    launched: spawned - ms(spec.startedAt),
    runtime,
    reported: ended - exited,
    overhead: ended - created - runtime,
    afterClaim: ended - directoryMade - runtime,
    operationSettled: (await settledAt(api.url, api.token, api.team, job.id)) - created,
  };
}

export async function jobPhases(
  api: { url: string; token: string; team: string },
  stateDir: string,
  jobs: CreatedJob[],
): Promise<JobPhases[]> {
  const phases: (JobPhases | undefined)[] = [];
  // A few reads at a time: the operations lookups are API calls.
  for (let i = 0; i < jobs.length; i += 20) {
    phases.push(...(await Promise.all(jobs.slice(i, i + 20).map((job) => phasesOf(api, stateDir, job)))));
  }
  return phases.filter((p) => p !== undefined);
}

export interface Summary {
  mean: number;
  p50: number;
  p99: number;
  max: number;
}

export function summarize(values: number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
  const mean = sorted.reduce((sum, v) => sum + v, 0) / sorted.length;
  return { mean, p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] ?? NaN };
}
