// Sums up the jobs benchmark: throughput, the per-job overhead against its target, and where the overhead goes.
import { phaseNames, summarize, type JobPhases, type Summary } from './job-timings.ts';
import type { JobLoad, JobsOutcome } from './jobs.ts';

/** The target: what cloudplane adds to a job, beyond the job's own runtime, on average. */
const maximumOverheadMs = 5;

export interface JobsRun {
  load: JobLoad;
  workers: number;
  wallMs: number;
  createMs: number;
  jobsPerSecond: number;
  succeeded: number;
  failed: number;
  unfinished: number;
  /** Jobs whose every timestamp was found; the phases are over these. */
  timed: number;
  phases: Record<(typeof phaseNames)[number], Summary>;
  overheadTarget: { maximumMeanMs: number; pass: boolean };
  failures: string[];
}

export function jobsRun(load: JobLoad, workers: number, outcome: JobsOutcome, phases: JobPhases[]): JobsRun {
  const ended = outcome.jobs.filter((job) => job.state !== undefined);
  const failed = ended.filter((job) => job.state === 'failed');
  const summaries = Object.fromEntries(
    phaseNames.map((name) => [name, summarize(phases.map((p) => p[name]))]),
  ) as JobsRun['phases'];
  return {
    load,
    workers,
    wallMs: outcome.wallMs,
    createMs: outcome.createMs,
    jobsPerSecond: ended.length / (outcome.wallMs / 1000),
    succeeded: ended.length - failed.length,
    failed: failed.length,
    unfinished: outcome.jobs.length - ended.length,
    timed: phases.length,
    phases: summaries,
    // Unfinished or failed jobs fail the target: their overhead is unknown or not a job's.
    overheadTarget: {
      maximumMeanMs: maximumOverheadMs,
      pass: ended.length === load.jobs && failed.length === 0 && summaries.overhead.mean <= maximumOverheadMs,
    },
    failures: failed.slice(0, 5).map((job) => `${job.id}: ${job.message}`),
  };
}

const phaseLabels: Record<(typeof phaseNames)[number], string> = {
  queued: 'create -> claimed (queue wait, to the job directory)',
  prepared: 'claimed -> launch (workdir, job record)',
  launched: 'launch -> process started (supervisor node start)',
  runtime: 'process runtime (not overhead)',
  reported: 'process ended -> succeeded written',
  overhead: 'overhead per job = (succeeded - created) - runtime',
  afterClaim: 'overhead without the queue wait (claimed -> succeeded - runtime)',
  operationSettled: 'create -> apply operation settled',
};

function formatPhases(phases: JobsRun['phases']): string[] {
  const header = ['phase', 'mean ms', 'p50 ms', 'p99 ms', 'max ms'];
  const cells = phaseNames.map((name) => {
    const s = phases[name];
    return [phaseLabels[name], ...[s.mean, s.p50, s.p99, s.max].map((v) => v.toFixed(1))];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)];
}

export function formatJobs(run: JobsRun): string {
  const { overhead } = run.phases;
  const verdict = run.overheadTarget.pass ? 'PASS' : 'MISS';
  return [
    '',
    `jobs (sqlite, local driver): ${run.load.jobs} x \`true\`, ${run.workers} engine workers, ${run.load.concurrency} creates in flight`,
    `  wall ${(run.wallMs / 1000).toFixed(1)} s (creates took ${(run.createMs / 1000).toFixed(1)} s), ${run.jobsPerSecond.toFixed(1)} jobs/s, ` +
      `${run.succeeded} succeeded, ${run.failed} failed, ${run.unfinished} unfinished, ${run.timed} timed`,
    '',
    ...formatPhases(run.phases).map((line) => `  ${line}`),
    '',
    `  overhead mean ${overhead.mean.toFixed(1)} ms, p50 ${overhead.p50.toFixed(1)} ms, p99 ${overhead.p99.toFixed(1)} ms: target mean <= ${run.overheadTarget.maximumMeanMs} ms per job ${verdict}`,
    ...run.failures.map((failure) => `  failed: ${failure}`),
  ].join('\n');
}
