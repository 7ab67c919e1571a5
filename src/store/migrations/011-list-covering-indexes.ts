// A list page reads [id, resource_version] of a team's live resources in id order. With the state and the version
// in the index, the page is read from the index alone: looking up each of the 101 rows in the table was a quarter
// of a list's time. They replace the (team_id, id), (team_id, kind, id) and (team_id, state, id) indexes; the last
// one covering too, or the planner would scan the team's whole covering index for a rare state.
import type { Kysely, Migration } from 'kysely';

export const listCoveringIndexes: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createIndex('resources_team_page')
      .on('resources')
      .columns(['team_id', 'id', 'state', 'resource_version'])
      .execute();
    await db.schema
      .createIndex('resources_team_kind_page')
      .on('resources')
      .columns(['team_id', 'kind', 'id', 'state', 'resource_version'])
      .execute();
    await db.schema
      .createIndex('resources_team_state_page')
      .on('resources')
      .columns(['team_id', 'state', 'id', 'resource_version'])
      .execute();
    await db.schema.dropIndex('resources_team').execute();
    await db.schema.dropIndex('resources_team_state').execute();
    await db.schema.dropIndex('resources_team_kind').execute();
  },
};
