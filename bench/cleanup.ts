// What a bench run started and has not yet stopped (child servers, temp dirs, PostgreSQL), so an error or Ctrl-C in
// any part still stops and removes all of it. Process-wide on purpose: every part's children must be reachable from
// run.ts's signal handler, whichever module started them.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Stoppable {
  stop(): Promise<void>;
}

const live = new Set<() => Promise<void>>();
/** Set once the run is being interrupted: whatever a part starts after that is stopped at once. */
let interrupted = false;

/** Registers `thing` for cleanup; its `stop` unregisters it, so stopping twice is harmless. */
export function tracked<T extends Stoppable>(thing: T): T {
  if (interrupted) {
    void thing.stop();
    throw new Error('the bench was interrupted');
  }
  let stopped: Promise<void> | undefined;
  const stop = () => {
    live.delete(stop);
    return (stopped ??= thing.stop());
  };
  live.add(stop);
  return { ...thing, stop };
}

/** A fresh directory under the system's temp dir, removed by `stop` or by `stopEverything`. */
export async function tempDir(): Promise<{ path: string; stop(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'cloudplane-bench-'));
  return tracked({ path, stop: () => rm(path, { recursive: true, force: true }) });
}

/** After Ctrl-C: no further part runs and no result is written. */
export const isInterrupted = () => interrupted;

/** Stops everything and refuses anything new: Ctrl-C. */
export function interrupt(): Promise<void> {
  interrupted = true;
  return stopEverything();
}

/** Stops whatever is still running, newest first (a server before the directory it writes to). */
export async function stopEverything(): Promise<void> {
  for (const stop of [...live].reverse()) await stop().catch(() => {});
}
