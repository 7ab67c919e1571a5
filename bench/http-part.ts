// `npm run bench` part "http": cloudplane's API on SQLite and PostgreSQL, each figure as a ratio to a peer measured
// in the same run (bare node:http, the same bytes, Fastify, node:sqlite, pg), checked against issue 10's targets.
import { randomUUID } from 'node:crypto';
import { postgresRound } from './http-postgres.ts';
import { sqliteRound, type Round } from './http-sqlite.ts';
import { defaultLoad, type Measurement } from './scenarios.ts';
import { atLeast, atMost, type Section, type Target } from './section.ts';
import { formatTable, rate } from './table.ts';

const maximumP99Ms = 25;

/** Each cloudplane figure, the peers it is shown against, and the one the issue sets a target on. */
const comparisons = [
  {
    database: 'sqlite',
    scenario: 'cloudplane get',
    peers: ['bare same bytes', 'bare GET', 'Fastify JSON', 'Fastify + schema', 'node:sqlite get'],
    target: { peer: 'bare same bytes', minimum: 0.5 },
  },
  {
    database: 'sqlite',
    scenario: 'cloudplane list 100',
    peers: ['node:sqlite list 100'],
    target: { peer: 'node:sqlite list 100', minimum: 3 },
  },
  {
    database: 'sqlite',
    scenario: 'cloudplane create',
    peers: ['bare POST', 'node:sqlite create', 'node:sqlite create grouped'],
    target: { peer: 'bare POST', minimum: 0.3 },
    // What the target's peer allows a create that commits as cloudplane does and does nothing else.
    floor: { peer: 'node:sqlite create grouped', of: 'bare POST' },
  },
  {
    database: 'postgres',
    scenario: 'cloudplane create',
    peers: ['pg create'],
    target: { peer: 'pg create', minimum: 0.5 },
  },
] as const;

const failures = (m: Measurement) => m.errors + m.non2xx;
const cores = (value?: number) => (value === undefined ? '?' : value.toFixed(2));

function measurementRows(round: Round): string[][] {
  return round.measurements.map((m) => [
    m.scenario,
    rate(m.requestsPerSecond),
    m.p50Ms.toFixed(1),
    m.p99Ms.toFixed(1),
    String(failures(m)),
    cores(m.cpu.serverCores),
    cores(m.cpu.loadGeneratorCores),
  ]);
}

/** A target over figures with errors is missed: fast 4xx/5xx would inflate a rate. */
const unless = (target: Target, clean: boolean): Target =>
  clean ? target : { ...target, name: `${target.name} (had errors)`, ok: false };

type Comparison = (typeof comparisons)[number] & { floor?: { peer: string; of: string } };

function compare(rounds: Round[], lines: string[], targets: Target[]) {
  for (const { database, scenario, peers, target, floor } of comparisons as readonly Comparison[]) {
    const round = rounds.find((r) => r.database === database && !r.skipped);
    const find = (name: string) => round?.measurements.find((m) => m.scenario === name);
    const ours = find(scenario);
    if (!round || !ours) {
      targets.push({
        name: `${database} ${scenario} / ${target.peer} (not measured)`,
        value: NaN,
        target: `>= ${target.minimum}x`,
        ok: false,
      });
      continue;
    }
    lines.push(`${database} ${scenario.replace('cloudplane ', '')}: ${rate(ours.requestsPerSecond)} req/s`);
    for (const name of peers) {
      const peer = find(name);
      if (!peer) continue;
      const ratio = ours.requestsPerSecond / peer.requestsPerSecond;
      lines.push(`  ${ratio.toFixed(2)}x ${name} (${rate(peer.requestsPerSecond)} req/s)`);
      if (name === target.peer) {
        const checked = atLeast(`${database} ${scenario} / ${name}`, ratio, target.minimum);
        targets.push(unless(checked, failures(ours) + failures(peer) === 0));
      }
    }
    const [floorPeer, floorOf] = [find(floor?.peer ?? ''), find(floor?.of ?? '')];
    if (floorPeer && floorOf)
      lines.push(
        `  the floor: ${floorPeer.scenario} is ${(floorPeer.requestsPerSecond / floorOf.requestsPerSecond).toFixed(2)}x ` +
          `${floorOf.scenario}, cloudplane ${(ours.requestsPerSecond / floorPeer.requestsPerSecond).toFixed(2)}x of it`,
      );
  }
}

/** The issue's p99 target holds on SQLite; PostgreSQL's p99 is shown in its table. */
function p99Targets(rounds: Round[]): Target[] {
  const sqlite = rounds.find((r) => r.database === 'sqlite');
  return (sqlite?.measurements ?? [])
    .filter((m) => m.scenario.startsWith('cloudplane '))
    .map((m) => unless(atMost(`sqlite ${m.scenario} p99`, m.p99Ms, maximumP99Ms), failures(m) === 0));
}

function loadGeneratorLine(rounds: Round[]): string {
  const shares = rounds.flatMap((r) => r.measurements.map((m) => m.cpu.loadGeneratorCores ?? NaN));
  const known = shares.filter((s) => !Number.isNaN(s));
  const machine = rounds.flatMap((r) => r.measurements)[0]?.cpu.machineCores ?? 0;
  if (known.length === 0) return 'load generator CPU: unknown (no /proc)';
  const [low, high] = [Math.min(...known), Math.max(...known)];
  return `load generator (autocannon, in the bench process): ${low.toFixed(2)}-${high.toFixed(2)} of ${machine} cores per scenario`;
}

export async function run(): Promise<Section> {
  const load = defaultLoad();
  const adminPassword = `bench-${randomUUID()}`;
  const sqlite = await sqliteRound(load, adminPassword);
  const postgres = await postgresRound(load, adminPassword);
  const rounds = [sqlite, postgres];
  const lines = [
    `${load.connections} connections on loopback, ${load.warmupSeconds} s warm-up + ${load.seconds} s per scenario, ` +
      `one server under load at a time, in the order below; a get answers ${sqlite.getBytes} bytes of JSON`,
    loadGeneratorLine(rounds),
  ];
  const header = ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'server cores', 'load gen cores'];
  for (const round of rounds) {
    lines.push('', `${round.database}: ${round.skipped ? `NOT MEASURED: ${round.skipped}` : round.origin}`);
    if (!round.skipped) lines.push(...formatTable(header, measurementRows(round)));
  }
  const targets: Target[] = [];
  lines.push('');
  compare(rounds, lines, targets);
  targets.push(...p99Targets(rounds));
  return { title: 'HTTP API against bare peers', lines, targets, data: { load, rounds } };
}
