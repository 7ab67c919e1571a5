// A real Slurm cluster for the slurm driver tests (CLOUDPLANE_TEST_SLURM_CONF, set from .ci/start-slurm.sh), and a host that records reports.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import pino from 'pino';
import type { DriverHost, DriverResource, Observation } from '../../src/drivers/driver.ts';

const run = promisify(execFile);

/** The environment for Slurm's commands, or undefined when no cluster was given (never in CI: there the tests must run). */
export function slurmEnvironment(): NodeJS.ProcessEnv | undefined {
  const conf = process.env.CLOUDPLANE_TEST_SLURM_CONF;
  if (!conf && process.env.CI)
    throw new Error(
      'CI must set CLOUDPLANE_TEST_SLURM_CONF (from .ci/start-slurm.sh): Slurm tests may not be skipped there',
    );
  return conf ? { ...process.env, SLURM_CONF: conf } : undefined;
}

export const noSlurm = 'no Slurm: start one with `eval "$(bash .ci/start-slurm.sh)"` (sets CLOUDPLANE_TEST_SLURM_CONF)';

/** A DriverHost that keeps every report in memory and lets a test wait for one. */
export interface RecordingHost extends DriverHost {
  reports: { resourceId: string; observation: Observation }[];
  /** The first report for this resource matching `accept`; fails after `timeoutMs`. */
  waitForReport(
    resourceId: string,
    accept: (observation: Observation) => boolean,
    timeoutMs?: number,
  ): Promise<Observation>;
}

export function recordingHost(stateDir: string): RecordingHost {
  const reports: RecordingHost['reports'] = [];
  const waiters = new Set<() => void>();
  const find = (resourceId: string, accept: (observation: Observation) => boolean) =>
    reports.find((report) => report.resourceId === resourceId && accept(report.observation))?.observation;
  return {
    reports,
    stateDir,
    log: pino({ level: 'silent' }),
    async report(resourceId, observation) {
      reports.push({ resourceId, observation });
      for (const wake of waiters) wake();
    },
    async children() {
      return [];
    },
    waitForReport(resourceId, accept, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = find(resourceId, accept);
          if (found === undefined) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(`no matching report for ${resourceId} within ${timeoutMs} ms; got ${JSON.stringify(reports)}`),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}

export const ended = (observation: Observation): boolean =>
  ['succeeded', 'failed', 'stopped'].includes(observation.state);

/** A job resource as the engine would pass it: spec validated and defaulted. */
function jobResource(spec: Record<string, unknown>): DriverResource {
  const defaults = {
    nodes: 1,
    cpus: 1,
    memory: 1,
    disk: 10,
    inputs: [],
    outputFiles: [],
    outputDirs: [],
    artifacts: [],
    env: [],
    type: 'basic',
    instances: 1,
  };
  return {
    id: `job-${randomUUID().slice(0, 8)}`,
    teamId: 'team-1',
    kind: 'job',
    name: 'test-job',
    generation: 1,
    spec: { ...defaults, ...spec },
    labels: {},
    parentId: null,
    state: 'pending',
    details: {},
  };
}

/** Makes job resources and, at the end, cancels whatever a failed test left running in Slurm. */
export function testJobs(env: NodeJS.ProcessEnv | undefined) {
  const ids: string[] = [];
  return {
    create(spec: Record<string, unknown>): DriverResource {
      const job = jobResource(spec);
      ids.push(job.id);
      return job;
    },
    async cancelAll(): Promise<void> {
      for (const id of ids) await run('scancel', ['--name', `cloudplane-${id}`], { env });
    },
  };
}

/** `scontrol show job` as key=value pairs (one map per array task), for checking what Slurm was asked. */
export async function scontrolShowJob(env: NodeJS.ProcessEnv, slurmJobId: number): Promise<Record<string, string>[]> {
  const { stdout } = await run('scontrol', ['--oneliner', 'show', 'job', String(slurmJobId)], { env });
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) =>
      Object.fromEntries(
        line
          .trim()
          .split(/\s+/)
          .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
      ),
    );
}

/** The Slurm jobs (and array tasks) that carry a name, in any state the controller still remembers. */
export async function slurmJobsNamed(
  env: NodeJS.ProcessEnv,
  name: string,
): Promise<{ job_id: number; job_state: string }[]> {
  const { stdout } = await run('squeue', ['--json'], { env, maxBuffer: 64 * 1024 * 1024 });
  return (JSON.parse(stdout) as { jobs: { name: string; job_id: number; job_state: string }[] }).jobs.filter(
    (job) => job.name === name,
  );
}
