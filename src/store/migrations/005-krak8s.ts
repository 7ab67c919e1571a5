// krak8s object ids: the 8-hex id each project, namespace, cluster and application has on that wire.
import type { Kysely, Migration } from 'kysely';

export const krak8sSchema: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('krak8s_ids')
      .addColumn('oid', 'text', (c) => c.primaryKey())
      .addColumn('object_id', 'text', (c) => c.notNull().unique())
      .addColumn('object_type', 'text', (c) => c.notNull())
      .addColumn('team_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text')
      .addColumn('extra', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('hidden_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
  },
};
