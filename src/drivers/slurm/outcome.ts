// Reads the state of one submitted job (all its array tasks) out of the rows squeue returns.
import type { Observation } from '../driver.ts';
import type { SlurmJobRecord } from './commands.ts';

const finishedStates = new Set([
  'COMPLETED',
  'FAILED',
  'TIMEOUT',
  'CANCELLED',
  'NODE_FAIL',
  'OUT_OF_MEMORY',
  'PREEMPTED',
  'BOOT_FAIL',
  'DEADLINE',
]);
/** Pending reasons that no waiting cures: the job asks for more than the partition has. */
const unrunnableReasons = new Set(['PartitionConfig', 'PartitionNodeLimit', 'PartitionTimeLimit', 'BadConstraints']);

export const isFinished = (record: SlurmJobRecord): boolean => finishedStates.has(record.state);

export interface Outcome {
  observation: Observation;
  finished: boolean;
  /** Pending for a reason that never goes away: the caller cancels it. */
  unrunnable: boolean;
}

/** The rows of one submission: the job itself, or every task of the array. */
export const belongsTo =
  (slurmJobId: number) =>
  (record: SlurmJobRecord): boolean =>
    record.jobId === slurmJobId || record.arrayJobId === slurmJobId;

export const recordsOf = (slurmJobId: number, records: SlurmJobRecord[]): SlurmJobRecord[] =>
  records.filter(belongsTo(slurmJobId));

const label = (record: SlurmJobRecord): string =>
  record.arrayTaskId === null
    ? String(record.arrayJobId || record.jobId)
    : `${record.arrayJobId}_${record.arrayTaskId}`;

function describeEnd(record: SlurmJobRecord): string {
  const exitCode = record.exitStatus >> 8;
  const signal = record.exitStatus & 0x7f;
  const why =
    record.state === 'TIMEOUT'
      ? ` (runtime limit ${record.timeLimit} min)`
      : signal !== 0
        ? ` (signal ${signal})`
        : exitCode !== 0
          ? ` (exit code ${exitCode})`
          : '';
  return `slurm job ${label(record)} ${record.state}${why}`;
}

const succeeded = (record: SlurmJobRecord): boolean => record.state === 'COMPLETED' && record.exitStatus === 0;

function tally(records: SlurmJobRecord[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const record of records) counts[record.state] = (counts[record.state] ?? 0) + 1;
  return counts;
}

/** Undefined when Slurm no longer knows the job (it finished more than MinJobAge ago, or was lost). */
export function outcomeOf(slurmJobId: number, all: SlurmJobRecord[]): Outcome | undefined {
  const records = recordsOf(slurmJobId, all).sort((a, b) => (a.arrayTaskId ?? -1) - (b.arrayTaskId ?? -1));
  if (records.length === 0) return undefined;
  const isArray = records.some((record) => record.arrayJobId !== 0);
  const details: Record<string, unknown> = { slurmJobId, slurmStates: tally(records) };
  const blocked = records.find((record) => record.state === 'PENDING' && unrunnableReasons.has(record.reason));
  if (blocked) {
    const observation: Observation = {
      state: 'failed',
      message: `slurm cannot run job ${slurmJobId}: ${blocked.reason}`,
      details,
    };
    return { observation, finished: true, unrunnable: true };
  }
  const unfinished = records.filter((record) => !isFinished(record));
  if (unfinished.length > 0) {
    const started = unfinished.some((record) => record.state !== 'PENDING');
    const summary = isArray
      ? Object.entries(tally(records))
          .map(([state, count]) => `${count} ${state}`)
          .join(', ')
      : records[0].state;
    return {
      observation: {
        state: started ? 'active' : 'provisioning',
        message: `slurm job ${slurmJobId} ${summary}`,
        details,
      },
      finished: false,
      unrunnable: false,
    };
  }
  if (!isArray) details.exitCode = records[0].exitStatus >> 8;
  const failures = records.filter((record) => !succeeded(record));
  if (failures.length === 0)
    return {
      observation: { state: 'succeeded', message: `slurm job ${slurmJobId} COMPLETED`, details },
      finished: true,
      unrunnable: false,
    };
  const count = isArray ? ` (${failures.length} of ${records.length} instances failed)` : '';
  return {
    observation: { state: 'failed', message: `${describeEnd(failures[0])}${count}`, details },
    finished: true,
    unrunnable: false,
  };
}
