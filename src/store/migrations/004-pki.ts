// The certificate authority (one row, shared by every process on the database) and every certificate it issued.
import type { Kysely, Migration } from 'kysely';

export const pkiSchema: Migration = {
  async up(db: Kysely<unknown>) {
    // The primary key is a constant: two processes starting at once cannot both store a CA.
    await db.schema
      .createTable('pki_authority')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('certificate', 'text', (c) => c.notNull())
      .addColumn('private_key', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('pki_certificates')
      .addColumn('serial', 'text', (c) => c.primaryKey())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text')
      .addColumn('service_id', 'text')
      .addColumn('team_id', 'text')
      .addColumn('issued_by', 'text')
      .addColumn('not_before', 'text', (c) => c.notNull())
      .addColumn('not_after', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .addColumn('certificate', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('pki_certificates_user')
      .on('pki_certificates')
      .columns(['user_id', 'created_at'])
      .execute();
    await db.schema
      .createIndex('pki_certificates_created')
      .on('pki_certificates')
      .columns(['created_at', 'serial'])
      .execute();
  },
};
