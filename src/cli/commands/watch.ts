// watch: follows the change feed, one line per event, resuming with Last-Event-ID after a drop.
// `resources watch` follows the same feed through followFeed, keeping only a team's resources.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import { withQuery } from '../client.ts';
import { ApiError, UsageError } from '../errors.ts';
import { readEvents } from '../event-stream.ts';
import { positiveInteger } from '../parse.ts';
import { action, type Session } from '../session.ts';

export interface FeedEvent {
  id: number;
  at: string;
  type: string;
  team: string | null;
  object: { kind: string; id: string };
  data: Record<string, unknown>;
}

const firstBackoffMs = 500;
const maxBackoffMs = 10_000;

function eventLine(event: FeedEvent): string {
  const name = typeof event.data.name === 'string' ? `  ${event.data.name}` : '';
  return `${String(event.id).padEnd(6)}  ${event.at}  ${event.type.padEnd(18)}  ${event.object.kind}/${event.object.id}${name}\n`;
}

interface Position {
  lastEventId: string | undefined;
  connected: boolean;
}

type EventFilter = (event: FeedEvent) => boolean;

/** Reads one connection to its end, printing the events `accept` keeps and moving the position past every one. */
async function follow(session: Session, path: string, position: Position, accept: EventFilter) {
  const body = await session.api.openStream(path, position.lastEventId);
  position.connected = true;
  for await (const message of readEvents(body)) {
    if (message.event === 'error') throw new UsageError(JSON.parse(message.data).detail ?? 'the event stream failed');
    const event = JSON.parse(message.data) as FeedEvent;
    if (accept(event)) process.stdout.write(session.json ? `${JSON.stringify(event)}\n` : eventLine(event));
    position.lastEventId = message.id ?? position.lastEventId;
  }
}

/** A first connection that fails is an error; once streaming, drops are retried with growing pauses. */
export async function followFeed(
  session: Session,
  options: { team?: string; after?: number },
  accept: EventFilter = () => true,
) {
  const path = withQuery('/events', { team: options.team });
  const position: Position = { lastEventId: options.after?.toString(), connected: false };
  let backoffMs = firstBackoffMs;
  for (;;) {
    try {
      await follow(session, path, position, accept);
      backoffMs = firstBackoffMs;
    } catch (error) {
      if (!position.connected || error instanceof ApiError || error instanceof UsageError) throw error;
      process.stderr.write(`connection lost (${(error as Error).message}); reconnecting\n`);
      backoffMs = Math.min(backoffMs * 2, maxBackoffMs);
    }
    await sleep(backoffMs);
  }
}

export function registerWatch(program: Command) {
  program
    .command('watch')
    .description('print events as they happen (the backlog first, from --after or the beginning)')
    .option('--team <team>', 'only events of this team (id or name)')
    .option('--after <eventId>', 'start after this event id', positiveInteger)
    .action(action((session, options: { team?: string; after?: number }) => followFeed(session, options)));
}
