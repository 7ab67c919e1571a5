// Polls the processes this server watches and reports each one's end exactly once.
import type { ProcessStatus } from './supervisor.ts';

/** Short enough that a finished job is noticed quickly, long enough to cost nothing measurable. */
const pollMs = 250;

export interface ExitWatcher {
  watch(key: string): void;
  /** Lets a forgotten key, launched again, be reported again. */
  unwatch(key: string): void;
  close(): void;
}

export const createExitWatcher = (
  read: (key: string) => ProcessStatus | undefined,
  onExit: (status: ProcessStatus) => void,
): ExitWatcher => {
  const watched = new Set<string>();
  const reported = new Set<string>();
  let timer: NodeJS.Timeout | undefined;

  const poll = (): void => {
    for (const key of watched) {
      let status: ProcessStatus | undefined;
      try {
        status = read(key);
      } catch {
        // An unreadable record (a full disk, a permission) may heal; a poll must never crash the server.
        continue;
      }
      if (status?.state !== 'exited' && status !== undefined) continue;
      watched.delete(key);
      if (status && !reported.has(key)) {
        reported.add(key);
        onExit(status);
      }
    }
    if (watched.size === 0) stop();
  };

  const stop = (): void => {
    clearInterval(timer);
    timer = undefined;
  };

  return {
    watch(key) {
      if (reported.has(key)) return;
      watched.add(key);
      timer ??= setInterval(poll, pollMs);
    },
    unwatch(key) {
      watched.delete(key);
      reported.delete(key);
    },
    close: stop,
  };
};
