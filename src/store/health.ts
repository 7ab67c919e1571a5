// Whether the database answers: the readiness probe's one query.
import { sql } from 'kysely';
import type { Db } from './db.ts';

export async function pingDatabase(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}
