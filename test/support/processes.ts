// Processes in tests: whether one is alive, and stopping what a closed test server supervised (outliving
// the server is what those processes are built for, and a test machine is not a cloud).
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const signalGroup = (pid: number) => {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
};

export function killSupervisedProcesses(stateDir: string): void {
  removeRuntimeDirs(stateDir);
  const records = join(stateDir, 'processes');
  if (!existsSync(records)) return;
  for (const name of readdirSync(records)) {
    for (const file of ['child.json', 'supervisor.json']) {
      const path = join(records, name, file);
      if (!existsSync(path)) continue;
      try {
        signalGroup((JSON.parse(readFileSync(path, 'utf8')) as { pid: number }).pid);
      } catch {
        // a record being written: its process is in the other file
      }
    }
  }
}

/** A service whose own directory is deep keeps its sockets in the temporary folder, until it is deleted. */
function removeRuntimeDirs(stateDir: string): void {
  const services = join(stateDir, 'local', 'service');
  if (!existsSync(services)) return;
  for (const id of readdirSync(services)) rmSync(join(tmpdir(), `cloudplane-${id}`), { recursive: true, force: true });
}

export const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
