// Reads one process's record directory and tells what it is now: running, paused, exited, or lost.
import { existsSync } from 'node:fs';
import { recordPaths } from './paths.ts';
import type { RecordPaths } from './paths.ts';
import { isAlive, liveState } from './proc.ts';
import { readJson, writeJsonAtomic } from './records.ts';
import type { ExitRecord, PidRecord, SpecRecord } from './records.ts';
import type { ProcessStatus } from './supervisor.ts';

const fromRecords = (
  spec: SpecRecord,
  child: PidRecord | undefined,
  exit: ExitRecord | undefined,
  paused = false,
): ProcessStatus => ({
  key: spec.key,
  state: exit ? 'exited' : paused ? 'stopped' : 'running',
  pid: child?.pid ?? null,
  exitCode: exit?.exitCode ?? null,
  signal: exit?.signal ?? null,
  reason: exit?.reason ?? null,
  startedAt: spec.startedAt,
  finishedAt: exit?.finishedAt ?? null,
  stdoutPath: spec.stdoutPath,
  stderrPath: spec.stderrPath,
  enforcement: spec.enforcement,
});

/** Nobody can still write the exit record: make 'lost' final, so every later reader agrees. */
const recordLost = (files: RecordPaths): ExitRecord => {
  const exit: ExitRecord = {
    exitCode: null,
    signal: null,
    reason: existsSync(files.stopRequest) ? 'killed' : 'lost',
    finishedAt: new Date().toISOString(),
  };
  writeJsonAtomic(files.exit, exit);
  return exit;
};

/** Undefined when nothing was launched under this key. */
export const readStatus = (stateDir: string, key: string): ProcessStatus | undefined => {
  const files = recordPaths(stateDir, key);
  const spec = readJson<SpecRecord>(files.spec);
  if (!spec) return undefined;
  const exit = readJson<ExitRecord>(files.exit);
  const child = readJson<PidRecord>(files.child);
  if (exit) return fromRecords(spec, child, exit);
  const childState = child && liveState(child);
  if (childState) return fromRecords(spec, child, undefined, childState === 'paused');
  // Not started yet, or ended and its exit not yet written: its supervisor, alive, still will.
  const supervisor = readJson<PidRecord>(files.supervisor);
  if (supervisor && isAlive(supervisor)) return fromRecords(spec, child, undefined);
  // The supervisor may have written the record between the first read and its death.
  const lateExit = readJson<ExitRecord>(files.exit);
  return fromRecords(spec, child, lateExit ?? recordLost(files));
};
