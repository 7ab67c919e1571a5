// Logs each resource that fails and why, read off the change feed: every way to `failed` (a driver's
// report, a spent retry budget, a silent agent, an agent's own report) passes through one status event.
import type { FastifyBaseLogger } from 'fastify';
import type { EventRow } from '../store/events.ts';

interface StatusEventData {
  name: string;
  state: string;
  previousState: string;
  message: string;
}

export function logResourceFailure(log: FastifyBaseLogger, event: EventRow): void {
  if (event.type !== 'resource.status') return;
  const data = JSON.parse(event.data) as StatusEventData;
  if (data.state !== 'failed' || data.previousState === 'failed') return;
  log.warn(
    { resource: event.object_id, kind: event.object_kind, team: event.team_id, previousState: data.previousState },
    `${event.object_kind} ${data.name} failed: ${data.message}`,
  );
}
