// The processes behind one resource (a server, a service, an application's replicas), run through the
// supervisor, with what they should be doing kept on disk so that a restart neither loses nor repeats work.
import { mkdir } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DriverHost } from '../driver.ts';
import type { LaunchSpec, ProcessStatus, ProcessSupervisor } from './processes/supervisor.ts';
import { createKeyedQueue } from './keyed-queue.ts';
import { readRecord, removeResourceFiles, resourceFiles, writeRecord, type ResourceFiles } from './resource-files.ts';

/** What the resource's processes should be doing; only the driver's own actions change it. */
export type Power = 'active' | 'stopped' | 'suspended';

export interface ProcessRecord<Facts> {
  power: Power;
  /** Every process by key, with the fingerprint of what it was launched from. */
  fingerprints: Record<string, string>;
  /** Kind-specific facts about the launch (a service's port, an application's cluster). */
  facts: Facts;
}

/** One process the resource should have; a changed fingerprint means a running one must be replaced. */
export interface PlannedProcess {
  spec: LaunchSpec;
  fingerprint: string;
}

export interface Plan<Facts> {
  processes: PlannedProcess[];
  facts: Facts;
}

/** A record with what the supervisor knows of each of its processes (nothing, once forgotten). */
export interface ProcessView<Facts> {
  record: ProcessRecord<Facts>;
  processes: Array<{ key: string; status: ProcessStatus | undefined }>;
}

export interface ResourceProcesses<Facts> {
  /** Runs work for a resource after all earlier work for it, exit handling included. */
  serialize<T>(resourceId: string, work: () => Promise<T>): Promise<T>;
  files(resourceId: string): ResourceFiles;
  view(resourceId: string): Promise<ProcessView<Facts> | undefined>;
  /** Marks the resource active and brings its processes to the plan; `fresh` relaunches even unchanged ones. */
  run(resourceId: string, plan: Plan<Facts>, fresh?: boolean): Promise<ProcessView<Facts>>;
  stop(resourceId: string): Promise<ProcessView<Facts> | undefined>;
  pause(resourceId: string): Promise<ProcessView<Facts> | undefined>;
  resume(resourceId: string): Promise<ProcessView<Facts> | undefined>;
  /** Stops and forgets every process and deletes the record and working directory. */
  remove(resourceId: string): Promise<void>;
}

export interface ResourceProcessesOptions {
  stateDir: string;
  kind: string;
  /** How a message names one process of a resource with several ("replica 2: "); empty for one. */
  describe: (key: string) => string;
}

/** What a process was launched from, as far as deciding whether a running one must be replaced. */
export const fingerprintOf = (spec: LaunchSpec): string =>
  JSON.stringify([spec.command, spec.cwd, spec.env, spec.limits ?? null]);

/** Ended, or no longer known to the supervisor: either way nothing runs under the key. */
export const hasEnded = (status: ProcessStatus | undefined): boolean =>
  status === undefined || status.state === 'exited';

/** The words a user reads in status.message when a process ended without being asked to. */
export const describeExit = (status: ProcessStatus): string => {
  if (status.reason === 'lost') return 'the supervisor lost track of the process';
  if (status.reason === 'timeout') return 'process ran past its time limit';
  if (status.signal) return `process killed by signal ${status.signal}`;
  return `process exited with code ${status.exitCode}`;
};

/** How long a paused process may take to be scheduled and actually stop; past this something is wrong. */
const pauseWaitMs = 10000;

/** Keys are `<resourceId>/<name>`, so an exit tells whose process it was. */
const ownerOf = (key: string): string => key.split('/')[0];

export function createResourceProcesses<Facts>(
  host: DriverHost,
  supervisor: ProcessSupervisor,
  options: ResourceProcessesOptions,
): ResourceProcesses<Facts> {
  const queue = createKeyedQueue();
  const files = (resourceId: string) => resourceFiles(options.stateDir, options.kind, resourceId);
  const read = (resourceId: string) => readRecord<ProcessRecord<Facts>>(files(resourceId));

  const view = async (resourceId: string): Promise<ProcessView<Facts> | undefined> => {
    const record = await read(resourceId);
    if (!record) return undefined;
    const keys = Object.keys(record.fingerprints);
    return {
      record,
      processes: await Promise.all(keys.map(async (key) => ({ key, status: await supervisor.status(key) }))),
    };
  };

  const setPower = async (resourceId: string, power: Power) => {
    const record = await read(resourceId);
    if (record) await writeRecord(files(resourceId), { ...record, power });
    return record;
  };

  // SIGSTOP takes effect once the process next runs, so suspended is reported only once it has.
  const pause = async (key: string) => {
    if (hasEnded(await supervisor.status(key))) return;
    await supervisor.pause(key);
    const deadline = Date.now() + pauseWaitMs;
    for (
      let status = await supervisor.status(key);
      !hasEnded(status) && status?.state !== 'stopped';
      status = await supervisor.status(key)
    ) {
      if (Date.now() > deadline) throw new Error(`process ${key} did not pause within ${pauseWaitMs} ms`);
      await sleep(25);
    }
  };

  const ensureLaunched = async (spec: LaunchSpec, replace: boolean) => {
    const status = await supervisor.status(spec.key);
    if (!hasEnded(status) && !replace) return;
    // Launching a known key starts nothing, so the old record has to go first (forget stops what still runs).
    if (status) await supervisor.forget(spec.key);
    await supervisor.launch(spec);
  };

  const run = async (resourceId: string, plan: Plan<Facts>, fresh = false) => {
    const previous = await read(resourceId);
    const fingerprints = Object.fromEntries(plan.processes.map(({ spec, fingerprint }) => [spec.key, fingerprint]));
    // Written before launching, so an exit that comes during the launch is already seen as a failure.
    await writeRecord(files(resourceId), { power: 'active', fingerprints, facts: plan.facts });
    for (const key of Object.keys(previous?.fingerprints ?? {}).filter((key) => !(key in fingerprints)))
      await supervisor.forget(key);
    await mkdir(files(resourceId).workdir, { recursive: true });
    for (const { spec, fingerprint } of plan.processes) {
      await ensureLaunched(spec, fresh || previous?.fingerprints[spec.key] !== fingerprint);
    }
    return (await view(resourceId)) as ProcessView<Facts>;
  };

  const eachProcess = async (resourceId: string, power: Power, step: (key: string) => Promise<void>) => {
    const record = await setPower(resourceId, power);
    for (const key of Object.keys(record?.fingerprints ?? {})) await step(key);
    return view(resourceId);
  };

  const remove = async (resourceId: string) => {
    const record = await setPower(resourceId, 'stopped');
    for (const key of Object.keys(record?.fingerprints ?? {})) await supervisor.forget(key);
    await removeResourceFiles(files(resourceId));
  };

  const noticeExit = async (status: ProcessStatus) => {
    // A stop we asked for (stop, restart, remove) is not news.
    if (status.reason === 'killed') return;
    const resourceId = ownerOf(status.key);
    const record = await read(resourceId);
    if (!record || !(status.key in record.fingerprints) || record.power === 'stopped') return;
    // Relaunched (or forgotten) since: this exit is about a process that no longer matters.
    if ((await supervisor.status(status.key))?.startedAt !== status.startedAt) return;
    await host.report(resourceId, {
      state: 'failed',
      message: `${options.describe(status.key)}${describeExit(status)}`,
    });
  };

  supervisor.onExit((status) => {
    queue
      .run(ownerOf(status.key), () => noticeExit(status))
      .catch((error: unknown) => {
        host.log.error({ err: error, key: status.key }, 'could not report a process exit');
      });
  });

  return {
    serialize: (resourceId, work) => queue.run(resourceId, work),
    files,
    view,
    run,
    stop: (resourceId) =>
      eachProcess(resourceId, 'stopped', async (key) => {
        await supervisor.stop(key);
      }),
    pause: (resourceId) => eachProcess(resourceId, 'suspended', pause),
    resume: (resourceId) =>
      eachProcess(resourceId, 'active', async (key) => {
        if (!hasEnded(await supervisor.status(key))) await supervisor.resume(key);
      }),
    remove,
  };
}
