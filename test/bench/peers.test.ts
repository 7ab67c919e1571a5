// The bench's database peers do what a cloudplane create does, no less: the same three rows, the same answer.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'node:test';
import pg from 'pg';
import { tempDir } from '../../bench/cleanup.ts';
import { eventColumns, operationColumns, resourceColumns } from '../../bench/peers/rows.ts';
import { call, clusterBody, openTeam } from '../../bench/fixtures.ts';
import { startCloudplane, startPeer } from '../../bench/servers.ts';
import { backends, createPostgresDatabase } from '../support/backends.ts';

type Row = Record<string, unknown>;
const password = 'bench-peer-test';

/**
 * The columns the peer writes (what cloudplane adds beyond the three rows, such as usage counters, is not the peer's
 * to match), with what differs between any two creates blanked: ids, names and times.
 */
function normalised(row: Row, columns: readonly string[]): Row {
  const copy: Row = Object.fromEntries(columns.map((column) => [column, row[column]]));
  for (const key of ['id', 'resource_id', 'object_id', 'name', 'at', 'created_at', 'updated_at', 'run_after'])
    if (key in copy) copy[key] = '*';
  if (typeof copy.data === 'string') copy.data = JSON.stringify({ ...JSON.parse(copy.data), name: '*' });
  return copy;
}

function normalisedAnswer(resource: any) {
  return { ...resource, metadata: { ...resource.metadata, id: '*', name: '*', createdAt: '*', updatedAt: '*' } };
}

/** The rows one create wrote, read back with `query(sql, id)`. */
async function rowsOf(query: (sql: string, id: string) => Promise<Row[]>, id: string) {
  return {
    resource: (await query('select * from resources where id = $1', id)).map((r) => normalised(r, resourceColumns)),
    operations: (await query('select * from operations where resource_id = $1', id)).map((r) =>
      normalised(r, operationColumns),
    ),
    events: (await query('select * from events where object_id = $1', id)).map((r) => normalised(r, eventColumns)),
  };
}

/** Creates one cluster through cloudplane (engine off, so nothing changes it afterwards), then stops it. */
async function cloudplaneCreate(env: Record<string, string>) {
  const server = await startCloudplane({ ...env, CLOUDPLANE_ENGINE_WORKERS: '0' }, password);
  try {
    const { token, team } = await openTeam(server.url, password);
    const created: any = await call(server.url, `/api/v1/teams/${team}/resources`, {
      method: 'POST',
      token,
      body: clusterBody('by-cloudplane'),
    });
    return { created, owner: { teamId: created.metadata.team, userId: created.metadata.createdBy } };
  } finally {
    await server.stop();
  }
}

async function peerCreate(script: string, settings: object) {
  const peer = await startPeer(script, settings);
  try {
    return (await call(peer.url, '/api/v1/teams/t/resources', { method: 'POST', body: clusterBody('by-peer') })) as any;
  } finally {
    await peer.stop();
  }
}

for (const grouped of [false, true]) {
  test(`the node:sqlite peer${grouped ? ', committing in groups,' : ''} writes the rows a cloudplane create writes and answers the same resource`, async () => {
    const dir = await tempDir();
    try {
      const path = join(dir.path, 'cloudplane.db');
      const { created, owner } = await cloudplaneCreate({ CLOUDPLANE_DATABASE_SQLITE_PATH: path });
      const answer = await peerCreate('sqlite.ts', { path, grouped, ...owner });
      assert.deepEqual(normalisedAnswer(answer), normalisedAnswer(created));
      const db = new DatabaseSync(path, { readOnly: true });
      const query = async (sql: string, id: string) => db.prepare(sql.replace('$1', '?')).all(id) as Row[];
      try {
        assert.deepEqual(await rowsOf(query, answer.metadata.id), await rowsOf(query, created.metadata.id));
      } finally {
        db.close();
      }
    } finally {
      await dir.stop();
    }
  });
}

test('in the grouped node:sqlite peer a create that fails is refused alone; the creates beside it are written', async () => {
  const dir = await tempDir();
  try {
    const path = join(dir.path, 'cloudplane.db');
    const { owner } = await cloudplaneCreate({ CLOUDPLANE_DATABASE_SQLITE_PATH: path });
    const peer = await startPeer('sqlite.ts', { path, grouped: true, ...owner });
    const names = ['a', 'b', 'a', 'c'];
    let answers: { status: number; body: any }[];
    try {
      answers = await Promise.all(
        names.map(async (name) => {
          const response = await fetch(`${peer.url}/api/v1/teams/t/resources`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(clusterBody(`grouped-${name}`)),
          });
          return { status: response.status, body: await response.json() };
        }),
      );
    } finally {
      await peer.stop();
    }
    // The unique live name refuses the second 'a', whichever of the two came first.
    assert.deepEqual(answers.map((a) => a.status).sort(), [201, 201, 201, 409]);
    const db = new DatabaseSync(path, { readOnly: true });
    try {
      const rows = db.prepare("select name from resources where name like 'grouped-%' order by name").all();
      assert.deepEqual(
        rows.map((row) => row.name),
        ['grouped-a', 'grouped-b', 'grouped-c'],
      );
      const created = answers.filter((a) => a.status === 201).map((a) => a.body.metadata.id);
      const events = db.prepare(`select count(*) as n from events where object_id in (?, ?, ?)`).get(...created);
      assert.equal(events?.n, 3, 'each created resource has its event; the refused one left none');
    } finally {
      db.close();
    }
  } finally {
    await dir.stop();
  }
});

test('the pg peer writes the rows a cloudplane create writes', { skip: !backends().includes('postgres') }, async () => {
  const database = await createPostgresDatabase();
  try {
    const { created, owner } = await cloudplaneCreate({ CLOUDPLANE_DATABASE_URL: database.url });
    const answer = await peerCreate('pg.ts', { url: database.url, poolSize: 2, ...owner });
    assert.deepEqual(normalisedAnswer(answer), normalisedAnswer(created));
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const query = async (sql: string, id: string) => (await client.query(sql, [id])).rows as Row[];
    try {
      assert.deepEqual(await rowsOf(query, answer.metadata.id), await rowsOf(query, created.metadata.id));
    } finally {
      await client.end();
    }
  } finally {
    await database.drop();
  }
});
