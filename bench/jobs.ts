// The jobs part of `npm run bench`: BENCH_JOBS (1,000) jobs running `true` through the API, the engine and the
// local driver on SQLite, 50 creates in flight, against a bare spawn('true') at the same concurrency in the same run,
// and against the same spawns with a job's default limits enforced (src/drivers/local/processes/limits.ts).
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/load.ts';
import { jobLimits, type JobSpec } from '../src/drivers/local/job/record.ts';
import { createKindRegistry } from '../src/resources/kinds/registry.ts';
import { recordPaths } from '../src/drivers/local/processes/paths.ts';
import { readJson } from '../src/drivers/local/processes/records.ts';
import type { PidRecord } from '../src/drivers/local/processes/records.ts';
import { openTeam } from './fixtures.ts';
import { jobBody, runJobs, type CreatedJob, type JobLoad } from './job-load.ts';
import { jobsSection } from './job-report.ts';
import { jobPhases } from './job-timings.ts';
import type { Section } from './section.ts';
import { startCloudplane } from './servers.ts';
import { measureSpawnPeer } from './spawn-peer.ts';

const load: JobLoad = {
  jobs: Number(process.env.BENCH_JOBS ?? 1000),
  concurrency: 50,
  timeoutMs: Number(process.env.BENCH_JOBS_TIMEOUT_SECONDS ?? 600) * 1000,
};
/** cloudplane's own default unless BENCH_JOB_WORKERS is set. */
const workers = process.env.BENCH_JOB_WORKERS ?? String(loadConfig({ env: {} }).engine.workers);

/** The limits the bench's jobs get: those of their spec once the kind's defaults are applied. */
const limitsOfBenchJobs = () =>
  jobLimits(createKindRegistry().get('job')!.prepareSpec(jobBody(0).spec) as unknown as JobSpec);

/** The pids that supervised the jobs' processes, as their records name them. */
const supervisorsOf = (stateDir: string, jobs: CreatedJob[]): number =>
  new Set(
    jobs.flatMap(
      (job) => readJson<PidRecord>(recordPaths(join(stateDir, 'processes'), `${job.id}/i0`).supervisor)?.pid ?? [],
    ),
  ).size;

async function measureCloudplane(dir: string) {
  const stateDir = join(dir, 'state');
  const adminPassword = `bench-${randomUUID()}`;
  const env = {
    CLOUDPLANE_DATABASE_SQLITE_PATH: join(dir, 'db.sqlite'),
    CLOUDPLANE_ENGINE_STATE_DIR: stateDir,
    CLOUDPLANE_ENGINE_WORKERS: workers,
  };
  const server = await startCloudplane(env, adminPassword);
  try {
    const { token, team } = await openTeam(server.url, adminPassword);
    console.error(`jobs: ${load.jobs} jobs, ${workers} engine workers`);
    const outcome = await runJobs(server.url, token, team, load);
    const phases = await jobPhases({ url: server.url, token, team }, stateDir, outcome.jobs);
    return { outcome, phases, supervisors: supervisorsOf(stateDir, outcome.jobs) };
  } finally {
    await server.stop();
  }
}

export async function run(): Promise<Section> {
  const dir = await mkdtemp(join(tmpdir(), 'cloudplane-bench-jobs-'));
  try {
    const limits = limitsOfBenchJobs();
    const before = await measureSpawnPeer(load.jobs, load.concurrency);
    const limitedBefore = await measureSpawnPeer(load.jobs, load.concurrency, limits);
    console.error(
      `jobs: bare spawn ${before.perSecond.toFixed(1)}/s, with the jobs' limits ${limitedBefore.perSecond.toFixed(1)}/s`,
    );
    const cloudplane = await measureCloudplane(dir);
    const limitedAfter = await measureSpawnPeer(load.jobs, load.concurrency, limits);
    const after = await measureSpawnPeer(load.jobs, load.concurrency);
    return jobsSection({
      load,
      workers: Number(workers),
      peers: [before, after],
      limitedPeers: [limitedBefore, limitedAfter],
      ...cloudplane,
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
