// What the server and its launcher say to each other over the IPC channel, one JSON message at a time.
import type { SpecRecord } from './records.ts';

/** Server to launcher: start this claimed spec (its record directory follows from the key). */
export interface LaunchRequest {
  spec: SpecRecord;
}

/** Launcher to server; `started` and `exited` follow the key's records, so the server need not wait for a marker. */
export type LauncherMessage =
  /** Sent once the launcher listens: requests sent before it would be lost. */
  { type: 'ready' } | { type: 'started'; key: string } | { type: 'exited'; key: string };

/** What changed in a key's records: its command runs now, or it ended (its exit is recorded). */
export type RecordChange = 'started' | 'exited';
