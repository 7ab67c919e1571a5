// Starts the detached supervisor program (supervise.sh) for one launch spec, exactly once per key.
import { spawn } from 'node:child_process';
import { appendFileSync, linkSync, mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeKey, recordPaths } from './paths.ts';
import type { RecordPaths } from './paths.ts';
import { planLimits } from './limits.ts';
import { processStartTime } from './proc.ts';
import { writeJsonAtomic } from './records.ts';
import type { SpecRecord } from './records.ts';
import type { LaunchSpec } from './supervisor.ts';

const supervisorProgram = fileURLToPath(new URL('./supervise.sh', import.meta.url));

/** How long a command gets between SIGTERM and SIGKILL when its runtime is over. */
const timeoutGraceSeconds = 5;

/** link() fails when the target exists, so of two launches of one key only one gets to start it. */
const claimSpec = (file: string, spec: SpecRecord): boolean => {
  const temporary = `${file}.${process.pid}.claim`;
  writeFileSync(temporary, JSON.stringify(spec));
  try {
    linkSync(temporary, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(temporary);
  }
};

/** The arguments supervise.sh documents in its first lines. */
const supervisorArguments = (files: RecordPaths, spec: SpecRecord, setsid: string): string[] => [
  supervisorProgram,
  files.dir,
  files.marker,
  spec.stdoutPath,
  spec.stderrPath,
  spec.timeoutSeconds === undefined ? '' : String(spec.timeoutSeconds),
  String(timeoutGraceSeconds),
  spec.cgroupDir ?? '',
  'PWD' in spec.env ? '1' : '',
  setsid,
  ...spec.command,
];

/** Only a supervisor that cannot start at all (a missing working directory) ends here; its record says why. */
const recordUnstartable = (files: RecordPaths, spec: SpecRecord): void => {
  appendFileSync(spec.stderrPath, `cloudplane: cannot start ${spec.command[0]} in ${spec.cwd}\n`);
  writeJsonAtomic(files.exit, { exitCode: 127, signal: null, reason: 'exited', finishedAt: new Date().toISOString() });
};

/** Returns false, starting nothing, when the key already has a record. */
export const startSupervised = (stateDir: string, launch: LaunchSpec, setsid: string): boolean => {
  const files = recordPaths(stateDir, launch.key);
  mkdirSync(files.dir, { recursive: true });
  const limits = planLimits(encodeKey(launch.key), launch.limits);
  const spec: SpecRecord = {
    key: launch.key,
    command: [...limits.prefix, ...launch.command],
    cwd: launch.cwd,
    env: launch.env,
    timeoutSeconds: launch.timeoutSeconds,
    stdoutPath: launch.stdoutPath ?? files.stdout,
    stderrPath: launch.stderrPath ?? files.stderr,
    enforcement: limits.enforcement,
    cgroupDir: limits.cgroupDir,
    startedAt: new Date().toISOString(),
  };
  if (!claimSpec(files.spec, spec)) return false;
  for (const dir of new Set([spec.stdoutPath, spec.stderrPath].map((file) => path.dirname(file))))
    mkdirSync(dir, { recursive: true });
  const supervisor = spawn('/bin/sh', supervisorArguments(files, spec, setsid), {
    cwd: spec.cwd,
    env: spec.env,
    detached: true,
    stdio: 'ignore',
  });
  // The failure to start is recorded below; the event only repeats it.
  supervisor.on('error', () => {});
  if (supervisor.pid === undefined) {
    recordUnstartable(files, spec);
    return true;
  }
  supervisor.unref();
  // Written here rather than by the program itself, so no moment exists where a live supervisor has no record.
  writeJsonAtomic(files.supervisor, { pid: supervisor.pid, startTime: processStartTime(supervisor.pid) ?? '' });
  return true;
};
