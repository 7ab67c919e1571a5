// The measured scenarios, and how one is driven with autocannon: a short warm-up, then the measurement, with the
// CPU the server and the load generator used meanwhile. A peer is driven with the same requests as cloudplane.
import autocannon from 'autocannon';
import { withCpu, type CpuShare } from './cpu.ts';
import { clusterBody, type Fixture } from './fixtures.ts';

export interface Scenario {
  name: string;
  /** The peer this scenario's rate is divided by; none for the peers themselves. */
  comparedTo?: string;
  options: autocannon.Options;
}

export interface LoadSettings {
  connections: number;
  warmupSeconds: number;
  seconds: number;
}

export interface Measurement {
  scenario: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** Connection errors and timeouts. */
  errors: number;
  non2xx: number;
  /** Over the measurement (not the warm-up); the server's share is absent when its pid was not given. */
  cpu: CpuShare;
}

/** The load every part uses unless it has a reason not to: BENCH_SECONDS and BENCH_WARMUP_SECONDS size it. */
export function defaultLoad(): LoadSettings {
  return {
    connections: Number(process.env.BENCH_CONNECTIONS ?? 50),
    warmupSeconds: Number(process.env.BENCH_WARMUP_SECONDS ?? 2),
    seconds: Number(process.env.BENCH_SECONDS ?? 8),
  };
}

const json = { 'content-type': 'application/json' };
const resourcesPath = (team: string) => `/api/v1/teams/${team}/resources`;
const auth = (fixture: Fixture) => ({ authorization: `Bearer ${fixture.token}` });

/** A unique resource name per request: the counter lives across warm-up and measurement. */
function uniqueBodies(prefix: string): autocannon.Request[] {
  let next = 0;
  return [{ setupRequest: (request) => ({ ...request, body: JSON.stringify(clusterBody(`${prefix}-${next++}`)) }) }];
}

/** GET of one seeded resource after another, so no single row stays hot in every cache. */
export function getScenario(name: string, serverUrl: string, fixture: Fixture, comparedTo?: string): Scenario {
  const path = resourcesPath(fixture.team);
  const ids = fixture.resourceIds;
  let next = 0;
  return {
    name,
    comparedTo,
    options: {
      url: `${serverUrl}${path}`,
      headers: auth(fixture),
      requests: [{ setupRequest: (request) => ({ ...request, path: `${path}/${ids[next++ % ids.length]}` }) }],
    },
  };
}

export function listScenario(name: string, serverUrl: string, fixture: Fixture, comparedTo?: string): Scenario {
  return {
    name,
    comparedTo,
    options: { url: `${serverUrl}${resourcesPath(fixture.team)}?limit=100`, headers: auth(fixture) },
  };
}

/** POST of a new cluster; names start with the scenario's name, so scenarios sharing a database never collide. */
export function createScenario(name: string, serverUrl: string, fixture: Fixture, comparedTo?: string): Scenario {
  return {
    name,
    comparedTo,
    options: {
      url: `${serverUrl}${resourcesPath(fixture.team)}`,
      method: 'POST',
      headers: { ...json, ...auth(fixture) },
      requests: uniqueBodies(name.replace(/[^A-Za-z0-9]+/g, '-')),
    },
  };
}

/** cloudplane's get by id, list(100) and create. */
export function cloudplaneScenarios(fixture: Fixture): Scenario[] {
  return [
    getScenario('get', fixture.url, fixture),
    listScenario('list 100', fixture.url, fixture),
    createScenario('create', fixture.url, fixture),
  ];
}

function toMeasurement(scenario: string, result: autocannon.Result, cpu: CpuShare): Measurement {
  return {
    scenario,
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors,
    non2xx: result.non2xx,
    cpu,
  };
}

/** Drives one scenario; with the server's pid, also the CPU it and the load generator used. */
export async function measure(scenario: Scenario, load: LoadSettings, serverPid?: number): Promise<Measurement> {
  const options = { connections: load.connections, ...scenario.options };
  if (load.warmupSeconds > 0) await autocannon({ ...options, duration: load.warmupSeconds });
  const [result, cpu] = await withCpu(serverPid, () => autocannon({ ...options, duration: load.seconds }));
  return toMeasurement(scenario.name, result, cpu);
}

/** Measures scenarios one after the other against one server, saying on stderr how each went. */
export async function measureEach(
  serverPid: number,
  scenarios: Scenario[],
  load: LoadSettings,
): Promise<Measurement[]> {
  const results: Measurement[] = [];
  for (const scenario of scenarios) {
    const m = await measure(scenario, load, serverPid);
    console.error(
      `  ${m.scenario}: ${Math.round(m.requestsPerSecond)} req/s, p99 ${m.p99Ms} ms, ${m.errors + m.non2xx} errors, ` +
        `server ${m.cpu.serverCores?.toFixed(2) ?? '?'} cores, load generator ${m.cpu.loadGeneratorCores?.toFixed(2) ?? '?'}`,
    );
    results.push(m);
  }
  return results;
}
