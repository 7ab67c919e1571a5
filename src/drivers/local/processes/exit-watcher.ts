// Follows the processes this server watches, woken by their markers and polling as a fallback, and reports each
// one's end exactly once.
import type { RecordChange } from './launcher-messages.ts';
import { watchMarkers } from './markers.ts';
import type { ProcessStatus } from './supervisor.ts';

/** With markers, polling only catches what writes none (a supervisor that died); without, it is all there is. */
const pollMs = { withMarkers: 250, alone: 50 };

export interface ExitWatcher {
  watch(key: string): void;
  /** The key's records changed (its launcher or a marker said so): wake its waiters, and report it if it ended. */
  notice(key: string, change: RecordChange): void;
  /** Lets a forgotten key, launched again, be reported again. */
  unwatch(key: string): void;
  /** Resolves once a marker for the key appears, or after `ms` at the latest; callers then read the records. */
  changed(key: string, ms: number): Promise<void>;
  close(): void;
}

export const createExitWatcher = (
  stateDir: string,
  read: (key: string) => ProcessStatus | undefined,
  onExit: (status: ProcessStatus) => void,
): ExitWatcher => {
  const watched = new Set<string>();
  const reported = new Set<string>();
  const waiters = new Map<string, Set<() => void>>();
  let timer: NodeJS.Timeout | undefined;

  const check = (key: string): void => {
    let status: ProcessStatus | undefined;
    try {
      status = read(key);
    } catch {
      // An unreadable record (a full disk, a permission) may heal; a check must never crash the server.
      return;
    }
    if (status?.state !== 'exited' && status !== undefined) return;
    watched.delete(key);
    if (status && !reported.has(key)) {
      reported.add(key);
      onExit(status);
    }
  };

  const poll = (): void => {
    for (const key of watched) check(key);
    if (watched.size === 0) stop();
  };

  const stop = (): void => {
    clearInterval(timer);
    timer = undefined;
  };

  // A start needs no reading here: only an end is reported, and each start is told twice (launcher and marker).
  const notice = (key: string, change: RecordChange): void => {
    for (const wake of waiters.get(key) ?? []) wake();
    if (change === 'exited' && watched.has(key)) check(key);
  };
  const markers = watchMarkers(stateDir, notice);

  return {
    watch(key) {
      if (reported.has(key)) return;
      watched.add(key);
      timer ??= setInterval(poll, markers.active ? pollMs.withMarkers : pollMs.alone);
    },
    notice,
    unwatch(key) {
      watched.delete(key);
      reported.delete(key);
    },
    changed(key, ms) {
      return new Promise((resolve) => {
        const wake = (): void => {
          clearTimeout(fallback);
          waiters.get(key)?.delete(wake);
          if (waiters.get(key)?.size === 0) waiters.delete(key);
          resolve();
        };
        const fallback = setTimeout(wake, ms);
        waiters.set(key, (waiters.get(key) ?? new Set()).add(wake));
      });
    },
    close() {
      stop();
      markers.close();
    },
  };
};
