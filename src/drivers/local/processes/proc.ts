// What the kernel says about a pid (/proc/<pid>/stat), and signals to whole process groups.
import { readFileSync } from 'node:fs';
import type { PidRecord } from './records.ts';

/** The fields after the command name, which may itself hold spaces and parentheses. */
const statFields = (pid: number): string[] | undefined => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
};

/** Field 22 of /proc/<pid>/stat: clock ticks after boot; with the pid it identifies one process. */
export const processStartTime = (pid: number): string | undefined => statFields(pid)?.[22 - 3];

/**
 * Whether the recorded process still runs, or is paused (stopped with SIGSTOP, state T), from one read; undefined
 * once it is gone: a zombie or a recycled pid does not count.
 */
export const liveState = (record: PidRecord): 'running' | 'paused' | undefined => {
  const fields = statFields(record.pid);
  if (fields === undefined || fields[0] === 'Z' || fields[22 - 3] !== record.startTime) return undefined;
  return fields[0] === 'T' ? 'paused' : 'running';
};

export const isAlive = (record: PidRecord): boolean => liveState(record) !== undefined;

/** A group that is already gone is not an error: the goal (it does not run) holds. */
export const signalGroup = (pgid: number, signal: NodeJS.Signals): boolean => {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
};
