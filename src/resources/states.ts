// One small vocabulary of states and actions for every kind; dialects map it to their own words.
export const states = ['pending', 'provisioning', 'active', 'stopped', 'suspended', 'succeeded', 'failed', 'deleting', 'deleted'] as const;
export type State = (typeof states)[number];

export const actions = ['start', 'stop', 'suspend', 'resume', 'restart', 'destroy'] as const;
export type Action = (typeof actions)[number];

/** Once deletion is requested, only progress towards deletion (or its failure) may follow. */
export const whileDeleting: readonly State[] = ['deleting', 'deleted', 'failed'];

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
