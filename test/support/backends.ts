// Which databases a test file runs against: SQLite always, PostgreSQL when a server is given.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export type Backend = 'sqlite' | 'postgres';

/** CLOUDPLANE_TEST_POSTGRES_URL points at a server where test databases may be created. */
export const postgresAdminUrl = process.env.CLOUDPLANE_TEST_POSTGRES_URL;

export function backends(): Backend[] {
  if (!postgresAdminUrl && process.env.CI)
    throw new Error('CI must set CLOUDPLANE_TEST_POSTGRES_URL: PostgreSQL tests may not be skipped there');
  return postgresAdminUrl ? ['sqlite', 'postgres'] : ['sqlite'];
}

/** A fresh, empty PostgreSQL database; returns its URL and a function that drops it. */
export async function createPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `cloudplane_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresAdminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(postgresAdminUrl!);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: postgresAdminUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}
