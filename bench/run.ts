// `npm run bench`: measures cloudplane on SQLite and PostgreSQL against a bare node:http baseline from the same run,
// then the jobs part (bench/jobs.ts) (BENCH_PARTS=http or =jobs runs one part).
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareFixture } from './fixtures.ts';
import { run as runJobsPart } from './jobs.ts';
import { openBenchPostgres } from './postgres.ts';
import { report, type BenchRun, type DatabaseRun } from './report.ts';
import {
  baselineScenarios,
  cloudplaneScenarios,
  measure,
  type LoadSettings,
  type Measurement,
  type Scenario,
} from './scenarios.ts';
import { startBaseline, startCloudplane } from './servers.ts';

const load: LoadSettings = {
  connections: 50,
  warmupSeconds: Number(process.env.BENCH_WARMUP_SECONDS ?? 2),
  seconds: Number(process.env.BENCH_SECONDS ?? 8),
};
const seedCount = 120;
/** Which parts run: `http` (the API against the baseline), `jobs`; both by default. */
const parts = new Set((process.env.BENCH_PARTS ?? 'http,jobs').split(','));
const adminPassword = `bench-${randomUUID()}`;

/** Everything started and not yet stopped or removed, so errors and Ctrl-C clean it up too. */
const running = new Set<() => Promise<void>>();

async function started<T extends { stop(): Promise<void> }>(thing: Promise<T>): Promise<T> {
  const value = await thing;
  running.add(value.stop);
  return value;
}

async function stop(thing: { stop(): Promise<void> }) {
  running.delete(thing.stop);
  await thing.stop();
}

async function measureAll(label: string, scenarios: Scenario[]): Promise<Measurement[]> {
  const results: Measurement[] = [];
  for (const scenario of scenarios) {
    const m = await measure(scenario, load);
    console.error(
      `${label} ${m.scenario}: ${Math.round(m.requestsPerSecond)} req/s, p99 ${m.p99Ms} ms, ${m.errors + m.non2xx} errors`,
    );
    results.push(m);
  }
  return results;
}

async function benchCloudplane(
  database: DatabaseRun['database'],
  env: Record<string, string>,
  origin: string,
): Promise<DatabaseRun> {
  const server = await started(startCloudplane(env, adminPassword));
  try {
    const fixture = await prepareFixture(server.url, adminPassword, seedCount);
    const scenarios = cloudplaneScenarios(fixture);
    const measured = await measureAll(database, scenarios);
    return {
      database,
      origin,
      measurements: measured.map((measurement, i) => ({ measurement, comparedTo: scenarios[i].comparedTo! })),
    };
  } finally {
    await stop(server);
  }
}

const removeDir = (path: string) => ({ path, stop: () => rm(path, { recursive: true, force: true }) });
const tempDir = () => started(mkdtemp(join(tmpdir(), 'cloudplane-bench-')).then(removeDir));

async function benchSqlite(): Promise<DatabaseRun> {
  const dir = await tempDir();
  try {
    return await benchCloudplane(
      'sqlite',
      { CLOUDPLANE_DATABASE_SQLITE_PATH: join(dir.path, 'db.sqlite') },
      `file in ${dir.path}`,
    );
  } finally {
    await stop(dir);
  }
}

async function benchPostgres(): Promise<DatabaseRun> {
  let database;
  try {
    database = await started(openBenchPostgres().then((db) => ({ ...db, stop: db.dispose })));
  } catch (error) {
    const reason = `PostgreSQL could not be started: ${(error as Error).message.split('\n')[0]}`;
    console.error(reason);
    return { database: 'postgres', origin: '', skipped: reason, measurements: [] };
  }
  try {
    return await benchCloudplane('postgres', { CLOUDPLANE_DATABASE_URL: database.url }, database.origin);
  } finally {
    await stop(database);
  }
}

async function benchHttp(): Promise<Pick<BenchRun, 'baselines' | 'databases'>> {
  const baseline = await started(startBaseline());
  const baselines = await measureAll('node:http', baselineScenarios(baseline.url));
  await stop(baseline);
  return { baselines, databases: [await benchSqlite(), await benchPostgres()] };
}

async function main() {
  const machineLoad = loadavg()[0];
  const http = parts.has('http') ? await benchHttp() : { baselines: [], databases: [] };
  const jobs = parts.has('jobs') ? await runJobsPart() : undefined;
  console.log(report({ load, machineLoad, ...http, jobs }));
}

async function stopEverything() {
  await Promise.allSettled([...running].map((stopOne) => stopOne()));
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void stopEverything().then(() => process.exit(130)));
}

try {
  await main();
} catch (error) {
  console.error(error);
  await stopEverything();
  process.exitCode = 1;
}
