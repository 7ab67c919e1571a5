// One object's events (the timeline of a resource, ?object=) read only that object's rows, in id order, not the whole log.
import type { Kysely, Migration } from 'kysely';

export const eventsObjectIndex: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.createIndex('events_object').on('events').columns(['object_id', 'id']).execute();
  },
};
