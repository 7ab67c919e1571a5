// The files that describe one supervised process, and how they are written (atomically) and read.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { ProcessStatus } from './supervisor.ts';

/** What to run, with the limit plan already decided; written before the supervisor starts. */
export interface SpecRecord {
  key: string;
  command: string[];
  cwd: string;
  env: Record<string, string>;
  timeoutSeconds?: number;
  stdoutPath: string;
  stderrPath: string;
  enforcement: ProcessStatus['enforcement'];
  /** The cgroup made for this process, if any, for the supervisor to remove at the end. */
  cgroupDir?: string;
  startedAt: string;
}

/** A pid with the start time the kernel gave it, so a recycled pid is never mistaken for it. */
export interface PidRecord {
  pid: number;
  startTime: string;
}

export interface ExitRecord {
  exitCode: number | null;
  signal: string | null;
  reason: 'exited' | 'timeout' | 'killed' | 'lost';
  finishedAt: string;
}

let temporaries = 0;
/** Unique among this process's writes, and the pid among processes alive at once. */
const temporaryFor = (file: string) => `${file}.${process.pid}.${++temporaries}.tmp`;

/** Readers see the old file or the new one, never half of one: write a temporary file, then rename. */
export const writeFileAtomic = (file: string, text: string): void => {
  const temporary = temporaryFor(file);
  writeFileSync(temporary, text);
  renameSync(temporary, file);
};

export const writeJsonAtomic = (file: string, value: unknown): void => writeFileAtomic(file, JSON.stringify(value));

/** Only a missing file means "not there yet"; anything else is a real error. */
export const readJson = <T>(file: string): T | undefined => {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
};
