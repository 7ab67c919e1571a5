// Durable work: one row per operation the engine must carry out, claimed with a lease.
import type { Kysely, Migration } from 'kysely';

export const operationsSchema: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('operations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('resource_id', 'text', (c) => c.notNull())
      .addColumn('team_id', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('action', 'text')
      .addColumn('generation', 'integer', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('run_after', 'text', (c) => c.notNull())
      .addColumn('lease_owner', 'text')
      .addColumn('lease_expires_at', 'text')
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('operations_claimable').on('operations').columns(['state', 'run_after']).execute();
    await db.schema.createIndex('operations_resource').on('operations').columns(['resource_id', 'state']).execute();
    await db.schema
      .alterTable('resources')
      .addColumn('driver', 'text', (c) => c.notNull().defaultTo(''))
      .execute();
    // Teams and namespaces whose resources are still being torn down wait here until they are empty.
    await db.schema.alterTable('teams').addColumn('deletion_requested_at', 'text').execute();
    await db.schema.alterTable('namespaces').addColumn('deletion_requested_at', 'text').execute();
    await db.schema
      .alterTable('teams')
      .addColumn('quotas', 'text', (c) => c.notNull().defaultTo('{}'))
      .execute();
  },
};
