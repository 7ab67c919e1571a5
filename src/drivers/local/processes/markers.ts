// Tells, through inotify on the markers directory, which key a supervisor just recorded a start or an exit for.
import { mkdirSync, watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import path from 'node:path';
import type { RecordChange } from './launcher-messages.ts';
import { decodeKey, markersDirName } from './paths.ts';

export interface MarkerWatch {
  /** False when inotify is not available here: then only polling notices anything. */
  readonly active: boolean;
  close(): void;
}

export const watchMarkers = (stateDir: string, onMarker: (key: string, change: RecordChange) => void): MarkerWatch => {
  const dir = path.join(stateDir, markersDirName);
  let watcher: FSWatcher | undefined;
  try {
    mkdirSync(dir, { recursive: true });
    watcher = watch(dir, (_event, name) => {
      // `<encoded key>.started` or `<encoded key>.exited`; an encoded key holds no '.'.
      const [encoded, suffix] = name?.split('.') ?? [];
      if (!encoded) return;
      try {
        // Anything but a start marker is read as a possible end: one check too many is harmless, one too few is not.
        onMarker(decodeKey(encoded), suffix === 'started' ? 'started' : 'exited');
      } catch {
        // A stray file that is no encoded key is no marker; a watch must never crash the server.
      }
    });
    // Markers are only a hint that wakes the server sooner; they must not keep it running.
    watcher.unref();
    watcher.on('error', () => {
      watcher?.close();
      watcher = undefined;
    });
  } catch {
    watcher = undefined;
  }
  return {
    get active() {
      return watcher !== undefined;
    },
    close() {
      watcher?.close();
      watcher = undefined;
    },
  };
};
