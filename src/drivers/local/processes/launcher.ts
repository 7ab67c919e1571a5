// The launcher: one small, long-lived process per server that forks every supervised command directly and records
// its pid and its end. It outlives the server that started it until its last command ended, so a server crash
// loses nothing, and the server, a much larger process, never forks per command.
// Run as `node launcher.ts <state dir>` by launcher-client.ts, with an IPC channel.
import { startSupervised } from './launch.ts';
import type { LaunchRequest, LauncherMessage } from './launcher-messages.ts';
import { processStartTime } from './proc.ts';

const stateDir = process.argv[2];
const self = { pid: process.pid, startTime: processStartTime(process.pid) ?? '' };

/** Once the server is gone nobody reads these; the records on disk tell the next one. */
const tell = (message: LauncherMessage): void => {
  if (process.connected) process.send!(message, undefined, undefined, () => {});
};

const handle = ({ id, launch }: LaunchRequest): void => {
  try {
    const claimed = startSupervised(stateDir, launch, self, () => tell({ type: 'exited', key: launch.key }));
    tell({ type: 'launched', id, claimed });
  } catch (error) {
    console.error(`${new Date().toISOString()} launching ${launch.key}: ${(error as Error).stack}`);
    tell({ type: 'failed', id, message: (error as Error).message });
  }
};

// The channel keeps this process alive while the server is connected, each running command while it runs;
// with neither left, it exits on its own.
process.on('message', handle);
tell({ type: 'ready' });

// A record that cannot be written (a full disk) fails that one command; it must not end the supervision of all.
process.on('uncaughtException', (error) => console.error(`${new Date().toISOString()} ${error.stack}`));
