// Reads one process's record directory and tells what it is now: running, paused, exited, or lost.
import { existsSync, statSync } from 'node:fs';
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

/**
 * What one launch recorded: each file is written once per launch (claimed, started, ended), so what was read once
 * holds until the key is forgotten. A launch is told apart by its spec file's identity: a key forgotten and launched
 * again (by this server or another sharing the directory) has a new spec file, and its old records are dropped.
 */
interface LaunchRecords {
  specIdentity: string;
  spec: SpecRecord;
  supervisor?: PidRecord;
  child?: PidRecord;
  exit?: ExitRecord;
}

/** The inode and change time: a file written again, or removed and made anew, never has the same pair. */
const identityOf = (file: string): string | undefined => {
  const stat = statSync(file, { bigint: true, throwIfNoEntry: false });
  return stat && `${stat.ino}:${stat.ctimeNs}`;
};

/** A missing file costs one stat, not a thrown error (four times the cost, and most reads of an exit find none). */
const readIfPresent = <T>(file: string): T | undefined =>
  statSync(file, { throwIfNoEntry: false }) ? readJson<T>(file) : undefined;

/** Sizes the memory of records kept; past it, the longest-kept launch is read from its files again. */
const keptLaunches = 10_000;

export type StatusReader = (key: string) => ProcessStatus | undefined;

/**
 * Reads the status of a key, undefined when nothing was launched under it. Records read before are kept, so a
 * process that ended costs one stat per read, and a running one a stat, a missing exit and /proc (the exit watcher
 * and the job driver read every process several times, and polling reads every running one four times a second).
 */
export const createStatusReader = (stateDir: string): StatusReader => {
  const launches = new Map<string, LaunchRecords>();
  const remember = (key: string, records: LaunchRecords): LaunchRecords => {
    launches.delete(key);
    launches.set(key, records);
    if (launches.size > keptLaunches) launches.delete(launches.keys().next().value as string);
    return records;
  };

  const recordsOf = (key: string, files: RecordPaths): LaunchRecords | undefined => {
    const specIdentity = identityOf(files.spec);
    const known = launches.get(key);
    if (specIdentity !== undefined && known?.specIdentity === specIdentity) return known;
    launches.delete(key);
    const spec = specIdentity === undefined ? undefined : readJson<SpecRecord>(files.spec);
    return spec && remember(key, { specIdentity: specIdentity!, spec });
  };

  return (key) => {
    const files = recordPaths(stateDir, key);
    const records = recordsOf(key, files);
    if (!records) return undefined;
    records.exit ??= readIfPresent<ExitRecord>(files.exit);
    records.child ??= readIfPresent<PidRecord>(files.child);
    const { spec, child } = records;
    if (records.exit) return fromRecords(spec, child, records.exit);
    const childState = child && liveState(child);
    if (childState) return fromRecords(spec, child, undefined, childState === 'paused');
    // Not started yet, or ended and its exit not yet written: its supervisor, alive, still will.
    records.supervisor ??= readIfPresent<PidRecord>(files.supervisor);
    if (records.supervisor && isAlive(records.supervisor)) return fromRecords(spec, child, undefined);
    // The supervisor may have written the record between the first read and its death.
    records.exit = readIfPresent<ExitRecord>(files.exit) ?? recordLost(files);
    return fromRecords(spec, child, records.exit);
  };
};

/** One read from the files alone, keeping nothing. */
export const readStatus = (stateDir: string, key: string): ProcessStatus | undefined =>
  createStatusReader(stateDir)(key);
