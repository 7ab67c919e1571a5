// One small vocabulary of states and actions for every kind; dialects map it to their own words.
export const states = ['pending', 'provisioning', 'active', 'stopped', 'suspended', 'succeeded', 'failed', 'deleting', 'deleted'] as const;
export type State = (typeof states)[number];

export const actions = ['start', 'stop', 'suspend', 'resume', 'restart', 'destroy'] as const;
export type Action = (typeof actions)[number];

/** States in which a resource holds nothing yet or nothing any more. */
export const isTerminal = (state: State): boolean => state === 'deleted';
