// One small vocabulary of states and actions for every kind; dialects map it to their own words.
import { Type } from '@sinclair/typebox';
export const states = [
  'pending',
  'provisioning',
  'active',
  'stopped',
  'suspended',
  'succeeded',
  'failed',
  'deleting',
  'deleted',
] as const;
export type State = (typeof states)[number];
/** The vocabulary as a schema, for models and the API document. */
export const StateName = Type.Union(states.map((state) => Type.Literal(state)));

export const actions = ['start', 'stop', 'suspend', 'resume', 'restart', 'destroy'] as const;
export type Action = (typeof actions)[number];

/** Once deletion is requested, only progress towards deletion (or its failure) may follow. */
export const whileDeleting: readonly State[] = ['deleting', 'deleted', 'failed'];

/** Where a resource rests until something acts on it: nothing more will happen by itself. */
export const finishedStates: readonly State[] = ['succeeded', 'failed', 'deleted'];

/** Not yet finished: something (the engine, a driver or an agent) still has to move it on. */
export const unfinishedStates: readonly State[] = states.filter((state) => !finishedStates.includes(state));

/** A driver holds something real for the resource: everything past pending and short of deleted. */
export const heldStates: readonly State[] = states.filter((state) => state !== 'pending' && state !== 'deleted');

/** Neither being deleted nor gone: what still stands (krak8s's one cluster per namespace, okeanos's counts). */
export const standingStates: readonly State[] = states.filter((state) => state !== 'deleting' && state !== 'deleted');

/** What may change by itself (a process exits, a job ends): checked on every reconcile sweep. */
export const selfChangingStates: readonly State[] = ['provisioning', 'active', 'suspended'];

/** Before or while a job runs: its logs may still grow. */
export const runningStates: readonly State[] = ['pending', 'provisioning', 'active'];

const live: readonly State[] = ['provisioning', 'active', 'stopped', 'suspended', 'failed'];

/**
 * The moves an agent may report, shared by every kind (each keeps the states it has). Agents may skip
 * steps they did not see; what needs a request never comes from a report: deletion (a DELETE), and a
 * finished job running again (a restart, which the external driver answers with pending).
 */
export const reportedTransitions: Readonly<Record<State, readonly State[]>> = {
  pending: ['pending', ...live, 'succeeded'],
  provisioning: [...live, 'succeeded'],
  active: [...live, 'succeeded'],
  stopped: live,
  suspended: live,
  succeeded: ['succeeded'],
  failed: ['pending', ...live],
  deleting: whileDeleting,
  deleted: [],
};

/** The states a report may move a resource of a kind with `kindStates` to from `from`. */
export function reportableNextStates(kindStates: readonly State[], from: State, deletionRequested: boolean): State[] {
  const next = deletionRequested && from !== 'deleted' ? whileDeleting : reportedTransitions[from];
  return next.filter((state) => kindStates.includes(state));
}
