// The measured scenarios, and how one is driven with autocannon: a short warm-up, then the measurement.
import autocannon from 'autocannon';
import { clusterBody, type Fixture } from './fixtures.ts';

export type BaselineName = 'baseline GET' | 'baseline POST';

export interface Scenario {
  name: string;
  /** The baseline this scenario's rate is divided by; none for the baselines themselves. */
  comparedTo?: BaselineName;
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
}

const json = { 'content-type': 'application/json' };

/** A unique resource name per request: the counter lives across warm-up and measurement. */
function uniqueBodies(prefix: string): autocannon.Request[] {
  let next = 0;
  return [{ setupRequest: (request) => ({ ...request, body: JSON.stringify(clusterBody(`${prefix}-${next++}`)) }) }];
}

export function baselineScenarios(url: string): Scenario[] {
  return [
    { name: 'baseline GET', options: { url: `${url}/` } },
    {
      name: 'baseline POST',
      options: { url: `${url}/`, method: 'POST', headers: json, requests: uniqueBodies('baseline') },
    },
  ];
}

export function cloudplaneScenarios(fixture: Fixture): Scenario[] {
  const base = `${fixture.url}/api/v1/teams/${fixture.team}/resources`;
  const auth = { authorization: `Bearer ${fixture.token}` };
  const path = new URL(base).pathname;
  let nextId = 0;
  const ids = fixture.resourceIds;
  return [
    {
      name: 'get',
      comparedTo: 'baseline GET',
      // Rotates over the seeded ids so no single row stays hot in every cache.
      options: {
        url: base,
        headers: auth,
        requests: [{ setupRequest: (request) => ({ ...request, path: `${path}/${ids[nextId++ % ids.length]}` }) }],
      },
    },
    { name: 'list 100', comparedTo: 'baseline GET', options: { url: `${base}?limit=100`, headers: auth } },
    {
      name: 'create',
      comparedTo: 'baseline POST',
      options: { url: base, method: 'POST', headers: { ...json, ...auth }, requests: uniqueBodies('bench') },
    },
  ];
}

function toMeasurement(scenario: string, result: autocannon.Result): Measurement {
  return {
    scenario,
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors,
    non2xx: result.non2xx,
  };
}

export async function measure(scenario: Scenario, load: LoadSettings): Promise<Measurement> {
  const options = { connections: load.connections, ...scenario.options };
  if (load.warmupSeconds > 0) await autocannon({ ...options, duration: load.warmupSeconds });
  const result = await autocannon({ ...options, duration: load.seconds });
  return toMeasurement(scenario.name, result);
}
