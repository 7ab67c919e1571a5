// Writes what a driver observed onto a resource: one vocabulary, checked against the kind, with an event.
import { recordEvent } from '../domain/commit.ts';
import { announceFailedDeletion } from './cascade.ts';
import type { KindRegistry } from './kinds/registry.ts';
import type { StoredStatus } from './resource-row.ts';
import { whileDeleting, type State } from '../domain/states.ts';
import { nowIso } from '../lib/ids.ts';
import * as store from '../store/resources.ts';
import type { Db } from '../store/db.ts';

/** What a driver saw: the state reached and why, plus details worth showing in status.details. */
export interface Observation {
  state: State;
  message: string;
  details?: Record<string, unknown>;
}

const allowedWhileDeleting = new Set<string>(whileDeleting);

export interface StatusWrite {
  observation: Observation;
  /** The generation the driver worked on; observedGeneration never goes back. */
  generation?: number;
  /** Extra status fields, e.g. what blocks a deletion. */
  conditions?: StoredStatus['conditions'];
  /** The state the driver was shown; a driver that left it as it was does not undo a report made meanwhile. */
  basedOnState?: string;
}

/** An observation naming a state its kind does not have: a driver bug that retrying cannot fix. */
export class DisallowedState extends Error {}

/** Returns the updated row, or undefined when the write no longer applies (deleted, or late). */
export async function writeStatus(
  db: Db,
  kinds: KindRegistry,
  resourceId: string,
  write: StatusWrite,
): Promise<store.ResourceRow | undefined> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const row = await store.findResourceById(db, resourceId);
    if (!row || row.state === 'deleted') return undefined;
    const reportedMeanwhile =
      write.basedOnState !== undefined &&
      row.state !== write.basedOnState &&
      write.observation.state === write.basedOnState;
    const observation = reportedMeanwhile
      ? { ...write.observation, state: row.state as Observation['state'], message: JSON.parse(row.status).message }
      : write.observation;
    if (row.state === 'deleting' && !allowedWhileDeleting.has(observation.state)) return undefined;
    const kind = kinds.get(row.kind);
    if (kind && !kind.definition.states.includes(observation.state)) {
      throw new DisallowedState(
        `a ${row.kind} cannot be ${observation.state}; its states are ${kind.definition.states.join(', ')}`,
      );
    }
    const status = JSON.parse(row.status) as StoredStatus;
    const at = nowIso();
    const next: store.ResourceRow = {
      ...row,
      state: observation.state,
      status: JSON.stringify({
        message: observation.message,
        conditions: write.conditions ?? status.conditions,
        observedGeneration: Math.max(status.observedGeneration, write.generation ?? 0),
        details: { ...status.details, ...observation.details },
      }),
      resource_version: row.resource_version + 1,
      updated_at: at,
    };
    if (!(await store.updateResource(db, next, row, false))) continue;
    if (row.state !== next.state || status.message !== observation.message) {
      await recordEvent(db, null, {
        type: next.state === 'deleted' ? 'resource.deleted' : 'resource.status',
        teamId: row.team_id,
        objectKind: row.kind,
        objectId: row.id,
        data: { name: row.name, state: next.state, previousState: row.state, message: observation.message },
      });
    }
    if (next.state === 'failed' && row.state !== 'failed' && row.deletion_requested_at !== null)
      await announceFailedDeletion(db, next);
    return next;
  }
  throw new Error(`resource ${resourceId} kept changing while its status was written`);
}
