// Cloudplane with 1k and with 100k resources in one team (BENCH_SCALE_COUNT for the larger): what a quota costs a
// create, how get, list pages and create hold up at scale, and what the idle server burns.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { createKindRegistry, usageOfKinds } from '../src/resources/kinds/registry.ts';
import { openStore } from '../src/store/database.ts';
import { appendEvent } from '../src/store/events.ts';
import { insertResource } from '../src/store/resources.ts';
import { findTeamByName } from '../src/store/teams.ts';
import { call, clusterBody, openTeam } from './fixtures.ts';
import { serverCores, serverPid } from './process-cpu.ts';
import { measure, type LoadSettings, type Measurement, type Scenario } from './scenarios.ts';
import { atLeast, atMost, type Section, type Target } from './section.ts';
import { startCloudplane } from './servers.ts';

const counts = [1000, Number(process.env.BENCH_SCALE_COUNT ?? 100_000)];
const load: LoadSettings = {
  connections: 50,
  warmupSeconds: Number(process.env.BENCH_WARMUP_SECONDS ?? 2),
  seconds: Number(process.env.BENCH_SECONDS ?? 8),
};
const halfLoad: LoadSettings = { ...load, seconds: load.seconds / 2 };
const idleSeconds = 10;
const drainLimitSeconds = 300;

/** Two runs of one scenario as one figure: the mean rate, the worse p99, every request counted. */
function meanOf([a, b]: Measurement[]): Measurement {
  return {
    ...a,
    requestsPerSecond: (a.requestsPerSecond + b.requestsPerSecond) / 2,
    p50Ms: (a.p50Ms + b.p50Ms) / 2,
    p99Ms: Math.max(a.p99Ms, b.p99Ms),
    requests: a.requests + b.requests,
    errors: a.errors + b.errors,
    non2xx: a.non2xx + b.non2xx,
  };
}
const seedBatch = 5000;
const adminPassword = `bench-${randomUUID()}`;

interface Seeded {
  /** A spread of seeded ids, which the get scenario reads in turn. */
  sample: string[];
  /** The id 90% of the way through the team's resources in page order: a deep page starts after it. */
  deepAfter: string;
}

/**
 * Writes `count` agent-owned (external driver) active clusters, each with its creation event, straight through the
 * store, beside the running server: as many as a large deployment holds, in seconds instead of hours of creates.
 */
async function seed(sqlitePath: string, teamName: string, count: number): Promise<Seeded> {
  const kinds = createKindRegistry();
  const store = await openStore({ url: '', sqlitePath, poolSize: 1 }, usageOfKinds(kinds));
  try {
    const team = (await findTeamByName(store.db, teamName))!;
    const spec = kinds.get('cluster')!.prepareSpec({ nodePoolSize: 3 });
    const held = kinds.get('cluster')!.definition.usage(spec as never);
    const status = JSON.stringify({
      message: 'reported by its agent',
      conditions: [],
      observedGeneration: 1,
      details: {},
    });
    const ids: string[] = [];
    for (let done = 0; done < count; done += seedBatch) {
      await store.transaction(async (db) => {
        for (let i = done; i < Math.min(count, done + seedBatch); i++) {
          const at = new Date().toISOString();
          const id = randomUUID();
          ids.push(id);
          await insertResource(db, {
            id,
            team_id: team.id,
            namespace_id: null,
            kind: 'cluster',
            name: `seed-${i}`,
            parent_id: null,
            labels: JSON.stringify({ tier: i % 2 ? 'web' : 'batch' }),
            spec: JSON.stringify(spec),
            state: 'active',
            status,
            generation: 1,
            resource_version: 1,
            created_by: null,
            created_at: at,
            updated_at: at,
            deletion_requested_at: null,
            driver: 'external',
            usage_cpus: held.cpus,
            usage_memory_mib: held.memoryMiB,
          });
          await appendEvent(db, {
            at,
            actor_id: null,
            team_id: team.id,
            type: 'resource.created',
            object_kind: 'cluster',
            object_id: id,
            data: JSON.stringify({ name: `seed-${i}`, state: 'active', spec }),
          });
        }
      });
    }
    const ordered = [...ids].sort();
    const step = Math.max(1, Math.floor(ids.length / 1000));
    return { sample: ids.filter((_, i) => i % step === 0), deepAfter: ordered[Math.floor(ordered.length * 0.9)] };
  } finally {
    await store.close();
  }
}

function scenarios(url: string, token: string, team: string, seeded: Seeded, label: string) {
  const base = `${url}/api/v1/teams/${team}/resources`;
  const path = new URL(base).pathname;
  const auth = { authorization: `Bearer ${token}` };
  let next = 0;
  const create = (name: string): Scenario => ({
    name,
    options: {
      url: base,
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      requests: [
        {
          setupRequest: (request) => ({
            ...request,
            body: JSON.stringify(clusterBody(`${label}-${name.replace(/\W+/g, '-')}-${next++}`)),
          }),
        },
      ],
    },
  });
  const reads: Scenario[] = [
    {
      name: 'get',
      options: {
        url: base,
        headers: auth,
        requests: [
          { setupRequest: (r) => ({ ...r, path: `${path}/${seeded.sample[next++ % seeded.sample.length]}` }) },
        ],
      },
    },
    { name: 'list first page', options: { url: `${base}?limit=100`, headers: auth } },
    { name: 'list deep page', options: { url: `${base}?limit=100&after=${seeded.deepAfter}`, headers: auth } },
  ];
  // Without an index it scans the team's every row; the next scenario waits until the server is idle again.
  const filtered: Scenario = {
    name: 'list filtered, no match',
    options: { url: `${base}?state=failed&limit=100`, headers: auth },
  };
  return { reads, create, filtered };
}

/** Waits (a minute at most) until the server is nearly idle: the engine's work from the last creates is done. */
/**
 * Waits until the engine has worked through the operations earlier creates queued (on a read-only connection of
 * the bench's own), so a run does not pay for the previous run's provisioning; returns the seconds it took.
 */
async function drainQueue(sqlitePath: string): Promise<number> {
  const db = new DatabaseSync(sqlitePath, { readOnly: true });
  const started = Date.now();
  try {
    const pending = db.prepare("select count(*) as n from operations where state in ('queued', 'running')");
    while ((pending.get() as { n: number }).n > 0 && Date.now() - started < drainLimitSeconds * 1000)
      await new Promise((resolve) => setTimeout(resolve, 250));
  } finally {
    db.close();
  }
  return (Date.now() - started) / 1000;
}

async function settle(pid: number) {
  for (let waited = 0; waited < 60 && (await serverCores(pid, 1)) > 0.1; waited += 1);
}

interface AtCount {
  count: number;
  idleCores: number;
  measurements: Measurement[];
}

async function measureAt(count: number): Promise<AtCount> {
  const dir = await mkdtemp(join(tmpdir(), 'cloudplane-bench-scale-'));
  const sqlitePath = join(dir, 'db.sqlite');
  const env = {
    CLOUDPLANE_DATABASE_SQLITE_PATH: sqlitePath,
    CLOUDPLANE_ENGINE_STATE_DIR: join(dir, 'state'),
    CLOUDPLANE_PKI_DIR: join(dir, 'pki'),
    // Concertim's own fixed port may be held by another cloudplane on this machine; the main port is enough here.
    CLOUDPLANE_DIALECTS_CONCERTIM_PORT: '0',
  };
  const server = await startCloudplane(env, adminPassword);
  try {
    const pid = await serverPid();
    const { token, team } = await openTeam(server.url, adminPassword);
    const started = Date.now();
    const seeded = await seed(sqlitePath, team, count);
    console.error(`scale ${count}: seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    // The seeded events reach the server's change feed; what is measured is the server at rest after them.
    await settle(pid);
    const idleCores = await serverCores(pid, idleSeconds);
    console.error(`scale ${count}: idle ${idleCores.toFixed(3)} cores`);
    const { reads, create, filtered } = scenarios(server.url, token, team, seeded, `n${count}`);
    const measurements: Measurement[] = [];
    const run = async (scenario: Scenario) => {
      await settle(pid);
      const m = await measure(scenario, load);
      console.error(
        `scale ${count} ${m.scenario}: ${Math.round(m.requestsPerSecond)} req/s, p99 ${m.p99Ms} ms, ${m.requests} done, ${m.errors} errors, ${m.non2xx} non-2xx`,
      );
      measurements.push(m);
    };
    // Reads first, while the team holds just the seeded resources; the creates add to it.
    for (const scenario of [...reads, filtered]) await run(scenario);
    // Without and with a quota in turns (A B B A), each run half as long: creates grow the team as they run, so a
    // later run meets a larger team, and measured one after the other the second figure paid for the first's rows.
    const big = 1_000_000_000;
    const setQuotas = (body: object) =>
      call(server.url, `/api/v1/teams/${team}/quotas`, { method: 'PUT', token, body });
    const halves: Measurement[] = [];
    for (const quota of [false, true, true, false]) {
      await setQuotas(quota ? { maxCpus: big, maxMemoryMiB: big, maxResources: { cluster: big } } : {});
      const drained = await drainQueue(sqlitePath);
      console.error(`scale ${count}: the engine's queue drained in ${drained.toFixed(1)} s`);
      await settle(pid);
      const half = await measure(create(quota ? 'create with quota' : 'create'), halfLoad);
      console.error(
        `scale ${count} ${half.scenario} (half): ${Math.round(half.requestsPerSecond)} req/s, p99 ${half.p99Ms} ms`,
      );
      halves.push(half);
    }
    for (const name of ['create', 'create with quota']) {
      const m = meanOf(halves.filter((half) => half.scenario === name));
      console.error(`scale ${count} ${name}: ${Math.round(m.requestsPerSecond)} req/s, p99 ${m.p99Ms} ms (A B B A)`);
      measurements.push(m);
    }
    return { count, idleCores, measurements };
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** A scenario in which nothing completed, or something failed, has no figure: its p99 counts as unbounded, its rate as 0. */
function find(at: AtCount, scenario: string): Measurement {
  const m = at.measurements.find((measured) => measured.scenario === scenario)!;
  return m.requests > 0 && m.non2xx === 0 ? m : { ...m, requestsPerSecond: 0, p99Ms: Infinity };
}

function targets(small: AtCount, large: AtCount): Target[] {
  const found: Target[] = [];
  for (const at of [small, large]) {
    const ratio = find(at, 'create with quota').requestsPerSecond / find(at, 'create').requestsPerSecond;
    found.push(atLeast(`create with quota / without, ${at.count}`, Number(ratio.toFixed(2)), 0.8));
  }
  for (const scenario of ['get', 'list first page', 'list deep page', 'list filtered, no match', 'create']) {
    const ratio = find(large, scenario).p99Ms / Math.max(1, find(small, scenario).p99Ms);
    found.push(atMost(`${scenario} p99 at ${large.count} / at ${small.count}`, Number(ratio.toFixed(2)), 1.5, 'x'));
  }
  found.push(atMost(`idle server at ${large.count}`, Number(large.idleCores.toFixed(3)), 0.05, ' cores'));
  return found;
}

export async function run(): Promise<Section> {
  const [small, large] = [await measureAt(counts[0]), await measureAt(counts[1])];
  const lines = [
    `${load.connections} connections, ${load.warmupSeconds} s warm-up, ${load.seconds} s each; SQLite; seeded resources are agent-owned (external driver) active clusters with their events; creates are local-driver clusters`,
    ...[small, large].map(
      (at) =>
        `${at.count} resources: idle ${at.idleCores.toFixed(3)} cores; ` +
        at.measurements.map((m) => `${m.scenario} ${Math.round(m.requestsPerSecond)}/s p99 ${m.p99Ms} ms`).join('; '),
    ),
  ];
  return {
    title: `Scale: ${counts[0]} and ${counts[1]} resources in a team`,
    lines,
    targets: targets(small, large),
    data: { load, small, large },
  };
}
