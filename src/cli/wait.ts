// --wait: makes a request and follows the team's change feed until the resource it answered settles
// (the engine has no work left for it and it rests in a state), fails, or the timeout passes.
import { Option, type Command } from 'commander';
import { ApiError } from './errors.ts';
import { followFeed, type FeedEvent } from './feed.ts';
import { duration } from './parse.ts';
import { startProgress, type Progress } from './progress.ts';
import { resourcePath, type Resource } from './resource.ts';
import type { Session } from './session.ts';

/** `settle`: at rest in any state but failed or deleted; `delete`: gone. */
export type Goal = 'settle' | 'delete';

export interface WaitOptions {
  goal: Goal;
  timeoutMs: number | undefined;
}

/** States a resource leaves by itself: the wait goes on. */
const movingStates = ['pending', 'provisioning', 'deleting'];
/** An outcome equal to the last status records no event; a slow recheck sees it settle anyway. */
const recheckMs = 5000;

interface Kind {
  name: string;
  states: string[];
}

type Verdict = { done: boolean; resource?: Resource };

async function readOrGone<T>(session: Session, path: string): Promise<T | undefined> {
  try {
    return await session.api.get<T>(path);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return undefined;
    throw error;
  }
}

/** A kind that can succeed (a job) is not done while active: it is running. */
async function inspect(session: Session, first: Resource, goal: Goal, finishing: boolean): Promise<Verdict> {
  const path = resourcePath(first.metadata.team, first.metadata.id);
  const label = `${first.metadata.kind} ${first.metadata.name}`;
  // Operations first: one that finished after this read has already written the resource read next.
  const operations = await readOrGone<{ items: { state: string }[] }>(session, `${path}/operations`);
  const resource = await readOrGone<Resource>(session, path);
  if (resource === undefined || operations === undefined) {
    if (goal === 'delete') return { done: true };
    throw new Error(`${label} is gone`);
  }
  if (operations.items.some((o) => o.state === 'queued' || o.state === 'running')) return { done: false, resource };
  const { state, message } = resource.status;
  if (state === 'failed') throw new Error(`${label} failed: ${message}`);
  if (goal === 'delete') return { done: state === 'deleted', resource };
  if (state === 'deleted') throw new Error(`${label} was deleted`);
  const resting = !movingStates.includes(state) && !(finishing && state === 'active');
  return { done: resting, resource };
}

/** Resolves after ms, or at once when the returned wake is called. */
function pause(ms: number): { until: Promise<void>; wake: () => void } {
  let wake = () => {};
  const until = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    wake = () => {
      clearTimeout(timer);
      resolve();
    };
  });
  return { until, wake };
}

/** Status events carry the state and message a change moved to; other events are only a cue to look. */
const statusEvents = ['resource.status', 'resource.deleted'];

const showEvents = (events: FeedEvent[], id: string, progress: Progress) => {
  for (const event of events) {
    const { state, message } = event.data;
    if (event.object.id === id && statusEvents.includes(event.type) && typeof state === 'string')
      progress.show(state, typeof message === 'string' ? message : '');
  }
};

/**
 * Subscribes to the feed first, so no change after the request is missed, then makes the request and
 * rechecks the resource on each of its events; shows every state change on stderr.
 */
export async function requestAndWait(
  session: Session,
  team: string,
  request: () => Promise<Resource>,
  options: WaitOptions,
): Promise<Resource> {
  const controller = new AbortController();
  const events: FeedEvent[] = [];
  let feedError: unknown;
  let pending = pause(0);
  let connected = () => {};
  const ready = new Promise<void>((resolve) => (connected = resolve));
  const feed = followFeed(
    session,
    { team, live: true, signal: controller.signal, onConnected: () => (connected(), pending.wake()) },
    (event) => {
      if (!event.type.startsWith('resource.')) return;
      events.push(event);
      pending.wake();
    },
  ).catch((error) => {
    feedError = error;
    connected();
    pending.wake();
  });
  try {
    await ready;
    if (feedError) throw feedError;
    const kinds = session.api.get<Kind[]>('/kinds');
    const first = await request();
    const finishing = (await kinds).find((k) => k.name === first.metadata.kind)?.states.includes('succeeded') ?? false;
    const progress = startProgress(`${first.metadata.kind} ${first.metadata.name}`);
    const deadline = Date.now() + (options.timeoutMs ?? Infinity);
    progress.show(first.status.state, first.status.message);
    try {
      for (;;) {
        pending = pause(Math.min(recheckMs, deadline - Date.now()));
        showEvents(events.splice(0), first.metadata.id, progress);
        if (feedError) throw feedError;
        const verdict = await inspect(session, first, options.goal, finishing);
        if (verdict.resource) progress.show(verdict.resource.status.state, verdict.resource.status.message);
        if (verdict.done) return verdict.resource ?? first;
        if (Date.now() >= deadline) {
          const state = verdict.resource?.status.state ?? first.status.state;
          throw new Error(
            `timed out after ${options.timeoutMs! / 1000}s: ${first.metadata.kind} ${first.metadata.name} is still ${state}`,
          );
        }
        await pending.until;
      }
    } finally {
      progress.stop();
    }
  } finally {
    pending.wake();
    controller.abort();
    await feed;
  }
}

export interface WaitFlags {
  wait?: boolean;
  timeout?: number;
}

/** --timeout alone implies --wait. */
export function withWaitFlags(command: Command): Command {
  return command
    .option('--wait', 'follow the resource until it settles; exit 1 with its message if it fails')
    .addOption(new Option('--timeout <duration>', 'give up waiting after this long: 90s, 5m, 1h').argParser(duration));
}

export const waits = (flags: WaitFlags) => flags.wait === true || flags.timeout !== undefined;
