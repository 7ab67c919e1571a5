// The Slurm command-line tools the driver uses (sbatch, squeue, scancel), run without a shell.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** One row of `squeue --json`: a job, or one task of an array job, pending, running or recently finished. */
export interface SlurmJobRecord {
  jobId: number;
  /** The id the array was submitted as; 0 for a job that is not an array. */
  arrayJobId: number;
  /** The task index, or null for a record standing for the array's still-pending tasks. */
  arrayTaskId: number | null;
  name: string;
  state: string;
  reason: string;
  /** The raw wait status: exit code in the high byte, signal in the low bits. */
  exitStatus: number;
  /** Minutes. */
  timeLimit: number;
}

/** sbatch refused the job; its message says why. */
export class SlurmRejected extends Error {}

export interface SlurmCommands {
  /** Submits a batch script and returns the Slurm job id. */
  submit(args: string[], scriptPath: string): Promise<number>;
  /** Every job the controller still knows, finished ones included (for MinJobAge seconds). */
  jobs(): Promise<SlurmJobRecord[]>;
  cancel(slurmJobId: number): Promise<void>;
  cancelByName(name: string): Promise<void>;
}

/** sbatch's refusals worth retrying: the controller is busy or unreachable. */
const transient = /temporarily|timed out|unable to contact|connection refused/i;

/** Jobs inherit sbatch's environment (--export=ALL): give them the basics and Slurm's, not the control plane's secrets. */
function submitEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const kept = Object.entries(env).filter(
    ([key]) => ['PATH', 'HOME', 'LANG', 'TZ'].includes(key) || key.startsWith('SLURM_'),
  );
  return Object.fromEntries(kept);
}

/** Slurm 22.05's `squeue --json` ignores filters and lists all jobs, finished ones included. */
function parseJobs(stdout: string): SlurmJobRecord[] {
  const parsed = JSON.parse(stdout) as { jobs: Record<string, unknown>[] };
  return parsed.jobs.map((job) => ({
    jobId: Number(job.job_id),
    arrayJobId: Number(job.array_job_id ?? 0),
    arrayTaskId: typeof job.array_task_id === 'number' ? job.array_task_id : null,
    name: String(job.name ?? ''),
    state: String(job.job_state ?? 'UNKNOWN'),
    reason: String(job.state_reason ?? ''),
    exitStatus: Number(job.exit_code ?? 0),
    timeLimit: Number(job.time_limit ?? 0),
  }));
}

export function slurmCommands(env: NodeJS.ProcessEnv): SlurmCommands {
  const options = { env, maxBuffer: 64 * 1024 * 1024 };
  return {
    async submit(args, scriptPath) {
      try {
        const { stdout } = await run('sbatch', ['--parsable', '--export=ALL', ...args, scriptPath], {
          ...options,
          env: submitEnvironment(env),
        });
        // --parsable prints `<id>` or `<id>;<cluster>`.
        return Number(stdout.trim().split(';')[0]);
      } catch (error) {
        const stderr = (error as { stderr?: string }).stderr?.trim();
        if (stderr?.includes('Batch job submission failed') && !transient.test(stderr)) throw new SlurmRejected(stderr);
        throw error;
      }
    },
    async jobs() {
      const { stdout } = await run('squeue', ['--json'], options);
      return parseJobs(stdout);
    },
    async cancel(slurmJobId) {
      await run('scancel', [String(slurmJobId)], options);
    },
    async cancelByName(name) {
      await run('scancel', ['--name', name], options);
    },
  };
}
