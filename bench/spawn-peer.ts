// The jobs part's peer: a bare `spawn('true')` from a fresh node process, with as many in flight as the jobs part
// creates, so cloudplane's jobs/s reads as a ratio to what this host's process creation allows right now.
// Run as a child (`node spawn-peer.ts <count> <concurrency>`), so the load generator's heap does not slow its forks.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface SpawnPeerRun {
  spawns: number;
  concurrency: number;
  seconds: number;
  perSecond: number;
}

const runOne = (): Promise<void> =>
  new Promise((resolve, reject) => {
    const child = spawn('true', [], { stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`true exited with ${code}`))));
  });

async function spawnMany(count: number, concurrency: number): Promise<SpawnPeerRun> {
  let next = 0;
  const lane = async () => {
    while (next < count) {
      next++;
      await runOne();
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  const seconds = (performance.now() - started) / 1000;
  return { spawns: count, concurrency, seconds, perSecond: count / seconds };
}

/** Runs the peer in a child node process and hands back what it measured. */
export function measureSpawnPeer(count: number, concurrency: number): Promise<SpawnPeerRun> {
  const script = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, [script, String(count), String(concurrency)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (run: SpawnPeerRun) => resolve(run));
    child.once('exit', (code) => reject(new Error(`the spawn peer exited with code ${code} before reporting`)));
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.send) {
  const run = await spawnMany(Number(process.argv[2]), Number(process.argv[3]));
  process.send(run, () => process.disconnect());
}
