// The job kind on Slurm: each job is one sbatch submission (an array for instances > 1), watched until it ends.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Action, State } from '../../domain/states.ts';
import { PermanentDriverError } from '../driver.ts';
import { createKeyedQueue } from '../local/keyed-queue.ts';
import type { DriverHost, DriverResource, KindDriver, Observation } from '../driver.ts';
import { SlurmRejected, slurmCommands } from './commands.ts';
import type { SlurmJobRecord } from './commands.ts';
import { belongsTo, isFinished, outcomeOf, recordsOf } from './outcome.ts';
import { batchScript, checkRunnable, sbatchArguments, slurmJobName } from './script.ts';
import type { JobSpec } from './script.ts';
import { watchSlurmJobs } from './watcher.ts';
import {
  clearRun,
  jobFiles,
  prepareWorkDir,
  readFinal,
  readSlurmJobId,
  readSupersededBelow,
  recordFinal,
  recordSlurmJobId,
  recordSubmitting,
  removeWorkDir,
} from './workdir.ts';
import type { JobFiles } from './workdir.ts';

export interface SlurmJobDriverOptions {
  /** Where each job gets `<workRoot>/<jobId>`; must be visible at the same path on the compute nodes. */
  workRoot: string;
  partition?: string;
  pollIntervalMs?: number;
  /** The environment of sbatch, squeue and scancel (SLURM_CONF and the like); defaults to this process's. */
  env?: NodeJS.ProcessEnv;
  /** How long stop, restart and remove wait for a cancelled job to end; Slurm's KillWait is 30 s by default. */
  cancelTimeoutMs?: number;
}

export interface SlurmJobDriver extends KindDriver {
  /** Stops polling; jobs keep running in Slurm and are found again by observe. */
  close(): void;
}

/** The newest Slurm job carrying this job's name that is not from an earlier run, if a submit got lost. */
function findSubmission(
  jobId: string,
  supersededBelow: number | undefined,
  records: SlurmJobRecord[],
): number | undefined {
  const ids = records
    .filter((record) => record.name === slurmJobName(jobId))
    .map((record) => ({ id: record.arrayJobId || record.jobId, finished: isFinished(record) }))
    .filter(({ id, finished }) => (supersededBelow === undefined ? !finished : id > supersededBelow))
    .map(({ id }) => id);
  return ids.length === 0 ? undefined : Math.max(...ids);
}

const withWorkDir = (files: JobFiles, observation: Observation): Observation => ({
  ...observation,
  details: { ...observation.details, workDir: files.dir },
});

export function createSlurmJobDriver(host: DriverHost, options: SlurmJobDriverOptions): SlurmJobDriver {
  const commands = slurmCommands(options.env ?? process.env);
  const queue = createKeyedQueue();
  const lastStates = new Map<string, State>();
  const watcher = watchSlurmJobs(commands, options.pollIntervalMs ?? 1000, onPoll, host.log);
  const filesOf = (jobId: string): JobFiles => jobFiles(options.workRoot, jobId);

  function forget(jobId: string): void {
    watcher.untrack(jobId);
    lastStates.delete(jobId);
  }

  /** Records an ending (Slurm forgets it after MinJobAge) or keeps watching; returns what is true now. */
  async function settle(jobId: string, slurmJobId: number, records: SlurmJobRecord[]): Promise<Observation> {
    const files = filesOf(jobId);
    const outcome = outcomeOf(slurmJobId, records);
    if (outcome !== undefined && !outcome.finished) {
      watcher.track(jobId, slurmJobId);
      lastStates.set(jobId, outcome.observation.state);
      return withWorkDir(files, outcome.observation);
    }
    if (outcome?.unrunnable) await commands.cancel(slurmJobId);
    const observation = withWorkDir(
      files,
      outcome?.observation ?? {
        state: 'failed',
        message: `slurm no longer knows job ${slurmJobId}: it ended over MinJobAge ago or was lost`,
        details: { slurmJobId },
      },
    );
    await recordFinal(files, observation);
    forget(jobId);
    return observation;
  }

  async function onPoll(jobId: string, slurmJobId: number, records: SlurmJobRecord[]): Promise<void> {
    const change = await queue.run(jobId, async () => {
      if (!watcher.tracks(jobId, slurmJobId)) return undefined;
      const before = lastStates.get(jobId);
      const observation = await settle(jobId, slurmJobId, records);
      return observation.state === before ? undefined : observation;
    });
    // Reported outside the job's queue, so an engine that calls back (observe) cannot deadlock.
    if (change !== undefined) await reportWithRetries(jobId, change);
  }

  /** A final report is sent once, so a failing engine gets a few more chances before it must observe. */
  async function reportWithRetries(jobId: string, observation: Observation): Promise<void> {
    const retryDelaysMs = [1000, 5000];
    for (let attempt = 0; ; attempt++) {
      try {
        return await host.report(jobId, observation);
      } catch (error) {
        host.log.warn({ err: error, jobId, attempt }, 'slurm: reporting a job change failed');
        if (attempt >= retryDelaysMs.length) return;
        await sleep(retryDelaysMs[attempt]);
      }
    }
  }

  /** Polls squeue until every row matching is finished; bounded, since a stuck cancel must surface. */
  async function waitUntilEnded(matches: (record: SlurmJobRecord) => boolean): Promise<SlurmJobRecord[]> {
    const deadline = Date.now() + (options.cancelTimeoutMs ?? 60_000);
    for (;;) {
      const records = await commands.jobs();
      if (records.filter(matches).every(isFinished)) return records;
      if (Date.now() > deadline) throw new Error('slurm job still running after scancel');
      await sleep(200);
    }
  }

  async function submitOnce(resource: DriverResource, supersededBelow: number | undefined): Promise<Observation> {
    const spec = resource.spec as JobSpec;
    checkRunnable(spec);
    const files = filesOf(resource.id);
    await prepareWorkDir(files, spec.inputs, batchScript(resource.id, spec));
    let slurmJobId = findSubmission(resource.id, supersededBelow, await commands.jobs());
    if (slurmJobId === undefined) {
      await recordSubmitting(files, supersededBelow ?? 0);
      slurmJobId = await submit(files, resource.id, spec);
    }
    await recordSlurmJobId(files, slurmJobId);
    const records = await commands.jobs();
    const outcome = outcomeOf(slurmJobId, records);
    if (outcome?.unrunnable) {
      await commands.cancel(slurmJobId);
      await clearRun(files);
      throw new PermanentDriverError(
        `${outcome.observation.message} (the job asks for more than the partition offers)`,
      );
    }
    return settle(resource.id, slurmJobId, records);
  }

  async function submit(files: JobFiles, jobId: string, spec: JobSpec): Promise<number> {
    try {
      return await commands.submit(sbatchArguments(jobId, spec, files.dir, options.partition), files.script);
    } catch (error) {
      if (error instanceof SlurmRejected) throw new PermanentDriverError(`slurm rejected the job: ${error.message}`);
      throw error;
    }
  }

  /** What an existing submission shows now, or undefined when this job was never submitted. */
  async function current(jobId: string): Promise<Observation | undefined> {
    const files = filesOf(jobId);
    const final = await readFinal(files);
    if (final !== undefined) return final;
    const recorded = await readSlurmJobId(files);
    if (recorded !== undefined) return settle(jobId, recorded, await commands.jobs());
    return undefined;
  }

  async function stop(resource: DriverResource): Promise<Observation> {
    const files = filesOf(resource.id);
    const final = await readFinal(files);
    if (final !== undefined) return final;
    const slurmJobId = await readSlurmJobId(files);
    if (slurmJobId === undefined) return withWorkDir(files, { state: 'stopped', message: 'not submitted to slurm' });
    forget(resource.id);
    await commands.cancel(slurmJobId);
    const records = recordsOf(slurmJobId, await waitUntilEnded(belongsTo(slurmJobId)));
    const ended = outcomeOf(slurmJobId, records);
    // A job that ended on its own just before the cancel keeps its real outcome.
    const cancelled = ended === undefined || records.some((record) => record.state === 'CANCELLED');
    const observation = withWorkDir(
      files,
      cancelled
        ? { state: 'stopped', message: `slurm job ${slurmJobId} cancelled`, details: { slurmJobId } }
        : ended.observation,
    );
    await recordFinal(files, observation);
    return observation;
  }

  async function restart(resource: DriverResource): Promise<Observation> {
    const files = filesOf(resource.id);
    const previous = await readSlurmJobId(files);
    forget(resource.id);
    if (previous !== undefined) {
      await commands.cancel(previous);
      await waitUntilEnded(belongsTo(previous));
    }
    await clearRun(files);
    return submitOnce(resource, previous ?? (await readSupersededBelow(files)) ?? 0);
  }

  return {
    apply: (resource) =>
      queue.run(
        resource.id,
        async () =>
          (await current(resource.id)) ?? submitOnce(resource, await readSupersededBelow(filesOf(resource.id))),
      ),

    act: (resource, action: Action) =>
      queue.run(resource.id, () => {
        if (action === 'stop') return stop(resource);
        if (action === 'restart') return restart(resource);
        throw new PermanentDriverError(`a slurm job cannot ${action}`);
      }),

    remove: (resource) =>
      queue.run(resource.id, async () => {
        const name = slurmJobName(resource.id);
        forget(resource.id);
        const recorded = await readSlurmJobId(filesOf(resource.id));
        if (recorded !== undefined) await commands.cancel(recorded);
        await commands.cancelByName(name);
        await waitUntilEnded((record) => record.name === name);
        await removeWorkDir(filesOf(resource.id));
      }),

    observe: (resource) =>
      queue.run(resource.id, async () => {
        const files = filesOf(resource.id);
        const known = await current(resource.id);
        if (known !== undefined) return known;
        const lost = findSubmission(resource.id, await readSupersededBelow(files), await commands.jobs());
        if (lost === undefined) return withWorkDir(files, { state: 'pending', message: 'not submitted to slurm' });
        await recordSlurmJobId(files, lost);
        return settle(resource.id, lost, await commands.jobs());
      }),

    close: () => watcher.close(),
  };
}
