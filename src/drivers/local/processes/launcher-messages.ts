// What the server and its launcher say to each other over the IPC channel, one JSON message at a time.
import type { LaunchSpec } from './supervisor.ts';

/** Server to launcher: start this, once per key. */
export interface LaunchRequest {
  id: number;
  launch: LaunchSpec;
}

export type LauncherMessage =
  /** Sent once the launcher listens: requests sent before it would be lost. */
  | { type: 'ready' }
  /** `claimed` false: the key already had a record, nothing was started. */
  | { type: 'launched'; id: number; claimed: boolean }
  | { type: 'failed'; id: number; message: string }
  /** The key's exit record is written: the server need not wait for the marker or a poll to see it. */
  | { type: 'exited'; key: string };
