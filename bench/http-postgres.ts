// The HTTP part's PostgreSQL round: cloudplane's create, then a bare `pg` transaction with the same three rows in
// the same database, on a pool of the same size.
import type { Round } from './http-sqlite.ts';
import { tracked } from './cleanup.ts';
import { prepareFixture, waitUntilApplied, type Fixture } from './fixtures.ts';
import { measurePeer } from './measure-peer.ts';
import { openBenchPostgres } from './postgres.ts';
import { createScenario, measureEach, type LoadSettings, type Measurement } from './scenarios.ts';
import { startCloudplane } from './servers.ts';

/** cloudplane's default database.poolSize, set explicitly so the peer's pool matches it whatever the default becomes. */
const poolSize = 10;

async function ownerOf(fixture: Fixture) {
  const path = `/api/v1/teams/${fixture.team}/resources/${fixture.resourceIds[0]}`;
  const response = await fetch(`${fixture.url}${path}`, { headers: { authorization: `Bearer ${fixture.token}` } });
  const { metadata } = (await response.json()) as { metadata: { team: string; createdBy: string } };
  return { teamId: metadata.team, userId: metadata.createdBy };
}

async function cloudplaneCreates(url: string, load: LoadSettings, adminPassword: string) {
  const env = { CLOUDPLANE_DATABASE_URL: url, CLOUDPLANE_DATABASE_POOL_SIZE: String(poolSize) };
  const server = await startCloudplane(env, adminPassword);
  try {
    // One seed: its metadata names the team and user the peer's rows belong to.
    const fixture = await prepareFixture(server.url, adminPassword, 1);
    await waitUntilApplied(fixture);
    const owner = await ownerOf(fixture);
    const [created] = await measureEach(server.pid, [createScenario('create', server.url, fixture)], load);
    return { fixture, owner, measurement: { ...created, scenario: 'cloudplane create' } };
  } finally {
    await server.stop();
  }
}

export async function postgresRound(load: LoadSettings, adminPassword: string): Promise<Round> {
  let database;
  try {
    database = tracked(await openBenchPostgres().then((db) => ({ ...db, stop: db.dispose })));
  } catch (error) {
    const reason = `PostgreSQL could not be started: ${(error as Error).message.split('\n')[0]}`;
    console.error(reason);
    return { database: 'postgres', origin: '', skipped: reason, measurements: [] };
  }
  try {
    console.error('http, postgres: cloudplane');
    const measurements: Measurement[] = [];
    const { fixture, owner, measurement } = await cloudplaneCreates(database.url, load, adminPassword);
    measurements.push(measurement);
    console.error('http, postgres: pg peer');
    const settings = { url: database.url, poolSize, ...owner };
    measurements.push(
      ...(await measurePeer('pg.ts', settings, (url) => [createScenario('pg create', url, fixture)], load)),
    );
    return { database: 'postgres', origin: database.origin, measurements };
  } finally {
    await database.stop();
  }
}
