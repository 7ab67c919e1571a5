// Filtering a team's resources by state (state=failed) reads only the matching rows, in id order, instead of the team.
import type { Kysely, Migration } from 'kysely';

export const resourceStateIndex: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.createIndex('resources_team_state').on('resources').columns(['team_id', 'state', 'id']).execute();
  },
};
