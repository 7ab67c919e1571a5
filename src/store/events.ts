// SQL for the event log: the audit trail and the source of the change feed.
import { precompiledInsert } from './precompiled.ts';
import type { Db } from './db.ts';
import type { EventsTable } from './tables.ts';
import type { Insertable, Selectable } from 'kysely';

export type EventRow = Selectable<EventsTable>;
export type NewEventRow = Insertable<EventsTable>;

const insertEvent = precompiledInsert('events', [
  'at',
  'actor_id',
  'team_id',
  'type',
  'object_kind',
  'object_id',
  'data',
]);

/** Every change writes one (or more): compiled once, the id is the database's. */
export const appendEvent = (db: Db, row: NewEventRow) => insertEvent(db, row as Record<string, unknown>);

/** Every event after `afterId`, for the change feed's fan-out (visibility is checked per subscriber). */
export const listEventsAfter = (db: Db, afterId: number, limit: number) =>
  db.selectFrom('events').selectAll().where('id', '>', afterId).orderBy('id').limit(limit).execute();

/**
 * Events a caller may see: those of their teams and their own user-level events; all for admins. `teamId` and
 * `objectId` narrow them further (to one team, to one object: the index events_object serves the latter).
 */
export const listVisibleEvents = (db: Db, options: VisibleEventsFilter) => visibleEventsQuery(db, options).execute();

export interface VisibleEventsFilter {
  afterId: number;
  limit: number;
  teamIds?: string[];
  userId: string;
  teamId?: string;
  objectId?: string;
}

/** The query of listVisibleEvents, for the tests that read its plan. */
export const visibleEventsQuery = (db: Db, options: VisibleEventsFilter) =>
  db
    .selectFrom('events')
    .selectAll()
    .where('id', '>', options.afterId)
    .$if(options.teamIds !== undefined, (q) =>
      q.where((eb) =>
        eb.or([
          options.teamIds!.length > 0 ? eb('team_id', 'in', options.teamIds!) : eb.val(false),
          eb.and([
            eb('team_id', 'is', null),
            eb.or([eb('actor_id', '=', options.userId), eb('object_id', '=', options.userId)]),
          ]),
        ]),
      ),
    )
    .$if(options.teamId !== undefined, (q) => q.where('team_id', '=', options.teamId!))
    .$if(options.objectId !== undefined, (q) => q.where('object_id', '=', options.objectId!))
    .orderBy('id')
    .limit(options.limit);

export async function lastEventId(db: Db): Promise<number> {
  const row = await db
    .selectFrom('events')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  return Number(row?.id ?? 0);
}
