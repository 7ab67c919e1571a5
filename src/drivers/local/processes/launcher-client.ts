// The server's side of the launcher: starts it once (again, should it die), hands it claimed specs over the IPC
// channel, and hears from it when a command started or ended.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import path from 'node:path';
import type { LaunchRequest, LauncherMessage, RecordChange } from './launcher-messages.ts';
import { launcherProgram } from './launcher-program.ts';
import { processStartTime } from './proc.ts';
import type { PidRecord, SpecRecord } from './records.ts';

/** Where the launcher writes what went wrong inside it; adoption skips names that start with '.'. */
const launcherLogName = '.launcher.log';

export interface Launcher {
  /** Its pid and start time: what a spec it is to start records as its supervisor. */
  readonly record: PidRecord;
  /**
   * Hands it a claimed spec; resolves once the request is in its pipe, from where it reaches the launcher even if
   * this server dies now. Should the launcher die first, the spec's record reads as lost, as it must.
   */
  start(spec: SpecRecord): Promise<void>;
}

export interface LauncherClient {
  /** The running launcher, once it listens; started now if there is none (or the last one died). */
  current(): Promise<Launcher>;
  /** Lets the launcher go once what was handed to it is in its pipe; it exits by itself when its commands ended. */
  close(): Promise<void>;
}

interface Running {
  /** The launcher once it listens; rejected when it could not be started or ended first. */
  ready: Promise<Launcher>;
  /** Lets it go once every request handed over is written. */
  release(): Promise<void>;
}

/**
 * Its heap stays tiny, so a small young generation and no V8 worker threads cost it nothing, and leave less memory
 * for each fork to copy (4 of 4 alternating runs of the launcher alone: 3-12% more commands per second).
 */
const launcherNodeFlags = ['--v8-pool-size=0', '--max-semi-space-size=1'];

/** Its own session, so a signal to the server's group (Ctrl-C) does not reach the commands' supervisor. */
const spawnLauncher = (stateDir: string, program: string): ChildProcess => {
  const log = openSync(path.join(stateDir, launcherLogName), 'a');
  try {
    return spawn(process.execPath, [...launcherNodeFlags, program, stateDir], {
      cwd: '/',
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      detached: true,
      stdio: ['ignore', 'ignore', log, 'ipc'],
    });
  } finally {
    closeSync(log);
  }
};

/** Spawns the launcher and resolves with it once it listens. */
const spawnListening = (
  stateDir: string,
  program: string,
  onChanged: (key: string, change: RecordChange) => void,
  onGone: () => void,
  handedOver: { writing: number; drained: () => void },
): { child: ChildProcess; listening: Promise<Launcher> } => {
  const child = spawnLauncher(stateDir, program);
  if (child.pid === undefined) throw new Error(`the launcher could not be started (${process.execPath})`);
  const launcher: Launcher = {
    record: { pid: child.pid, startTime: processStartTime(child.pid) ?? '' },
    start: (spec) =>
      new Promise((resolve) => {
        if (!child.connected) return resolve();
        handedOver.writing++;
        const request: LaunchRequest = { spec };
        child.send(request, undefined, undefined, () => {
          if (--handedOver.writing === 0) handedOver.drained();
          resolve();
        });
      }),
  };
  const listening = new Promise<Launcher>((resolve, reject) => {
    child.on('message', (message: LauncherMessage) => {
      if (message.type !== 'ready') return onChanged(message.key, message.type);
      // Once it listens, it must not hold the server open: only requests being written do.
      child.channel?.unref();
      resolve(launcher);
    });
    const gone = () => {
      reject(new Error(`the launcher ended before it was ready: see ${path.join(stateDir, launcherLogName)}`));
      onGone();
    };
    child.once('exit', gone);
    child.once('error', gone);
  });
  child.unref();
  return { child, listening };
};

const startLauncher = (
  stateDir: string,
  onChanged: (key: string, change: RecordChange) => void,
  onGone: () => void,
): Running => {
  const handedOver = { writing: 0, drained: () => {} };
  let child: ChildProcess | undefined;
  const ready = (async () => {
    try {
      const started = spawnListening(stateDir, await launcherProgram(stateDir), onChanged, onGone, handedOver);
      child = started.child;
      return await started.listening;
    } catch (error) {
      // Not started at all: the next caller tries again. (One that started and ended has told onGone itself.)
      if (!child) onGone();
      throw error;
    }
  })();
  const written = () =>
    handedOver.writing === 0 ? Promise.resolve() : new Promise<void>((resolve) => (handedOver.drained = resolve));
  const release = async () => {
    await ready.catch(() => {});
    await written();
    if (child?.connected) child.disconnect();
  };
  return { ready, release };
};

export const createLauncherClient = (
  stateDir: string,
  onChanged: (key: string, change: RecordChange) => void,
): LauncherClient => {
  let running: Running | undefined;
  return {
    async current() {
      const current = (running ??= startLauncher(stateDir, onChanged, () => {
        if (running === current) running = undefined;
      }));
      return current.ready;
    },
    async close() {
      const last = running;
      running = undefined;
      await last?.release();
    },
  };
};
