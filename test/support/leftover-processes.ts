// Test servers hand their supervised processes over to nobody: stop them when the test server goes,
// since outliving the server is what they are built for (and a test machine is not a cloud).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const signalGroup = (pid: number) => {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
};

export function killSupervisedProcesses(stateDir: string): void {
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
