// Crash tests of a dialect's writes: a server process killed (SIGKILL) just before a chosen statement of
// a change, then a count of what it left in the database, read directly.
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';
import { createPostgresDatabase, type Backend } from './backends.ts';
import { startChild, type ChildServer } from './process-server.ts';
import { scratchDir } from './scratch.ts';

const preload = new URL('./die-before-sql.ts', import.meta.url).pathname;
export const adminPassword = 'crash-test-password';

export interface CrashSite {
  env: Record<string, string>;
  /** A server that dies just before the statement containing `sql` (with `parameter` among its values). */
  startDoomed(sql: string, parameter?: string, extraEnv?: Record<string, string>): Promise<ChildServer>;
  start(extraEnv?: Record<string, string>): Promise<ChildServer>;
  /** The number of rows a query finds (`select count(*) as n ...`). */
  count(sql: string): Promise<number>;
  close(): Promise<void>;
}

export async function crashSite(backend: Backend): Promise<CrashSite> {
  const dir = scratchDir('cloudplane-dialect-crash-');
  const database = backend === 'postgres' ? await createPostgresDatabase() : undefined;
  const env = {
    CLOUDPLANE_DATABASE_SQLITE_PATH: join(dir, 'db.sqlite'),
    CLOUDPLANE_DATABASE_URL: database?.url ?? '',
    CLOUDPLANE_ENGINE_STATE_DIR: join(dir, 'state'),
    CLOUDPLANE_BOOTSTRAP_ADMIN_PASSWORD: adminPassword,
  };
  const running: ChildServer[] = [];
  const track = (server: ChildServer) => (running.push(server), server);
  return {
    env,
    startDoomed: async (sql, parameter, extraEnv = {}) =>
      track(
        await startChild(
          {
            ...env,
            ...extraEnv,
            CLOUDPLANE_TEST_DIE_BEFORE_SQL: sql,
            ...(parameter === undefined ? {} : { CLOUDPLANE_TEST_DIE_WITH_PARAM: parameter }),
          },
          { preload },
        ),
      ),
    start: async (extraEnv = {}) => track(await startChild({ ...env, ...extraEnv })),
    async count(sql) {
      if (!database) {
        const db = new DatabaseSync(env.CLOUDPLANE_DATABASE_SQLITE_PATH, { readOnly: true });
        try {
          return Number((db.prepare(sql).get() as { n: number }).n);
        } finally {
          db.close();
        }
      }
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        return Number((await client.query(sql)).rows[0].n);
      } finally {
        await client.end();
      }
    },
    async close() {
      for (const server of running) await server.kill('SIGKILL');
      await database?.drop();
    },
  };
}
