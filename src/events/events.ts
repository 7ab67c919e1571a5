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

interface Visibility {
  teamIds: string[] | undefined;
  teamId?: string;
}

async function visibilityOf(ctx: ServiceContext, caller: Caller, teamRef?: string): Promise<Visibility> {
  const teamId = teamRef === undefined ? undefined : (await requireTeamRole(ctx, caller, teamRef, 'viewer')).team.id;
  const teamIds = actsAsPlatformAdmin(caller) ? undefined : await listTeamIdsOfUser(ctx.store.db, caller.userId);
  return { teamIds, teamId };
}

export async function listEvents(
  ctx: ServiceContext,
  caller: Caller,
  options: { afterId: number; limit: number; team?: string },
) {
  const visibility = await visibilityOf(ctx, caller, options.team);
  const rows = await listVisibleEvents(ctx.store.db, {
    ...visibility,
    afterId: options.afterId,
    limit: options.limit,
    userId: caller.userId,
  });
  return rows.map(toEvent);
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
  if (visibility.teamIds === undefined) return true;
  if (row.team_id === null) return row.actor_id === caller.userId || row.object_id === caller.userId;
  return visibility.teamIds.includes(row.team_id);
}

/**
 * Streams events after `afterId`: first the backlog from the log, then live ones from the feed,
 * each exactly once and in order; `live` skips the backlog (every event recorded once subscribed). Membership changes are picked up as they stream past; token and
 * user changes are passed to `onIdentityEvent`.
 */
export async function streamEvents(
  ctx: ServiceContext,
  caller: Caller,
  options: { afterId: number; team?: string; live?: boolean; onIdentityEvent?: () => void },
  send: (event: Event) => void,
): Promise<() => void> {
  const visibility = await visibilityOf(ctx, caller, options.team);
  let lastSent = options.afterId;
  let backlogDone = false;
  const buffered: EventRow[] = [];
  const deliver = (row: EventRow) => {
    if (row.id <= lastSent) return;
    lastSent = row.id;
    applyOwnMembership(row, caller, visibility);
    if (row.type.startsWith('member.') || row.type.startsWith('team.')) void refreshTeams();
    // Any user's token or user event, visible or not: the caller's own token may be the one it ends.
    if (row.type.startsWith('token.') || row.type.startsWith('user.')) options.onIdentityEvent?.();
    if (isVisible(row, caller, visibility)) send(toEvent(row));
  };
  const refreshTeams = async () => {
    if (visibility.teamIds !== undefined) visibility.teamIds = (await visibilityOf(ctx, caller, options.team)).teamIds;
  };
  const unsubscribe = await ctx.feed.subscribe((row) => (backlogDone ? deliver(row) : buffered.push(row)));
  // Live only: what was recorded before the subscription is the past; everything after it is delivered.
  if (options.live) lastSent = Math.max(lastSent, await lastEventId(ctx.store.db));
  for (;;) {
    const page = await listVisibleEvents(ctx.store.db, {
      ...visibility,
      afterId: lastSent,
      limit: 500,
      userId: caller.userId,
    });
    for (const row of page) {
      lastSent = row.id;
      send(toEvent(row));
    }
    if (page.length < 500) break;
  }
  backlogDone = true;
  buffered.splice(0).forEach(deliver);
  return unsubscribe;
}
