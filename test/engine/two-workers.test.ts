import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { backends, createPostgresDatabase } from '../support/backends.ts';
import { eventually } from '../support/eventually.ts';
import { startChild, type ChildServer } from '../support/process-server.ts';
import { scratchDir } from '../support/scratch.ts';

describe(
  'two worker processes on one PostgreSQL',
  { skip: !backends().includes('postgres') && 'needs CLOUDPLANE_TEST_POSTGRES_URL' },
  () => {
    const processes: ChildServer[] = [];
    let database: { url: string; drop: () => Promise<void> } | undefined;
    after(async () => {
      for (const child of processes) await child.kill();
      await database?.drop();
    });

    test('never run one operation twice', async () => {
      database = await createPostgresDatabase();
      const dir = scratchDir('cloudplane-workers-');
      const env = {
        CLOUDPLANE_DATABASE_URL: database.url,
        CLOUDPLANE_ENGINE_STATE_DIR: join(dir, 'state'),
        CLOUDPLANE_BOOTSTRAP_ADMIN_PASSWORD: 'workers-password',
      };
      const api = await startChild({ ...env, CLOUDPLANE_ENGINE_WORKERS: '0' });
      processes.push(api);
      processes.push(await startChild({ ...env, CLOUDPLANE_ENGINE_WORKERS: '2' }, { worker: true }));
      processes.push(await startChild({ ...env, CLOUDPLANE_ENGINE_WORKERS: '2' }, { worker: true }));
      const token = (
        await api.call('POST', '/api/v1/auth/login', { body: { username: 'admin', password: 'workers-password' } })
      ).body.token.token;
      await api.call('POST', '/api/v1/teams', { token, body: { name: 'workers' } });
      const runs = join(dir, 'runs.txt');
      const ids: string[] = [];
      for (let i = 0; i < 30; i++) {
        const created = await api.call('POST', '/api/v1/teams/workers/resources', {
          token,
          body: {
            kind: 'job',
            name: `j${i}`,
            spec: { cmd: '/bin/sh', args: `-c 'echo $CLOUDPLANE_JOB_ID >> ${runs}'` },
          },
        });
        ids.push(created.body.metadata.id);
      }
      await eventually(
        () => api.call('GET', '/api/v1/teams/workers/resources?kind=job&state=succeeded&limit=100', { token }),
        (r) => r.body.items.length === ids.length,
        'all jobs succeeded',
        90,
      );
      const lines = readFileSync(runs, 'utf8').trim().split('\n');
      assert.deepEqual([...lines].sort(), [...ids].sort(), 'each job ran exactly once');
      const db = new (await import('pg')).default.Client({ connectionString: database.url });
      await db.connect();
      const operations = await db.query(
        `select state, attempts, count(*)::int as n from operations group by state, attempts`,
      );
      await db.end();
      assert.deepEqual(operations.rows, [{ state: 'done', attempts: 1, n: ids.length }]);
    });
  },
);
