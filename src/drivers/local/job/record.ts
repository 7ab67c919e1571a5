// What the job driver remembers about one job on disk: enough to launch every instance and rank after a
// restart without the resource's spec, and whether it was stopped or has finished.
import type { Static } from '@sinclair/typebox';
import type { jobKind } from '../../../resources/kinds/job.ts';
import { splitCommandLine } from './argv.ts';
import type { Container } from '../containers/container.ts';
import type { ImageContainer } from '../containers/image-container.ts';
import { imageDetails } from '../images/progress.ts';

export type JobSpec = Static<typeof jobKind.spec>;

export interface JobRecord {
  jobId: string;
  /** The user's command as argv, before any container wrapping. */
  argv: string[];
  container: Container;
  /** status.details.image: the image's name and, when pulled, the digest that runs. */
  image?: Record<string, unknown>;
  /** The job's env entries over the PATH/HOME basics; per-task variables are added at launch. */
  env: Record<string, string>;
  instances: number;
  /** Ranks per instance: `nodes` for an MPI (or multi-node) job, else 1 and no rank variables. */
  ranks: number;
  mpi: boolean;
  parallelism: number;
  timeoutSeconds?: number;
  runtimeMinutes?: number;
  limits: { cpus: number; memoryBytes: number };
  outputFiles: string[];
  outputDirs: string[];
  stopped: boolean;
  finishedAt?: string;
  outputs?: { collected: string[]; missing: string[] };
}

const basePath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

const parseEnv = (entries: string[]): Record<string, string> =>
  Object.fromEntries(entries.map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]));

/** What a job's processes are limited to: its cores, and its memory in bytes (spec.memory is in GB). */
export const jobLimits = (spec: Pick<JobSpec, 'cpus' | 'memory'>): JobRecord['limits'] => ({
  cpus: spec.cpus,
  memoryBytes: spec.memory * 1024 ** 3,
});

export const buildJobRecord = (
  jobId: string,
  spec: JobSpec,
  { container, pulled }: ImageContainer,
  home: string,
  secondsPerMinute: number,
): JobRecord => {
  const mpi = spec.type === 'mpi' || spec.nodes > 1;
  // A pulled image brings its own default command (entrypoint and cmd) and environment (its PATH above all).
  const command = spec.cmd === undefined && pulled ? pulled.command : splitCommandLine(spec.cmd ?? '');
  return {
    jobId,
    argv: [...command, ...splitCommandLine(spec.args ?? '')],
    container,
    ...(spec.image !== undefined ? { image: imageDetails(spec.image, pulled) } : {}),
    env: { PATH: basePath, ...pulled?.env, HOME: home, ...parseEnv(spec.env) },
    instances: spec.instances,
    ranks: mpi ? spec.nodes : 1,
    mpi,
    parallelism: spec.parallelism ?? spec.instances,
    timeoutSeconds: spec.runtime === undefined ? undefined : spec.runtime * secondsPerMinute,
    runtimeMinutes: spec.runtime,
    limits: jobLimits(spec),
    outputFiles: spec.outputFiles,
    outputDirs: spec.outputDirs,
    stopped: false,
  };
};
