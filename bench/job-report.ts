// Sums up the jobs part: throughput against the bare spawn peer of the same run, the per-job overhead after the
// claim against the issue's targets, and where the time of a job goes.
import type { JobLoad, JobsOutcome } from './job-load.ts';
import { phaseNames, summarize, type JobPhases, type Summary } from './job-timings.ts';
import { atLeast, atMost, type Section } from './section.ts';
import type { SpawnPeerRun } from './spawn-peer.ts';

/** The issue's targets: jobs/s as a share of bare spawn at the same concurrency, and the mean overhead after claim. */
const minimumSpawnRatio = 0.6;
const maximumMeanAfterClaimMs = 50;

export interface JobsMeasurement {
  load: JobLoad;
  /** The engine workers of the cloudplane under test. */
  workers: number;
  outcome: JobsOutcome;
  phases: JobPhases[];
  /** The bare peer measured just before and just after cloudplane, so a change in the host's load shows. */
  peers: SpawnPeerRun[];
  /** The same, each `true` under the jobs' limits as the local driver enforces them here. */
  limitedPeers: SpawnPeerRun[];
  /** Distinct supervising processes named in the jobs' records: one launcher, where a shell per job was. */
  supervisors: number;
}

const phaseLabels: Record<(typeof phaseNames)[number], string> = {
  queued: 'create -> claimed (queue wait, to the job directory)',
  prepared: 'claimed -> launch (workdir, job record)',
  launched: 'launch -> command running (the launcher forks it)',
  runtime: 'command runtime (not overhead)',
  reported: 'command ended -> succeeded written',
  overhead: 'overhead per job = (succeeded - created) - runtime',
  afterClaim: 'overhead after claim (claimed -> succeeded - runtime)',
  operationSettled: 'create -> apply operation settled',
};

function formatPhases(phases: Record<(typeof phaseNames)[number], Summary>): string[] {
  const header = ['phase', 'mean ms', 'p50 ms', 'p99 ms', 'max ms'];
  const cells = phaseNames.map((name) => {
    const s = phases[name];
    return [phaseLabels[name], ...[s.mean, s.p50, s.p99, s.max].map((v) => v.toFixed(1))];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)];
}

export function jobsSection(run: JobsMeasurement): Section {
  const { load, outcome } = run;
  const ended = outcome.jobs.filter((job) => job.state !== undefined);
  const failed = ended.filter((job) => job.state === 'failed');
  const unfinished = load.jobs - ended.length;
  const jobsPerSecond = ended.length / (outcome.wallMs / 1000);
  const meanPerSecond = (peers: SpawnPeerRun[]) => peers.reduce((sum, peer) => sum + peer.perSecond, 0) / peers.length;
  const ratio = jobsPerSecond / meanPerSecond(run.peers);
  const limitedRatio = jobsPerSecond / meanPerSecond(run.limitedPeers);
  const limited = run.limitedPeers[0];
  const limitedHow =
    limited.enforcement === 'none'
      ? 'no limit can be enforced here'
      : `${limited.enforcement}: ${limited.command?.join(' ')}`;
  const phases = Object.fromEntries(
    phaseNames.map((name) => [name, summarize(run.phases.map((p) => p[name]))]),
  ) as Record<(typeof phaseNames)[number], Summary>;
  const { afterClaim } = phases;
  // Failed or unfinished jobs fail both targets: their figures are not those of jobs that ran.
  const complete = unfinished === 0 && failed.length === 0;
  const targets = [
    atLeast('jobs/s / bare spawn(true), same concurrency', ratio, minimumSpawnRatio),
    atMost('mean overhead after claim', afterClaim.mean, maximumMeanAfterClaimMs),
  ].map((target) => ({ ...target, ok: target.ok && complete }));
  const lines = [
    `${load.jobs} x \`true\` (sqlite, local driver), ${run.workers} engine workers, ${load.concurrency} creates in flight`,
    `cloudplane  ${jobsPerSecond.toFixed(1)} jobs/s (wall ${(outcome.wallMs / 1000).toFixed(1)} s, creates ${(outcome.createMs / 1000).toFixed(1)} s), ` +
      `${ended.length - failed.length} succeeded, ${failed.length} failed, ${unfinished} unfinished`,
    `bare spawn  ${run.peers.map((peer) => `${peer.perSecond.toFixed(1)}/s`).join(' before, ')} after (${load.concurrency} in flight, fresh node process)`,
    `with limits ${run.limitedPeers.map((peer) => `${peer.perSecond.toFixed(1)}/s`).join(' before, ')} after (each under the jobs' default limits, ${limitedHow})`,
    `ratio       ${ratio.toFixed(2)}x of bare spawn, ${limitedRatio.toFixed(2)}x of bare spawn with limits (means of before and after)`,
    `after claim mean ${afterClaim.mean.toFixed(1)} ms, p50 ${afterClaim.p50.toFixed(1)} ms, p99 ${afterClaim.p99.toFixed(1)} ms (${run.phases.length} jobs timed)`,
    `processes that forked the ${load.jobs} jobs: ${run.supervisors} (the launcher(s) their records name)`,
    '',
    ...formatPhases(phases),
    ...failed.slice(0, 5).map((job) => `failed: ${job.id}: ${job.message}`),
  ];
  return {
    title: 'jobs: 1 job = 1 `true` through the API, the engine and the local driver',
    lines,
    targets,
    data: {
      load,
      workers: run.workers,
      jobsPerSecond,
      wallMs: outcome.wallMs,
      createMs: outcome.createMs,
      succeeded: ended.length - failed.length,
      failed: failed.length,
      unfinished,
      timedOut: outcome.timedOut,
      peers: run.peers,
      limitedPeers: run.limitedPeers,
      ratio,
      limitedRatio,
      supervisors: run.supervisors,
      phases,
    },
  };
}
