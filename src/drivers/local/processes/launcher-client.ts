// The server's side of the launcher: starts it once (again, should it die), hands it launch requests over the IPC
// channel, and hears from it when a command ended.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LaunchRequest, LauncherMessage } from './launcher-messages.ts';
import type { LaunchSpec } from './supervisor.ts';

const launcherProgram = fileURLToPath(new URL('./launcher.ts', import.meta.url));

/** Where the launcher writes what went wrong inside it; a name adoption skips (it starts with '.'). */
export const launcherLogName = '.launcher.log';

export interface LauncherClient {
  /** True when this call started the key; false when it already had a record; undefined if the launcher died. */
  launch(spec: LaunchSpec): Promise<boolean | undefined>;
  /** Lets the launcher go: it exits by itself once its commands have ended. */
  close(): void;
}

interface Pending {
  resolve: (claimed: boolean | undefined) => void;
  reject: (error: Error) => void;
}

interface Running {
  child: ChildProcess;
  ready: Promise<void>;
}

export const createLauncherClient = (stateDir: string, onExited: (key: string) => void): LauncherClient => {
  const pending = new Map<number, Pending>();
  let nextId = 0;
  let running: Running | undefined;

  /** Only a launcher with requests in flight keeps the server alive; one idle must never hold it open. */
  const holdOpen = (child: ChildProcess): void => {
    if (pending.size > 0) child.channel?.ref();
    else child.channel?.unref();
  };

  const settle = (id: number, outcome: (entry: Pending) => void): void => {
    const entry = pending.get(id);
    if (!entry) return;
    pending.delete(id);
    outcome(entry);
  };

  const start = (): Running => {
    mkdirSync(stateDir, { recursive: true });
    const log = openSync(path.join(stateDir, launcherLogName), 'a');
    let child: ChildProcess;
    try {
      // Its own session, so a signal to the server's group (Ctrl-C) does not reach the commands' supervisor.
      child = spawn(process.execPath, [launcherProgram, stateDir], {
        cwd: '/',
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
        detached: true,
        stdio: ['ignore', 'ignore', log, 'ipc'],
      });
    } finally {
      closeSync(log);
    }
    child.unref();
    let markReady = () => {};
    const ready = new Promise<void>((resolve) => (markReady = resolve));
    child.on('message', (message: LauncherMessage) => {
      if (message.type === 'ready') markReady();
      else if (message.type === 'exited') onExited(message.key);
      else if (message.type === 'launched') settle(message.id, (entry) => entry.resolve(message.claimed));
      else
        settle(message.id, (entry) => entry.reject(new Error(`the launcher could not start it: ${message.message}`)));
      holdOpen(child);
    });
    // A launcher that died (or never started) leaves its requests to the records: they say what it managed to do.
    const gone = () => {
      if (running?.child === child) running = undefined;
      markReady();
      for (const id of [...pending.keys()]) settle(id, (entry) => entry.resolve(undefined));
    };
    child.once('exit', gone);
    child.once('error', gone);
    holdOpen(child);
    return { child, ready };
  };

  return {
    async launch(spec) {
      running ??= start();
      const { child, ready } = running;
      const id = nextId++;
      const answer = new Promise<boolean | undefined>((resolve, reject) => pending.set(id, { resolve, reject }));
      holdOpen(child);
      await ready;
      const request: LaunchRequest = { id, launch: spec };
      if (child.connected) child.send(request, undefined, undefined, () => {});
      else settle(id, (entry) => entry.resolve(undefined));
      return answer;
    },
    close() {
      if (running?.child.connected) running.child.disconnect();
      running = undefined;
    },
  };
};
