// ConPaaS ids: the integer uid of each cloudplane user and the integer sid of each service the ConPaaS dialect has shown.
import type { ColumnDefinitionBuilder, Kysely, Migration } from 'kysely';
import type { SqlDialectName } from '../db.ts';

export function conpaasSchema(dialect: SqlDialectName): Migration {
  const postgres = dialect === 'postgres';
  const counter = postgres ? 'serial' : 'integer';
  const counterKey = (c: ColumnDefinitionBuilder) => (postgres ? c.primaryKey() : c.primaryKey().autoIncrement());
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('conpaas_users')
        .addColumn('uid', counter, counterKey)
        .addColumn('user_id', 'text', (c) => c.notNull().unique())
        .addColumn('fname', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('lname', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('affiliation', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('uuid', 'text', (c) => c.notNull().defaultTo(''))
        // The user's own team, where their ConPaaS services live; made on their first start.
        .addColumn('team_id', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('conpaas_users_uuid').on('conpaas_users').column('uuid').execute();
      await db.schema
        .createTable('conpaas_services')
        .addColumn('sid', counter, counterKey)
        .addColumn('resource_id', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
    },
  };
}
