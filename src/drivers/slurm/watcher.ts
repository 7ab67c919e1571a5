// Polls squeue once per interval for every tracked job, and stays idle while nothing is tracked.
import type { FastifyBaseLogger } from 'fastify';
import type { SlurmCommands, SlurmJobRecord } from './commands.ts';

export interface Watcher {
  track(jobId: string, slurmJobId: number): void;
  untrack(jobId: string): void;
  /** Whether this job is still tracked under this Slurm id (it may have been stopped meanwhile). */
  tracks(jobId: string, slurmJobId: number): boolean;
  close(): void;
}

export type OnPoll = (jobId: string, slurmJobId: number, records: SlurmJobRecord[]) => Promise<void>;

export function watchSlurmJobs(
  commands: SlurmCommands,
  intervalMs: number,
  onPoll: OnPoll,
  log: FastifyBaseLogger,
): Watcher {
  const tracked = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const schedule = (): void => {
    if (timer !== undefined || closed || tracked.size === 0) return;
    // Unref'd: a driver nobody closed must not keep the process alive.
    timer = setTimeout(() => void tick(), intervalMs).unref();
  };

  async function tick(): Promise<void> {
    try {
      const records = await commands.jobs();
      // In parallel: one job busy with a slow cancel must not hold back the others' reports.
      await Promise.all(
        [...tracked].map(([jobId, slurmJobId]) =>
          onPoll(jobId, slurmJobId, records).catch((error: unknown) =>
            log.error({ err: error, jobId }, 'slurm: handling a poll failed'),
          ),
        ),
      );
    } catch (error) {
      log.warn({ err: error }, 'slurm: squeue failed; trying again next interval');
    } finally {
      timer = undefined;
      schedule();
    }
  }

  return {
    track(jobId, slurmJobId) {
      tracked.set(jobId, slurmJobId);
      schedule();
    },
    untrack: (jobId) => void tracked.delete(jobId),
    tracks: (jobId, slurmJobId) => tracked.get(jobId) === slurmJobId,
    close() {
      closed = true;
      clearTimeout(timer);
    },
  };
}
