// The jobs benchmark's load: creates N jobs running `true` with bounded concurrency and waits, on the change
// feed, until every one has succeeded or failed.
import type { Event } from '../src/events/models.ts';
import { followChangeFeed } from './change-feed.ts';
import { call } from './fixtures.ts';

export interface JobLoad {
  jobs: number;
  /** Creates in flight at once. */
  concurrency: number;
  /** Gives up waiting for the jobs' ends after this long. */
  timeoutMs: number;
}

/** What the client saw of one job; server-side times come from the API and the state directory later. */
export interface CreatedJob {
  id: string;
  createdAt: string;
  /** The `at` of the resource.status event that made it succeeded or failed. */
  endedAt?: string;
  state?: 'succeeded' | 'failed';
  message?: string;
}

export interface JobsOutcome {
  jobs: CreatedJob[];
  /** From the first create sent to the last end seen on the feed (or the timeout). */
  wallMs: number;
  /** From the first create sent to the last create answered. */
  createMs: number;
  timedOut: boolean;
}

/** What each job of the bench is: `true`, with its kind's defaults for the rest. */
export const jobBody = (i: number) => ({ kind: 'job', name: `j${i}`, spec: { cmd: 'true' } });

/** Runs `work(i)` for i in 0..count-1 with at most `limit` running at once. */
async function pooled(count: number, limit: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < count) await work(next++);
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, lane));
}

export async function runJobs(url: string, token: string, team: string, load: JobLoad): Promise<JobsOutcome> {
  const ends = new Map<string, Event>();
  let created = 0;
  let allEnded = () => {};
  const everyEnd = new Promise<void>((resolve) => (allEnded = resolve));
  const feed = followChangeFeed(url, token, team, (event) => {
    const state = event.data.state;
    if (event.type !== 'resource.status' || (state !== 'succeeded' && state !== 'failed') || ends.has(event.object.id))
      return;
    ends.set(event.object.id, event);
    if (ends.size === load.jobs) allEnded();
  });
  try {
    await feed.opened;
    const started = performance.now();
    const jobs: CreatedJob[] = new Array(load.jobs);
    await pooled(load.jobs, load.concurrency, async (i) => {
      const resource = await call(url, `/api/v1/teams/${team}/resources`, { method: 'POST', token, body: jobBody(i) });
      const metadata = resource.metadata as { id: string; createdAt: string };
      jobs[i] = { id: metadata.id, createdAt: metadata.createdAt };
      if (++created % 250 === 0) console.error(`jobs: ${created} created, ${ends.size} ended`);
    });
    const createMs = performance.now() - started;
    const timer = new Promise<boolean>((resolve) => setTimeout(resolve, load.timeoutMs, true).unref());
    const timedOut = (await Promise.race([everyEnd.then(() => false), timer, feed.ended.then(() => true)])) === true;
    const wallMs = performance.now() - started;
    for (const job of jobs) {
      const end = ends.get(job.id);
      if (end) Object.assign(job, { endedAt: end.at, state: end.data.state, message: end.data.message });
    }
    return { jobs, wallMs, createMs, timedOut };
  } finally {
    feed.stop();
  }
}
