// The launcher: one small, long-lived process per server that forks every supervised command directly and records
// its pid and its end. It outlives the server that started it until its last command ended, so a server crash
// loses nothing, and the server, a much larger process, never forks per command.
// Run as `node launcher.ts <state dir>` by launcher-client.ts, with an IPC channel.
import type { LaunchRequest, LauncherMessage } from './launcher-messages.ts';
import { recordPaths } from './paths.ts';
import { supervise } from './supervise.ts';

const stateDir = process.argv[2];

// A record that cannot be written (a full disk) fails that one command; it must not end the supervision of all.
process.on('uncaughtException', (error) => console.error(`${new Date().toISOString()} ${error.stack}`));

/** Once the server is gone nobody reads these; the records on disk tell the next one. */
const tell = (message: LauncherMessage): void => {
  if (process.connected) process.send!(message, undefined, undefined, () => {});
};

const handle = ({ spec }: LaunchRequest): void => {
  const { key } = spec;
  supervise(recordPaths(stateDir, key), spec, {
    started: () => tell({ type: 'started', key }),
    ended: () => tell({ type: 'exited', key }),
  });
};

// The channel keeps this process alive while the server is connected, each running command while it runs;
// with neither left, it exits on its own.
process.on('message', handle);
tell({ type: 'ready' });
