// The server's side of the launcher: starts it once (again, should it die), hands it claimed specs over the IPC
// channel, and hears from it when a command started or ended.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LaunchRequest, LauncherMessage } from './launcher-messages.ts';
import { processStartTime } from './proc.ts';
import type { PidRecord, SpecRecord } from './records.ts';

const launcherProgram = fileURLToPath(new URL('./launcher.ts', import.meta.url));

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
  launcher: Launcher;
  child: ChildProcess;
  ready: Promise<void>;
  /** Resolves once every request handed over is written. */
  written(): Promise<void>;
}

/** Its own session, so a signal to the server's group (Ctrl-C) does not reach the commands' supervisor. */
const spawnLauncher = (stateDir: string): ChildProcess => {
  mkdirSync(stateDir, { recursive: true });
  const log = openSync(path.join(stateDir, launcherLogName), 'a');
  try {
    return spawn(process.execPath, [launcherProgram, stateDir], {
      cwd: '/',
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      detached: true,
      stdio: ['ignore', 'ignore', log, 'ipc'],
    });
  } finally {
    closeSync(log);
  }
};

const startLauncher = (stateDir: string, onChanged: (key: string) => void, onGone: () => void): Running => {
  const child = spawnLauncher(stateDir);
  if (child.pid === undefined) throw new Error(`the launcher could not be started (${process.execPath})`);
  let writing = 0;
  let drained = () => {};
  let markReady = () => {};
  let failReady = (_error: Error) => {};
  const ready = new Promise<void>((resolve, reject) => ([markReady, failReady] = [resolve, reject]));
  child.on('message', (message: LauncherMessage) => {
    if (message.type !== 'ready') return onChanged(message.key);
    // Once it listens, it must not hold the server open: only requests being written do.
    child.channel?.unref();
    markReady();
  });
  const gone = () => {
    failReady(new Error(`the launcher ended before it was ready: see ${path.join(stateDir, launcherLogName)}`));
    onGone();
  };
  child.once('exit', gone);
  child.once('error', gone);
  child.unref();
  const launcher: Launcher = {
    record: { pid: child.pid, startTime: processStartTime(child.pid) ?? '' },
    start: (spec) =>
      new Promise((resolve) => {
        if (!child.connected) return resolve();
        writing++;
        const request: LaunchRequest = { spec };
        child.send(request, undefined, undefined, () => {
          if (--writing === 0) drained();
          resolve();
        });
      }),
  };
  const written = () => (writing === 0 ? Promise.resolve() : new Promise<void>((resolve) => (drained = resolve)));
  return { launcher, child, ready, written };
};

export const createLauncherClient = (stateDir: string, onChanged: (key: string) => void): LauncherClient => {
  let running: Running | undefined;
  return {
    async current() {
      const current = (running ??= startLauncher(stateDir, onChanged, () => {
        if (running === current) running = undefined;
      }));
      await current.ready;
      return current.launcher;
    },
    async close() {
      const last = running;
      running = undefined;
      if (!last) return;
      await last.written();
      if (last.child.connected) last.child.disconnect();
    },
  };
};
