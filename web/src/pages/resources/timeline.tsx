// The event timeline of one resource (the audit log and change feed, narrowed to it), oldest first.
import type { FeedEvent } from '../../api/change-feed.ts';
import { unwrap, type Api } from '../../api/client.ts';
import { dateTime } from '../../ui/format.ts';

/**
 * The events of the team about resource `id` after event `since`: the feed filters by team, so the rest is
 * narrowed here; a page that has read them once asks only for what came after the last one it has.
 */
export async function loadTimeline(api: Api, team: string, id: string, since = 0): Promise<FeedEvent[]> {
  const found: FeedEvent[] = [];
  for (let after: number | null = since; after !== null;) {
    const page: { items: FeedEvent[]; next: number | null } = unwrap(
      await api.GET('/api/v1/events', { params: { query: { team, after, limit: 5000 } } }),
    );
    found.push(...page.items.filter((event) => event.object.id === id));
    after = page.next;
  }
  return found;
}

const summary = (event: FeedEvent) =>
  [
    event.data.previousState && `${event.data.previousState} → ${event.data.state}`,
    event.data.action,
    event.data.message,
  ]
    .filter((part) => typeof part === 'string' && part !== '')
    .join(': ');

export function Timeline(props: { events: FeedEvent[] }) {
  if (props.events.length === 0) return <p>No event yet.</p>;
  return (
    <ol class="timeline">
      {props.events.map((event) => (
        <li key={event.id}>
          <time dateTime={event.at}>{dateTime(event.at)}</time> <strong>{event.type}</strong> {summary(event)}
        </li>
      ))}
    </ol>
  );
}
