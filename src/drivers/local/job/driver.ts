// The local job driver: runs a job's instances (and MPI ranks) as supervised processes in a working directory
// of their own, at most `parallelism` at once, and reports the job's end; after a restart it picks up where it was.
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { PermanentDriverError } from '../../driver.ts';
import { createKeyedQueue } from '../keyed-queue.ts';
import type { DriverHost, DriverResource, KindDriver, Observation } from '../../driver.ts';
import type { ProcessSupervisor } from '../processes/supervisor.ts';
import { containerWorkdir } from '../containers/container.ts';
import { containerForImage, type ImageOptions } from '../containers/image-container.ts';
import { collectOutputs, jobPaths, readJobRecord, writeJobRecord } from './files.ts';
import type { JobPaths } from './files.ts';
import { jobObservation, unitDone, unitStarted } from './outcome.ts';
import type { Unit } from './outcome.ts';
import { buildJobRecord } from './record.ts';
import type { JobRecord, JobSpec } from './record.ts';
import { jobIdOfKey, jobTasks, taskLaunchSpec } from './tasks.ts';
import { prepareWorkdir } from './workdir.ts';

export interface LocalJobDriverOptions extends ImageOptions {
  /** Each job gets `<workRoot>/<jobId>/` (work/, logs/, outputs/, job.json). */
  workRoot: string;
  /** How long stopped processes get between SIGTERM and SIGKILL. */
  stopGraceMs?: number;
  /** The length of one `runtime` minute; tests shorten it to see the limit act. */
  secondsPerMinute?: number;
}

const isFinal = (observation: Observation): boolean =>
  observation.state === 'succeeded' || observation.state === 'failed';

export const createLocalJobDriver = (
  host: DriverHost,
  supervisor: ProcessSupervisor,
  options: LocalJobDriverOptions,
): KindDriver => {
  const queue = createKeyedQueue();
  /** One job's operations and exit handling run one at a time, so no two of them launch the same instance. */
  const serially = <T>(jobId: string, work: () => Promise<T>): Promise<T> => queue.run(jobId, work);
  /** Jobs whose end was reported, so a late duplicate exit event does not report it twice. */
  const reported = new Set<string>();
  const stopGraceMs = options.stopGraceMs ?? 10000;
  const pathsOf = (jobId: string): JobPaths => jobPaths(options.workRoot, jobId);

  const unitsOf = (record: JobRecord): Promise<Unit[]> =>
    Promise.all(
      jobTasks(record).map(async (tasks) => ({
        tasks,
        statuses: await Promise.all(tasks.map((task) => supervisor.status(task.key))),
      })),
    );

  /** Starts what may run now: the rest of a half-started instance, and waiting instances up to `parallelism`. */
  const launchWaiting = async (record: JobRecord, paths: JobPaths, units: Unit[]): Promise<void> => {
    if (record.stopped) return;
    const running = units.filter((unit) => unitStarted(unit) && !unitDone(unit));
    const room = Math.max(0, record.parallelism - running.length);
    const starting = [...running, ...units.filter((unit) => !unitStarted(unit)).slice(0, room)];
    await Promise.all(
      starting.map(async (unit) => {
        unit.statuses = await Promise.all(
          unit.tasks.map((task, i) => unit.statuses[i] ?? supervisor.launch(taskLaunchSpec(record, task, paths))),
        );
      }),
    );
  };

  /** Re-derives everything from the process records, so it is as right after a restart as before one. */
  const advance = async (paths: JobPaths): Promise<Observation | undefined> => {
    const record = readJobRecord(paths);
    if (!record) return undefined;
    const units = await unitsOf(record);
    await launchWaiting(record, paths, units);
    const observation = jobObservation(record, units, paths.work);
    if (!isFinal(observation) || record.finishedAt) return observation;
    record.outputs = await collectOutputs(paths, [...record.outputFiles, ...record.outputDirs]);
    record.finishedAt = new Date().toISOString();
    writeJobRecord(paths, record);
    // A finished job no longer holds its image: the cache may prune it.
    await options.images?.release(record.jobId);
    return jobObservation(record, units, paths.work);
  };

  const start = async (resource: DriverResource): Promise<Observation> => {
    const paths = pathsOf(resource.id);
    const spec = resource.spec as JobSpec;
    const image = await containerForImage(spec.image, spec.cmd !== undefined, resource.id, options, (observation) =>
      host.report(resource.id, observation),
    );
    const record = buildJobRecord(
      resource.id,
      spec,
      image,
      containerWorkdir(image.container, paths.work),
      options.secondsPerMinute ?? 60,
    );
    if (record.argv.length === 0 && image.container.kind !== 'podman')
      throw new PermanentDriverError('the job has no command to run');
    await prepareWorkdir(paths, spec);
    writeJobRecord(paths, record);
    reported.delete(resource.id);
    // The end is reported through host.report even when it came before this returns: the engine hears it both ways.
    return (await advance(paths))!;
  };

  /** Marks the job stopped first, so no exit handled meanwhile starts a waiting instance. */
  const stopAll = async (paths: JobPaths, record: JobRecord, forget: boolean): Promise<void> => {
    writeJobRecord(paths, { ...record, stopped: true });
    const keys = jobTasks(record)
      .flat()
      .map((task) => task.key);
    await Promise.all(keys.map((key) => (forget ? supervisor.forget(key) : supervisor.stop(key, stopGraceMs))));
  };

  const stop = async (resource: DriverResource): Promise<Observation> => {
    const paths = pathsOf(resource.id);
    const record = readJobRecord(paths);
    if (!record) return { state: 'stopped', message: 'nothing of this job runs on this host' };
    const current = jobObservation(record, await unitsOf(record), paths.work);
    // A job that ended before the stop arrived keeps its outcome.
    if (isFinal(current) || record.stopped) return (await advance(paths))!;
    await stopAll(paths, record, false);
    return (await advance(paths))!;
  };

  const remove = async (jobId: string): Promise<void> => {
    const paths = pathsOf(jobId);
    const record = readJobRecord(paths);
    if (record) await stopAll(paths, record, true);
    await rm(paths.root, { recursive: true, force: true });
    await options.images?.release(jobId);
    reported.delete(jobId);
  };

  supervisor.onExit((status) => {
    const jobId = jobIdOfKey(status.key);
    const paths = pathsOf(jobId);
    if (!existsSync(paths.record)) return;
    serially(jobId, async () => {
      const observation = await advance(paths);
      if (!observation || !isFinal(observation) || reported.has(jobId)) return;
      reported.add(jobId);
      await host.report(jobId, observation);
    }).catch((error: unknown) => host.log.error({ err: error, jobId }, 'local job: handling a process exit failed'));
  });

  return {
    apply: (resource) =>
      serially(resource.id, async () => {
        const paths = pathsOf(resource.id);
        if (readJobRecord(paths)) return (await advance(paths))!;
        return start(resource);
      }),
    act: (resource, action) =>
      serially(resource.id, async () => {
        if (action === 'stop') return stop(resource);
        if (action === 'restart') {
          await remove(resource.id);
          return start(resource);
        }
        if (action === 'destroy') {
          await remove(resource.id);
          return { state: 'deleted', message: 'the job and its files were removed' };
        }
        throw new PermanentDriverError(`a local job cannot ${action}`);
      }),
    remove: (resource) => serially(resource.id, () => remove(resource.id)),
    observe: (resource) =>
      serially(resource.id, async () => {
        const observation = await advance(pathsOf(resource.id));
        if (observation) return observation;
        if (resource.state === 'pending' || resource.state === 'provisioning')
          return { state: 'pending', message: 'not launched yet' };
        return {
          state: 'failed',
          message: 'the job has no files on this host any more (its working directory was removed)',
        };
      }),
  };
};
