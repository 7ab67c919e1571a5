// The HTTP part's SQLite round: cloudplane's get, list(100) and create, and the peers that do the same work
// with less (bare node:http, the same bytes, Fastify, node:sqlite), all in this run, one under load at a time.
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { tempDir } from './cleanup.ts';
import { prepareFixture, recordAnswer, waitUntilApplied, type Fixture } from './fixtures.ts';
import { measurePeer } from './measure-peer.ts';
import {
  createScenario,
  getScenario,
  listScenario,
  measureEach,
  type LoadSettings,
  type Measurement,
} from './scenarios.ts';
import { startCloudplane, type ChildServer } from './servers.ts';

/** Enough rows that the get rotates over more than a page, few enough to seed in seconds. */
const seedCount = 120;

export interface Round {
  database: 'sqlite' | 'postgres';
  /** Where the database was, for the report. */
  origin: string;
  /** Set when the round could not run. */
  skipped?: string;
  /** Named `cloudplane <scenario>` or by the peer: `bare GET`, `node:sqlite list 100`, ... */
  measurements: Measurement[];
}

/** A consistent copy of cloudplane's database (schema, indexes, seeded rows) for the node:sqlite peer. */
function copyDatabase(from: string, to: string) {
  const db = new DatabaseSync(from, { readOnly: true });
  try {
    db.prepare('vacuum into ?').run(to);
  } finally {
    db.close();
  }
}

/**
 * The order of measurement: each cloudplane figure right after the peer its target is set against (drift on a
 * shared machine then hurts the ratio least); the node:sqlite create last, once cloudplane is stopped, since its
 * engine works through the creates' queued operations for a while.
 */
async function measureInOrder(server: ChildServer, fixture: Fixture, peerDb: string, load: LoadSettings) {
  const answer = await recordAnswer(fixture.url, `${resourcesPath(fixture)}/${fixture.resourceIds[0]}`, fixture.token);
  const resource = JSON.parse(answer.body.toString('utf8'));
  const sqliteSettings = { path: peerDb, teamId: resource.metadata.team, userId: resource.metadata.createdBy };
  const sameBytes = { ...answer, body: answer.body.toString('base64') };
  type Make = typeof getScenario;
  const peer = (script: string, settings: unknown, ...wanted: [Make, string][]) =>
    measurePeer(script, settings, (url) => wanted.map(([make, name]) => make(name, url, fixture)), load);
  const ours = async (make: Make, name: string) => {
    const [measured] = await measureEach(server.pid, [make(name, server.url, fixture)], load);
    return { ...measured, scenario: `cloudplane ${name}` };
  };
  const measurements = [
    ...(await peer('same-bytes.ts', sameBytes, [getScenario, 'bare same bytes'])),
    await ours(getScenario, 'get'),
    ...(await peer(
      'sqlite.ts',
      sqliteSettings,
      [getScenario, 'node:sqlite get'],
      [listScenario, 'node:sqlite list 100'],
    )),
    await ours(listScenario, 'list 100'),
    ...(await peer('fastify.ts', { resource, schema: false }, [getScenario, 'Fastify JSON'])),
    ...(await peer('fastify.ts', { resource, schema: true }, [getScenario, 'Fastify + schema'])),
    ...(await peer('bare.ts', {}, [getScenario, 'bare GET'], [createScenario, 'bare POST'])),
    await ours(createScenario, 'create'),
  ];
  await server.stop();
  measurements.push(...(await peer('sqlite.ts', sqliteSettings, [createScenario, 'node:sqlite create'])));
  measurements.push(
    ...(await peer('sqlite.ts', { ...sqliteSettings, grouped: true }, [createScenario, 'node:sqlite create grouped'])),
  );
  return { measurements, getBytes: answer.body.length };
}

const resourcesPath = (fixture: Fixture) => `/api/v1/teams/${fixture.team}/resources`;

export async function sqliteRound(load: LoadSettings, adminPassword: string): Promise<Round & { getBytes: number }> {
  const dir = await tempDir();
  try {
    const dbPath = join(dir.path, 'cloudplane.db');
    const peerDb = join(dir.path, 'peer.db');
    const server = await startCloudplane({ CLOUDPLANE_DATABASE_SQLITE_PATH: dbPath }, adminPassword);
    try {
      const fixture = await prepareFixture(server.url, adminPassword, seedCount);
      await waitUntilApplied(fixture);
      // Before cloudplane's creates: both get and list the same seeded rows.
      copyDatabase(dbPath, peerDb);
      console.error('http, sqlite: cloudplane and its peers');
      const measured = await measureInOrder(server, fixture, peerDb, load);
      return { database: 'sqlite', origin: `file in ${dir.path}`, ...measured };
    } finally {
      await server.stop();
    }
  } finally {
    await dir.stop();
  }
}
