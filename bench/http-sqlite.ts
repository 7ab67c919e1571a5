// The HTTP part's SQLite round: cloudplane's get, list(100) and create, and the peers that do the same work
// with less (bare node:http, the same bytes, Fastify, node:sqlite), all in this run, one server at a time.
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { tempDir } from './cleanup.ts';
import { prepareFixture, recordAnswer, waitUntilApplied, type Fixture } from './fixtures.ts';
import { measurePeer } from './measure-peer.ts';
import {
  cloudplaneScenarios,
  createScenario,
  getScenario,
  listScenario,
  measureEach,
  type LoadSettings,
  type Measurement,
} from './scenarios.ts';
import { startCloudplane } from './servers.ts';

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

/** The peers that answer a GET without a database: how fast the stack can send an answer at all. */
async function bareGets(fixture: Fixture, resourcePath: string, load: LoadSettings) {
  const answer = await recordAnswer(fixture.url, resourcePath, fixture.token);
  const resource = JSON.parse(answer.body.toString('utf8'));
  const get = (name: string) => (url: string) => [getScenario(name, url, fixture)];
  const sameBytes = { ...answer, body: answer.body.toString('base64') };
  return {
    resource,
    bytes: answer.body.length,
    measurements: [
      ...(await measurePeer(
        'bare.ts',
        {},
        (url) => [getScenario('bare GET', url, fixture), createScenario('bare POST', url, fixture)],
        load,
      )),
      ...(await measurePeer('same-bytes.ts', sameBytes, get('bare same bytes'), load)),
      ...(await measurePeer('fastify.ts', { resource, schema: false }, get('Fastify JSON'), load)),
      ...(await measurePeer('fastify.ts', { resource, schema: true }, get('Fastify + schema'), load)),
    ],
  };
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

/** node:sqlite get, list(100) and create, on the copy, with the same requests cloudplane was sent. */
function sqlitePeer(settings: { path: string; teamId: string; userId: string }, fixture: Fixture, load: LoadSettings) {
  return measurePeer(
    'sqlite.ts',
    settings,
    (url) => [
      getScenario('node:sqlite get', url, fixture),
      listScenario('node:sqlite list 100', url, fixture),
      createScenario('node:sqlite create', url, fixture),
    ],
    load,
  );
}

export async function sqliteRound(load: LoadSettings, adminPassword: string): Promise<Round & { getBytes: number }> {
  const dir = await tempDir();
  try {
    const dbPath = join(dir.path, 'cloudplane.db');
    const peerDbPath = join(dir.path, 'peer.db');
    const measurements: Measurement[] = [];
    const server = await startCloudplane({ CLOUDPLANE_DATABASE_SQLITE_PATH: dbPath }, adminPassword);
    let fixture: Fixture;
    let bare: Awaited<ReturnType<typeof bareGets>>;
    try {
      fixture = await prepareFixture(server.url, adminPassword, seedCount);
      await waitUntilApplied(fixture);
      // Before cloudplane's creates: both get and list the same seeded rows.
      copyDatabase(dbPath, peerDbPath);
      console.error('http, sqlite: peers without a database');
      bare = await bareGets(fixture, `/api/v1/teams/${fixture.team}/resources/${fixture.resourceIds[0]}`, load);
      measurements.push(...bare.measurements);
      console.error('http, sqlite: cloudplane');
      const cloudplane = await measureEach(server.pid, cloudplaneScenarios(fixture), load);
      measurements.push(...cloudplane.map((m) => ({ ...m, scenario: `cloudplane ${m.scenario}` })));
    } finally {
      await server.stop();
    }
    console.error('http, sqlite: node:sqlite peer');
    const owner = { teamId: bare.resource.metadata.team, userId: bare.resource.metadata.createdBy };
    measurements.push(...(await sqlitePeer({ path: peerDbPath, ...owner }, fixture, load)));
    return { database: 'sqlite', origin: `file in ${dir.path}`, measurements, getBytes: bare.bytes };
  } finally {
    await dir.stop();
  }
}
