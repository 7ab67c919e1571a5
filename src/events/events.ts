// Reading the event log: pages of past events and a live, resumable stream, each filtered to what the caller may see.
import type { ServiceContext } from '../domain/context.ts';
import { requireTeamRole } from '../identity/access.ts';
import { actsAsPlatformAdmin, type Caller } from '../domain/caller.ts';
import { lastEventId, listVisibleEvents, type EventRow } from '../store/events.ts';
import { listTeamIdsOfUser } from '../store/teams.ts';
import type { Event } from './models.ts';

export const toEvent = (row: EventRow): Event => ({
  id: row.id,
  at: row.at,
  type: row.type,
  actor: row.actor_id,
  team: row.team_id,
  object: { kind: row.object_kind, id: row.object_id },
  data: JSON.parse(row.data),
});

/** What a caller sees: the events of `teamIds` (all when undefined), narrowed to one team and one object if asked. */
interface Visibility {
  teamIds: string[] | undefined;
  teamId?: string;
  objectId?: string;
}

/** Which events a reader asks for: one team's (id or name), one object's (its id), or all they may see. */
export interface EventFilter {
  team?: string;
  object?: string;
}

async function visibilityOf(ctx: ServiceContext, caller: Caller, filter: EventFilter): Promise<Visibility> {
  const teamId =
    filter.team === undefined ? undefined : (await requireTeamRole(ctx, caller, filter.team, 'viewer')).team.id;
  const teamIds = actsAsPlatformAdmin(caller) ? undefined : await listTeamIdsOfUser(ctx.store.db, caller.userId);
  return { teamIds, teamId, objectId: filter.object };
}

export async function listEvents(
  ctx: ServiceContext,
  caller: Caller,
  options: EventFilter & { afterId: number; limit: number },
) {
  const visibility = await visibilityOf(ctx, caller, options);
  const rows = await listVisibleEvents(ctx.store.db, {
    ...visibility,
    afterId: options.afterId,
    limit: options.limit,
    userId: caller.userId,
  });
  return rows.map(toEvent);
}

/** An event as the feed sends it: its JSON made once, whichever and however many subscribers see it. */
export interface SerialisedEvent {
  id: number;
  type: string;
  json: string;
}

// A memo keyed by the feed's rows, which every subscriber shares and nobody mutates: one JSON per event.
const serialisations = new WeakMap<EventRow, SerialisedEvent>();

export function serialiseEvent(row: EventRow): SerialisedEvent {
  let serialised = serialisations.get(row);
  if (!serialised) {
    serialised = { id: row.id, type: row.type, json: JSON.stringify(toEvent(row)) };
    serialisations.set(row, serialised);
  }
  return serialised;
}

// The feed hands every subscriber the same array per poll: those that see all of it share one list (and so the
// route's one frame of it), instead of each building its own copy of the same bytes.
const serialisedBatches = new WeakMap<readonly EventRow[], SerialisedEvent[]>();

function serialiseBatch(rows: readonly EventRow[]): SerialisedEvent[] {
  let batch = serialisedBatches.get(rows);
  if (!batch) {
    batch = rows.map(serialiseEvent);
    serialisedBatches.set(rows, batch);
  }
  return batch;
}

/**
 * A membership of the caller's own that this event starts or ends, applied at once: refreshing the
 * team list is asynchronous, and the event that makes a team visible must itself be delivered.
 */
function applyOwnMembership(row: EventRow, caller: Caller, visibility: Visibility): void {
  if (visibility.teamIds === undefined || row.team_id === null) return;
  const joins =
    (row.type === 'team.created' && row.actor_id === caller.userId) ||
    (row.type === 'member.added' && row.object_id === caller.userId);
  if (joins && !visibility.teamIds.includes(row.team_id)) visibility.teamIds = [...visibility.teamIds, row.team_id];
}

function isVisible(row: EventRow, caller: Caller, visibility: Visibility): boolean {
  if (visibility.teamId !== undefined && row.team_id !== visibility.teamId) return false;
  if (visibility.objectId !== undefined && row.object_id !== visibility.objectId) return false;
  if (visibility.teamIds === undefined) return true;
  if (row.team_id === null) return row.actor_id === caller.userId || row.object_id === caller.userId;
  return visibility.teamIds.includes(row.team_id);
}

const changesTeams = (type: string) => type.startsWith('member.') || type.startsWith('team.');
const changesIdentity = (type: string) => type.startsWith('token.') || type.startsWith('user.');

/**
 * Streams events after `afterId`: first the backlog from the log, then live ones from the feed,
 * each exactly once and in order; `live` skips the backlog (every event recorded once subscribed).
 * `send` gets the events of one read or one feed poll at once, so a stream writes once per poll;
 * it answers false once the stream has ended, and the backlog (whose sends it may hold back) stops.
 * Membership changes are picked up as they stream past; token and user changes are passed to
 * `onIdentityEvent`.
 */
export async function streamEvents(
  ctx: ServiceContext,
  caller: Caller,
  options: EventFilter & { afterId: number; live?: boolean; onIdentityEvent?: () => void },
  send: (events: SerialisedEvent[], backlog: boolean) => boolean | Promise<boolean>,
): Promise<() => void> {
  const visibility = await visibilityOf(ctx, caller, options);
  let lastSent = options.afterId;
  let backlogDone = false;
  const buffered: EventRow[] = [];
  const deliver = (rows: readonly EventRow[]) => {
    const visible: EventRow[] = [];
    for (const row of rows) {
      if (row.id <= lastSent) continue;
      lastSent = row.id;
      applyOwnMembership(row, caller, visibility);
      if (changesTeams(row.type)) void refreshTeams();
      // Any user's token or user event, visible or not: the caller's own token may be the one it ends.
      if (changesIdentity(row.type)) options.onIdentityEvent?.();
      if (isVisible(row, caller, visibility)) visible.push(row);
    }
    if (visible.length === rows.length) void send(serialiseBatch(rows), false);
    else if (visible.length > 0) void send(visible.map(serialiseEvent), false);
  };
  const refreshTeams = async () => {
    if (visibility.teamIds !== undefined) visibility.teamIds = (await visibilityOf(ctx, caller, options)).teamIds;
  };
  const unsubscribe = await ctx.feed.subscribeBatches((rows) => (backlogDone ? deliver(rows) : buffered.push(...rows)));
  // Live only: what was recorded before the subscription is the past; everything after it is delivered.
  if (options.live) lastSent = Math.max(lastSent, await lastEventId(ctx.store.db));
  for (;;) {
    const page = await listVisibleEvents(ctx.store.db, {
      ...visibility,
      afterId: lastSent,
      limit: 500,
      userId: caller.userId,
    });
    if (page.length === 0) break;
    lastSent = page[page.length - 1].id;
    if (!(await send(page.map(serialiseEvent), true))) return unsubscribe;
    if (page.length < 500) break;
  }
  backlogDone = true;
  deliver(buffered.splice(0));
  return unsubscribe;
}
