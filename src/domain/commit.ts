// How a service commits a change: in one transaction with its events, then the feed is woken.
import type { Db } from '../store/db.ts';
import type { ServiceContext } from './context.ts';
import { appendEvent } from '../store/events.ts';
import { nowIso } from '../lib/ids.ts';
import type { Caller } from './caller.ts';

/**
 * Runs one change in one transaction (the change and its events together), then wakes the feed.
 * A change to who may do what (tokens, users, teams, members) empties this process's access cache.
 */
export async function commitChange<T>(
  ctx: ServiceContext,
  work: (db: Db) => Promise<T>,
  options: { changesAccess?: boolean } = {},
): Promise<T> {
  const result = await ctx.store.transaction(work);
  if (options.changesAccess) ctx.access.clear();
  ctx.feed.poke();
  return result;
}

export interface ChangeEvent {
  type: string;
  teamId: string | null;
  objectKind: string;
  objectId: string;
  data?: Record<string, unknown>;
}

export const recordEvent = (db: Db, actor: Caller | null, event: ChangeEvent) =>
  appendEvent(db, {
    at: nowIso(),
    actor_id: actor?.userId ?? null,
    team_id: event.teamId,
    type: event.type,
    object_kind: event.objectKind,
    object_id: event.objectId,
    data: JSON.stringify(event.data ?? {}),
  });
