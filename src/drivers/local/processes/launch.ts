// Starts the detached supervisor program for one launch spec, exactly once per key.
import { spawn } from 'node:child_process';
import { linkSync, mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { encodeKey, recordPaths } from './paths.ts';
import { planLimits } from './limits.ts';
import { processStartTime } from './proc.ts';
import { writeJsonAtomic } from './records.ts';
import type { SpecRecord } from './records.ts';
import type { LaunchSpec } from './supervisor.ts';

const supervisorProgram = fileURLToPath(new URL('./supervise.ts', import.meta.url));

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

/** Returns false, starting nothing, when the key already has a record. */
export const startSupervised = (stateDir: string, launch: LaunchSpec): boolean => {
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
  const supervisor = spawn(process.execPath, [supervisorProgram, files.dir], { detached: true, stdio: 'ignore' });
  // A supervisor that fails to start leaves no supervisor record, so its status reads as lost.
  supervisor.on('error', () => {});
  if (supervisor.pid === undefined) throw new Error(`cannot start the supervisor for ${launch.key}`);
  supervisor.unref();
  // Written here rather than by the program itself, so no moment exists where a live supervisor has no record.
  writeJsonAtomic(files.supervisor, { pid: supervisor.pid, startTime: processStartTime(supervisor.pid) ?? '' });
  return true;
};
