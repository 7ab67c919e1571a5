// watch: prints the change feed as it happens, one line per event with the state it moved to.
import type { Command } from 'commander';
import { followFeed, type FeedEvent } from '../feed.ts';
import { positiveInteger } from '../parse.ts';
import { action, type Session } from '../session.ts';

/** A status event names the state it moved to, so a reader sees the change without fetching the resource. */
function eventLine(event: FeedEvent): string {
  const name = typeof event.data.name === 'string' ? `  ${event.data.name}` : '';
  const { action, state: to } = event.data;
  // An action event records the state it was asked in; what it leads to follows as a status event.
  const state = typeof action === 'string' ? `  ${action}` : typeof to === 'string' ? `  -> ${to}` : '';
  const message =
    typeof event.data.message === 'string' && event.data.message !== '' && event.type === 'resource.status'
      ? `  (${event.data.message})`
      : '';
  return `${String(event.id).padEnd(6)}  ${event.at}  ${event.type.padEnd(18)}  ${event.object.kind}/${event.object.id}${name}${state}${message}\n`;
}

/** Prints the events `accept` keeps, forever (until interrupted). */
export function printFeed(
  session: Session,
  options: { team?: string; object?: string; after?: number },
  accept: (event: FeedEvent) => boolean = () => true,
) {
  return followFeed(session, options, (event) => {
    if (accept(event)) process.stdout.write(session.json ? `${JSON.stringify(event)}\n` : eventLine(event));
  });
}

export function registerWatch(program: Command) {
  program
    .command('watch')
    .description('print events as they happen (the backlog first, from --after or the beginning)')
    .option('--team <team>', 'only events of this team (id or name)')
    .option('--object <id>', 'only events about this object (e.g. a resource id)')
    .option('--after <eventId>', 'start after this event id', positiveInteger)
    .action(
      action((session, options: { team?: string; object?: string; after?: number }) => printFeed(session, options)),
    );
}
