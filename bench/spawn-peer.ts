// The jobs part's peers: a bare `spawn('true')` from a fresh node process, with as many in flight as the jobs part
// creates, so cloudplane's jobs/s reads as a ratio to what this host's process creation allows right now; and the
// same with each `true` under the limits a job has by default, enforced as the local driver enforces them here
// (a prlimit or cgroup-joining prefix: one more exec per process), the floor for running a job's command at all.
// Run as a child (`node spawn-peer.ts <count> <concurrency> [limits]`), so the load generator's heap does not slow
// its forks.
import { spawn } from 'node:child_process';
import { rmdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { planLimits } from '../src/drivers/local/processes/limits.ts';
import type { LaunchSpec, ProcessStatus } from '../src/drivers/local/processes/supervisor.ts';

export type SpawnLimits = NonNullable<LaunchSpec['limits']>;

export interface SpawnPeerRun {
  spawns: number;
  concurrency: number;
  seconds: number;
  perSecond: number;
  /** With limits: how they were enforced, and the command that ran (prefix and all). */
  enforcement?: ProcessStatus['enforcement']['method'];
  command?: string[];
}

const runOne = (command: string[]): Promise<void> =>
  new Promise((resolve, reject) => {
    const child = spawn(command[0], command.slice(1), { stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command.join(' ')} exited with ${code}`)),
    );
  });

async function spawnMany(count: number, concurrency: number, limits?: SpawnLimits): Promise<SpawnPeerRun> {
  let next = 0;
  let last: { command: string[]; enforcement: ProcessStatus['enforcement']['method'] } | undefined;
  const lane = async () => {
    while (next < count) {
      const name = `spawn-peer-${process.pid}-${next++}`;
      const plan = limits ? planLimits(name, limits) : undefined;
      const command = [...(plan?.prefix ?? []), 'true'];
      await runOne(command);
      // The supervisor removes a process's cgroup once it has ended; so does the peer.
      if (plan?.cgroupDir) rmdirSync(plan.cgroupDir);
      if (plan) last = { command, enforcement: plan.enforcement.method };
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  const seconds = (performance.now() - started) / 1000;
  return { spawns: count, concurrency, seconds, perSecond: count / seconds, ...last };
}

/** Runs the peer in a child node process and hands back what it measured. */
export function measureSpawnPeer(count: number, concurrency: number, limits?: SpawnLimits): Promise<SpawnPeerRun> {
  const script = fileURLToPath(import.meta.url);
  const args = [script, String(count), String(concurrency), ...(limits ? [JSON.stringify(limits)] : [])];
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (run: SpawnPeerRun) => resolve(run));
    child.once('exit', (code) => reject(new Error(`the spawn peer exited with code ${code} before reporting`)));
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.send) {
  const limits = process.argv[4] === undefined ? undefined : (JSON.parse(process.argv[4]) as SpawnLimits);
  const run = await spawnMany(Number(process.argv[2]), Number(process.argv[3]), limits);
  process.send(run, () => process.disconnect());
}
