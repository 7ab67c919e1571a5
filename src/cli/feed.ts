// Follows the change feed: resumes with Last-Event-ID after a drop, until the caller's signal stops it.
import { setTimeout as sleep } from 'node:timers/promises';
import { withQuery } from './client.ts';
import { ApiError, UsageError } from './errors.ts';
import { readEvents } from './event-stream.ts';
import type { Session } from './session.ts';

export interface FeedEvent {
  id: number;
  at: string;
  type: string;
  team: string | null;
  object: { kind: string; id: string };
  data: Record<string, unknown>;
}

export interface FeedOptions {
  team?: string;
  /** Only the events about this object (its id): the server narrows the feed. */
  object?: string;
  after?: number;
  /** No backlog: only the events recorded once connected. */
  live?: boolean;
  signal?: AbortSignal;
  /** Called on every (re)connection, once the server delivers everything recorded after it. */
  onConnected?: () => void;
}

const firstBackoffMs = 500;
const maxBackoffMs = 10_000;

interface Position {
  lastEventId: string | undefined;
  connected: boolean;
}

/** Reads one connection to its end, handing over every event and moving the position past it. */
async function follow(session: Session, options: FeedOptions, position: Position, onEvent: (event: FeedEvent) => void) {
  const live = options.live && position.lastEventId === undefined ? true : undefined;
  const path = withQuery('/events', { team: options.team, object: options.object, live });
  const body = await session.api.openStream(path, position.lastEventId, options.signal);
  position.connected = true;
  options.onConnected?.();
  for await (const message of readEvents(body)) {
    if (message.event === 'error') throw new UsageError(JSON.parse(message.data).detail ?? 'the event stream failed');
    onEvent(JSON.parse(message.data) as FeedEvent);
    position.lastEventId = message.id ?? position.lastEventId;
  }
}

/**
 * A first connection that fails is an error; once streaming, drops are retried with growing pauses.
 * Returns only when options.signal is aborted.
 */
export async function followFeed(session: Session, options: FeedOptions, onEvent: (event: FeedEvent) => void) {
  const position: Position = { lastEventId: options.after?.toString(), connected: false };
  let backoffMs = firstBackoffMs;
  while (!options.signal?.aborted) {
    try {
      await follow(session, options, position, onEvent);
      backoffMs = firstBackoffMs;
    } catch (error) {
      if (options.signal?.aborted) return;
      if (!position.connected || error instanceof ApiError || error instanceof UsageError) throw error;
      process.stderr.write(`connection lost (${(error as Error).message}); reconnecting\n`);
      backoffMs = Math.min(backoffMs * 2, maxBackoffMs);
    }
    try {
      await sleep(backoffMs, undefined, { signal: options.signal });
    } catch {
      return;
    }
  }
}
