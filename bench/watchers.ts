// The change feed under many watchers: create throughput on SQLite with none and with N live streams
// (BENCH_WATCHERS, 1,000 by default), laid out twice: a few (BENCH_WATCHERS_FOLLOWING, 10) on the team the creates go
// to and the rest on quiet teams, as many consoles and CLIs of many teams; then all of them on that team (every event
// to every stream). Delivery: from a probe create's answer to each following stream's receipt. Streams are read by a
// child process (watcher-client.ts). Then the same with a bare fan-out peer (peers/fan-out.ts: cloudplane's bytes,
// no database), none and all following: what the machine allows when every stream reads every event.
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { call, clusterBody, openTeam } from './fixtures.ts';
import { atLeast, atMost, type Section, type Target as Checked } from './section.ts';
import { startCloudplane, startPeer } from './servers.ts';

const watchers = Number(process.env.BENCH_WATCHERS ?? 1000);
/** In the spread layout, how many streams follow the team the creates go to (the others follow quiet teams). */
const followersWhenSpread = Number(process.env.BENCH_WATCHERS_FOLLOWING ?? 10);
const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const connections = 50;
/** One probe create every this many ms during each measurement, timed from its answer to each stream's receipt. */
const probeEveryMs = 50;
/** How long after the load the probes' deliveries are still waited for. */
const drainSeconds = 30;
const clientScript = fileURLToPath(new URL('./watcher-client.ts', import.meta.url));

const now = () => performance.timeOrigin + performance.now();

interface Target {
  url: string;
  token: string;
  team: string;
}

interface CreateRun {
  requestsPerSecond: number;
  p99Ms: number;
  errors: number;
  /** Probe number -> when its create was answered. */
  probes: Map<number, number>;
}

let nextName = 0;

function createLoad(target: Target, duration: number) {
  const url = `${target.url}/api/v1/teams/${target.team}/resources`;
  return autocannon({
    url,
    connections,
    duration,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${target.token}` },
    requests: [{ setupRequest: (r) => ({ ...r, body: JSON.stringify(clusterBody(`watched-${nextName++}`)) }) }],
  });
}

/** Creates `probe-<n>` resources one after the other, every probeEveryMs, until stopped; notes each answer's time. */
function probe(target: Target, first: number) {
  const answered = new Map<number, number>();
  let running = true;
  const done = (async () => {
    for (let n = first; running; n++) {
      const response = await fetch(`${target.url}/api/v1/teams/${target.team}/resources`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${target.token}` },
        body: JSON.stringify(clusterBody(`probe-${n}`)),
      });
      await response.arrayBuffer();
      if (response.status === 201) answered.set(n, now());
      await new Promise((resolve) => setTimeout(resolve, probeEveryMs));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await done;
      return answered;
    },
  };
}

async function measureCreates(target: Target, firstProbe: number): Promise<CreateRun> {
  await createLoad(target, warmupSeconds);
  const probes = probe(target, firstProbe);
  const result = await createLoad(target, seconds);
  return {
    requestsPerSecond: result.requests.average,
    p99Ms: result.latency.p99,
    errors: result.errors + result.non2xx,
    probes: await probes.stop(),
  };
}

function ask<T>(child: ChildProcess, message: unknown, answer: (reply: Record<string, unknown>) => T | undefined) {
  return new Promise<T>((resolve, reject) => {
    const onMessage = (reply: Record<string, unknown>) => {
      if (typeof reply.error === 'string') return reject(new Error(reply.error));
      const value = answer(reply);
      if (value !== undefined) {
        child.off('message', onMessage);
        resolve(value);
      }
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`the watcher client exited with code ${code}`)));
    child.send(message as object);
  });
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

interface Deliveries {
  latencies: number[];
  /** Probe deliveries expected (probes x streams) that never arrived. */
  missing: number;
  streamsEnded: number;
}

function deliveries(
  answered: Map<number, number>,
  followers: number,
  seen: [number, number[]][],
  streamsEnded: number,
): Deliveries {
  const received = new Map(seen);
  const latencies: number[] = [];
  let missing = 0;
  for (const [n, at] of answered) {
    const times = received.get(n) ?? [];
    missing += followers - times.length;
    for (const t of times) latencies.push(t - at);
  }
  return { latencies, missing, streamsEnded };
}

/** Who the streams follow: `followers` of them the team the creates go to, the others quiet teams of their own. */
interface Layout {
  name: string;
  followers: number;
  teams: string[];
}

interface Watched {
  layout: Layout;
  creates: CreateRun;
  delivered: Deliveries;
}

async function withWatchers(target: Target, layout: Layout, firstProbe: number): Promise<Watched> {
  const child = fork(clientScript, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    await ask(child, { start: { url: target.url, token: target.token, teams: layout.teams } }, (reply) => reply.ready);
    const creates = await measureCreates(target, firstProbe);
    // Deliveries still queued when the load stops (readers behind) are waited for, up to drainSeconds: late, not lost.
    let delivered = deliveries(creates.probes, layout.followers, [], 0);
    for (let waited = 0; waited <= drainSeconds; waited++) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const report = await ask(child, { report: true }, (reply) =>
        reply.seen ? (reply as { seen: [number, number[]][]; ended: number }) : undefined,
      );
      delivered = deliveries(creates.probes, layout.followers, report.seen, report.ended);
      if (delivered.missing === 0) break;
    }
    return { layout, creates, delivered };
  } finally {
    child.kill();
  }
}

const rounded = (value: number) => Math.round(value * 100) / 100;

/** Quiet teams for the streams that do not follow the load, a few streams each (as consoles and CLIs of many teams). */
async function quietTeams(target: Target, count: number): Promise<string[]> {
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const team = await call(target.url, '/api/v1/teams', {
      method: 'POST',
      token: target.token,
      body: { name: `quiet-${i}` },
    });
    names.push(team.name as string);
  }
  return names;
}

function describe(alone: CreateRun, watched: Watched): { lines: string[]; targets: Checked[]; data: unknown } {
  const ratio = watched.creates.requestsPerSecond / alone.requestsPerSecond;
  const { latencies, missing, streamsEnded } = watched.delivered;
  const p50 = percentile(latencies, 50);
  const p99 = percentile(latencies, 99);
  const name = `${watchers} watchers, ${watched.layout.name}`;
  return {
    lines: [
      `create, ${name}: ${Math.round(watched.creates.requestsPerSecond)} req/s (${rounded(ratio)}x), p99 ${watched.creates.p99Ms} ms, ${watched.creates.errors} errors`,
      `  delivery to the ${watched.layout.followers} following the creates (answer -> event read): p50 ${rounded(p50)} ms, p99 ${rounded(p99)} ms over ${latencies.length}; ${missing} missing, ${streamsEnded} streams ended by the server`,
    ],
    targets: [
      atLeast(`create with ${name} / with none`, rounded(ratio), 0.7),
      atMost(`delivery p99, ${name}`, rounded(p99), 100),
    ],
    data: {
      layout: watched.layout.name,
      followers: watched.layout.followers,
      ...watched.creates,
      probes: undefined,
      p50,
      p99,
      missing,
    },
  };
}

/** A create's answer and its event as cloudplane sends them, the resource's name replaced by `{{name}}`. */
async function fanOutTemplates(target: Target) {
  const name = 'template-create';
  const created = await call(target.url, `/api/v1/teams/${target.team}/resources`, {
    method: 'POST',
    token: target.token,
    body: clusterBody(name),
  });
  const id = (created.metadata as { id: string }).id;
  const events = await call(target.url, `/api/v1/events?object=${id}&limit=1`, { method: 'GET', token: target.token });
  const templated = (value: unknown) => JSON.stringify(value).replaceAll(`"${name}"`, '"{{name}}"');
  return { resource: templated(created), event: templated((events.items as unknown[])[0]) };
}

/** The bare fan-out peer: creates with no stream, then with every stream following them. */
async function fanOutPeer(templates: { resource: string; event: string }) {
  const peer = await startPeer('fan-out.ts', templates);
  try {
    const target = { url: peer.url, token: 'none', team: 'peer' };
    const alone = await measureCreates(target, 0);
    const layout = { name: 'all following', followers: watchers, teams: Array(watchers).fill('peer') };
    return { alone, watched: await withWatchers(target, layout, 3_000_000) };
  } finally {
    await peer.stop();
  }
}

function describePeer(peer: Awaited<ReturnType<typeof fanOutPeer>>, ours: Watched) {
  const ratio = peer.watched.creates.requestsPerSecond / peer.alone.requestsPerSecond;
  const p99 = percentile(peer.watched.delivered.latencies, 99);
  const deliveredPerSecond = (creates: CreateRun, followers: number) => creates.requestsPerSecond * followers;
  return [
    `bare fan-out peer (cloudplane's bytes, no database), no watchers: ${Math.round(peer.alone.requestsPerSecond)} req/s, p99 ${peer.alone.p99Ms} ms`,
    `bare fan-out peer, ${watchers} watchers all following: ${Math.round(peer.watched.creates.requestsPerSecond)} req/s (${rounded(ratio)}x), delivery p99 ${rounded(p99)} ms, ${peer.watched.delivered.missing} missing`,
    `  events delivered per second, all following: cloudplane ${Math.round(deliveredPerSecond(ours.creates, watchers))}, bare peer ${Math.round(deliveredPerSecond(peer.watched.creates, watchers))} (${rounded(ours.creates.requestsPerSecond / peer.watched.creates.requestsPerSecond)}x)`,
  ];
}

export async function run(): Promise<Section> {
  const adminPassword = `bench-${randomUUID()}`;
  const dir = await mkdtemp(join(tmpdir(), 'cloudplane-bench-watchers-'));
  // Concertim's own port is left alone: another cloudplane may be running on this machine.
  const server = await startCloudplane(
    { CLOUDPLANE_DATABASE_SQLITE_PATH: join(dir, 'db.sqlite'), CLOUDPLANE_DIALECTS_CONCERTIM_PORT: '0' },
    adminPassword,
  );
  try {
    const target = { url: server.url, ...(await openTeam(server.url, adminPassword)) };
    const quiet = await quietTeams(target, Math.ceil(watchers / 10));
    const spreadFollowers = Math.min(watchers, followersWhenSpread);
    const layouts: Layout[] = [
      {
        name: `${spreadFollowers} on the creating team, the rest on ${quiet.length} quiet teams`,
        followers: spreadFollowers,
        teams: Array.from({ length: watchers }, (_, i) =>
          i < spreadFollowers ? target.team : quiet[i % quiet.length],
        ),
      },
      { name: 'all on the creating team', followers: watchers, teams: Array(watchers).fill(target.team) },
    ];
    const templates = await fanOutTemplates(target);
    const alone = await measureCreates(target, 0);
    const measured: Watched[] = [];
    for (const [i, layout] of layouts.entries()) measured.push(await withWatchers(target, layout, (i + 1) * 1_000_000));
    await server.stop();
    // One server on the machine at a time: the peer once cloudplane has stopped.
    const peer = await fanOutPeer(templates);
    const parts = measured.map((watched) => describe(alone, watched));
    return {
      title: `Change feed: ${watchers} watchers (SQLite, ${connections} connections creating)`,
      lines: [
        `create, no watchers: ${Math.round(alone.requestsPerSecond)} req/s, p99 ${alone.p99Ms} ms, ${alone.errors} errors`,
        ...parts.flatMap((part) => part.lines),
        ...describePeer(peer, measured[measured.length - 1]),
      ],
      targets: parts.flatMap((part) => part.targets),
      data: {
        watchers,
        seconds,
        alone: { ...alone, probes: undefined },
        watched: parts.map((part) => part.data),
        peer: {
          alone: { ...peer.alone, probes: undefined },
          watched: {
            ...peer.watched.creates,
            probes: undefined,
            p99: percentile(peer.watched.delivered.latencies, 99),
          },
        },
      },
    };
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const section = await run();
  console.log([section.title, ...section.lines, ...section.targets.map((t) => JSON.stringify(t))].join('\n'));
}
