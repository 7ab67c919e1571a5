// The local process supervisor: detached, supervised processes recorded under a state directory.
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createExitWatcher } from './exit-watcher.ts';
import { claimLaunch } from './launch.ts';
import { createLauncherClient } from './launcher-client.ts';
import { decodeKey, recordPaths } from './paths.ts';
import { signalGroup } from './proc.ts';
import { writeJsonAtomic } from './records.ts';
import { createStatusReader } from './status.ts';
import type { LaunchSpec, ProcessStatus, ProcessSupervisor } from './supervisor.ts';

const defaultGraceMs = 5000;
/** A launcher needs a moment to start and spawn the command; past this, something is wrong. */
const startWaitMs = 15000;
/** After SIGKILL, the supervisor only has to notice and write the record. */
const killWaitMs = 10000;
/** How often records are read again while waiting, should the marker that wakes the wait not come. */
const stepMs = 25;

export const createProcessSupervisor = (stateDir: string): ProcessSupervisor => {
  mkdirSync(stateDir, { recursive: true });
  const listeners: Array<(status: ProcessStatus) => void> = [];
  const notify = (status: ProcessStatus): void => {
    for (const listener of listeners) {
      try {
        listener(status);
      } catch {
        // One failing listener must not keep the others, or later exits, from being told.
      }
    }
    // With no listener nobody was told, so a later server that adopts it still should be.
    const files = recordPaths(stateDir, status.key);
    if (listeners.length > 0 && existsSync(files.dir)) writeFileSync(files.exitSeen, '');
  };
  const read = createStatusReader(stateDir);
  const watcher = createExitWatcher(stateDir, read, notify);
  // Its notices are the fast path; markers and polling still catch what older launchers did.
  const launcher = createLauncherClient(stateDir, (key, change) => watcher.notice(key, change));

  /** Claims the key and hands it to the launcher; a key that already has a record starts nothing. */
  const submit = async (launch: LaunchSpec): Promise<void> => {
    const current = await launcher.current();
    const spec = claimLaunch(stateDir, launch, current.record);
    if (!spec) return;
    watcher.watch(launch.key);
    await current.start(spec);
  };

  /** The status once the command has a pid (or has already ended), so pause and stop can reach it. */
  const started = async (key: string): Promise<ProcessStatus | undefined> => {
    const deadline = Date.now() + startWaitMs;
    let status = read(key);
    while (status && status.state !== 'exited' && status.pid === null && Date.now() < deadline) {
      await watcher.changed(key, stepMs);
      status = read(key);
    }
    return status;
  };

  const signal = async (key: string, name: NodeJS.Signals): Promise<void> => {
    const status = await started(key);
    if (!status) throw new Error(`no process ${key}`);
    if (status.state !== 'exited' && status.pid !== null) signalGroup(status.pid, name);
  };

  const waitForExit = async (key: string, untilMs: number): Promise<ProcessStatus | undefined> => {
    let status = read(key);
    while (status && status.state !== 'exited' && Date.now() < untilMs) {
      await watcher.changed(key, stepMs);
      status = read(key);
    }
    return status;
  };

  const stop = async (key: string, graceMs = defaultGraceMs): Promise<ProcessStatus | undefined> => {
    const status = await started(key);
    if (!status || status.state === 'exited') return status;
    writeJsonAtomic(recordPaths(stateDir, key).stopRequest, { requestedAt: new Date().toISOString() });
    if (status.pid !== null) {
      signalGroup(status.pid, 'SIGTERM');
      // A paused process only acts on SIGTERM once it runs again.
      signalGroup(status.pid, 'SIGCONT');
    }
    const afterTerm = await waitForExit(key, Date.now() + graceMs);
    if (afterTerm?.state === 'exited' || afterTerm?.pid == null) return afterTerm;
    signalGroup(afterTerm.pid, 'SIGKILL');
    return waitForExit(key, Date.now() + killWaitMs);
  };

  return {
    async launch(spec) {
      await submit(spec);
      const status = await started(spec.key);
      if (!status) throw new Error(`launching ${spec.key} left no record`);
      return status;
    },
    async status(key) {
      const status = read(key);
      // Whoever asks about a running process also gets told when it ends, adopted or not.
      if (status && status.state !== 'exited') watcher.watch(key);
      return status;
    },
    pause: (key) => signal(key, 'SIGSTOP'),
    resume: (key) => signal(key, 'SIGCONT'),
    stop,
    async forget(key) {
      const status = await stop(key);
      watcher.unwatch(key);
      if (!status) return;
      rmSync(status.stdoutPath, { force: true });
      rmSync(status.stderrPath, { force: true });
      const files = recordPaths(stateDir, key);
      rmSync(files.dir, { recursive: true, force: true });
      for (const marker of ['started', 'exited']) rmSync(`${files.marker}.${marker}`, { force: true });
    },
    onExit(listener) {
      listeners.push(listener);
    },
    async adoptAll() {
      if (!existsSync(stateDir)) return [];
      const statuses = readdirSync(stateDir)
        .filter((name) => !name.startsWith('.'))
        .flatMap((name) => read(decodeKey(name)) ?? []);
      // Exits that happened while no server watched are told now, as well as those still to come.
      const untold = (status: ProcessStatus) =>
        status.state !== 'exited' || !existsSync(recordPaths(stateDir, status.key).exitSeen);
      for (const status of statuses.filter(untold)) watcher.watch(status.key);
      return statuses;
    },
    async close() {
      watcher.close();
      await launcher.close();
    },
  };
};
