// Supervises one command inside the launcher: forks it into a session of its own, records its pid once it runs,
// enforces its timeout, and records how it ended, whatever happens to the server that asked for it. The records
// are written on the event loop, synchronously: handed to the thread pool, the same writes cost more CPU than
// themselves in hand-offs, and the pool's threads add memory that every later fork has to copy (measured with the
// launcher alone: 14-18% more commands per second written here).
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RecordPaths } from './paths.ts';
import { processStartTime, signalGroup } from './proc.ts';
import { writeJsonAtomic } from './records.ts';
import type { ExitRecord, PidRecord, SpecRecord } from './records.ts';

/** How long a command gets between SIGTERM and SIGKILL when its runtime is over. */
const timeoutGraceMs = 5000;

/** A group that vanished meanwhile is the goal reached; any other refusal must not take the launcher down. */
const signalQuietly = (pgid: number, signal: NodeJS.Signals): void => {
  try {
    signalGroup(pgid, signal);
  } catch {
    // EPERM: the group now belongs to someone else; nothing of ours is left in it.
  }
};

const writeExit = (files: RecordPaths, exit: Omit<ExitRecord, 'finishedAt'>): void => {
  writeJsonAtomic(files.exit, { ...exit, finishedAt: new Date().toISOString() });
  writeFileSync(`${files.marker}.exited`, '');
};

/** A record that cannot be written (a full disk) fails that one command; the launcher's log says why. */
const logFailure = (error: unknown): void => {
  console.error(`${new Date().toISOString()} ${(error as Error).stack ?? String(error)}`);
};

/** Runs `write`, logging its failure rather than throwing: what follows (the next record, the hook) still runs. */
const logged = (write: () => void): void => {
  try {
    write();
  } catch (error) {
    logFailure(error);
  }
};

/** The log files are opened for appending here and handed to the command; the launcher keeps no copy open. */
const openLogs = (spec: SpecRecord): [number, number] => {
  for (const file of [spec.stdoutPath, spec.stderrPath]) mkdirSync(path.dirname(file), { recursive: true });
  const stdout = openSync(spec.stdoutPath, 'a');
  try {
    return [stdout, spec.stderrPath === spec.stdoutPath ? stdout : openSync(spec.stderrPath, 'a')];
  } catch (error) {
    closeSync(stdout);
    throw error;
  }
};

/** A command that cannot start at all (not found, not executable, no working directory) ends with 127 at once. */
const recordUnstartable = (files: RecordPaths, spec: SpecRecord, error: NodeJS.ErrnoException): void => {
  const why = !existsSync(spec.cwd) ? ` in ${spec.cwd}` : error.code === 'ENOENT' ? ': not found' : `: ${error.code}`;
  try {
    writeFileSync(spec.stderrPath, `cloudplane: cannot start ${spec.command[0]}${why}\n`, { flag: 'a' });
  } catch {
    // The log itself is what could not be opened; the exit record below still ends the process.
  }
  writeExit(files, { exitCode: 127, signal: null, reason: 'exited' });
};

/** Marks the timeout before signalling, so the exit reads as 'timeout'; a paused command needs SIGCONT to act. */
const armTimeout = (pid: number, seconds: number, onTimeout: () => void): (() => void) => {
  let grace: NodeJS.Timeout | undefined;
  const limit = setTimeout(() => {
    onTimeout();
    signalQuietly(pid, 'SIGTERM');
    signalQuietly(pid, 'SIGCONT');
    grace = setTimeout(() => signalQuietly(pid, 'SIGKILL'), timeoutGraceMs);
  }, seconds * 1000);
  return () => {
    clearTimeout(limit);
    clearTimeout(grace);
  };
};

/** Forks the command; undefined when it cannot start, its exit then already recorded. */
const start = (files: RecordPaths, spec: SpecRecord, onEnd: () => void): ChildProcess | undefined => {
  const unstartable = (error: NodeJS.ErrnoException): undefined => {
    logged(() => recordUnstartable(files, spec, error));
    onEnd();
    return undefined;
  };
  let logs: [number, number];
  try {
    logs = openLogs(spec);
  } catch (error) {
    return unstartable(error as NodeJS.ErrnoException);
  }
  const [stdout, stderr] = logs;
  try {
    // detached: the command calls setsid() before exec, so it leads its own group, and signals reach all it starts.
    const child = spawn(spec.command[0], spec.command.slice(1), {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      stdio: ['ignore', stdout, stderr],
    });
    // Node reports the common failures (not found, no permission) as an event, the rare ones by throwing.
    if (child.pid === undefined) child.once('error', unstartable);
    return child;
  } catch (error) {
    return unstartable(error as NodeJS.ErrnoException);
  } finally {
    closeSync(stdout);
    if (stderr !== stdout) closeSync(stderr);
  }
};

/** Records that the command runs, then wakes whoever waits for it. */
const recordStart = (files: RecordPaths, child: PidRecord, hooks: SuperviseHooks): void => {
  writeJsonAtomic(files.child, child);
  writeFileSync(`${files.marker}.started`, '');
  hooks.started();
};

/** What is left to do once the command ended and its leftovers are killed: its record, its cgroup. */
const finish = (files: RecordPaths, spec: SpecRecord, exit: Omit<ExitRecord, 'finishedAt'>): void => {
  writeExit(files, exit);
  if (!spec.cgroupDir) return;
  try {
    rmdirSync(spec.cgroupDir);
  } catch {
    // A cgroup that still holds a leftover process cannot be removed; the kernel keeps it harmlessly.
  }
};

/** What the launcher is told about one command: it runs (its pid is recorded), it ended (its exit is). */
export interface SuperviseHooks {
  started(): void;
  ended(): void;
}

/** Starts the command; `ended` follows once its exit is recorded (at once for one that cannot start). */
export const supervise = (files: RecordPaths, spec: SpecRecord, hooks: SuperviseHooks): void => {
  const child = start(files, spec, hooks.ended);
  const pid = child?.pid;
  if (pid === undefined) return;
  let timedOut = false;
  const disarm =
    spec.timeoutSeconds === undefined ? () => {} : armTimeout(pid, spec.timeoutSeconds, () => (timedOut = true));
  // spawn returns once exec succeeded, so from here the pid is the command itself, leader of its group; its start
  // time is read now, while the pid cannot yet be reaped and reused.
  const startTime = processStartTime(pid) ?? '';
  // A stop asked for (by another server) before the pid was known could not reach the command. Checked before the
  // pid is written: from then on a stop signals it itself (SIGTERM first), and killing it here too would cut that
  // grace short.
  if (existsSync(files.stopRequest)) signalQuietly(pid, 'SIGKILL');
  logged(() => recordStart(files, { pid, startTime }, hooks));
  child!.once('exit', (exitCode, signal) => {
    disarm();
    // A job ends with its main process: whatever it left running in its group would escape supervision.
    signalQuietly(pid, 'SIGKILL');
    const reason = timedOut ? 'timeout' : existsSync(files.stopRequest) ? 'killed' : 'exited';
    // The start's records were written in the tick that forked it, so no reader finds an exit without them.
    logged(() => finish(files, spec, { exitCode, signal, reason }));
    hooks.ended();
  });
};
