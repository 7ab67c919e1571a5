// ConPaaS applications: the integer aid, free-text name and status of each, beside the namespace that holds its services.
import type { ColumnDefinitionBuilder, Kysely, Migration } from 'kysely';
import type { SqlDialectName } from '../db.ts';

export function conpaasAppsSchema(dialect: SqlDialectName): Migration {
  const postgres = dialect === 'postgres';
  const counter = postgres ? 'serial' : 'integer';
  const counterKey = (c: ColumnDefinitionBuilder) => (postgres ? c.primaryKey() : c.primaryKey().autoIncrement());
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('conpaas_apps')
        .addColumn('aid', counter, counterKey)
        // The owner's ConPaaS uid; the namespace is in their personal team.
        .addColumn('uid', 'integer', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('namespace_id', 'text', (c) => c.notNull().unique())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      // The director refused a second application of the same name for one user; this keeps it so under races.
      await db.schema
        .createIndex('conpaas_apps_uid_name')
        .on('conpaas_apps')
        .columns(['uid', 'name'])
        .unique()
        .execute();
      // When the user's default application was made (the director made it with the user); null: not yet.
      await db.schema.alterTable('conpaas_users').addColumn('default_app_at', 'text').execute();
    },
  };
}
