// Claims a key's record for one launch, exactly once per key, before the launcher is asked to start it.
import { linkSync, mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { encodeKey, recordPaths } from './paths.ts';
import { planLimits } from './limits.ts';
import { writeJsonAtomic } from './records.ts';
import type { PidRecord, SpecRecord } from './records.ts';
import type { LaunchSpec } from './supervisor.ts';

/** link() fails when the target exists, so of two launches of one key (two servers) only one gets to start it. */
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

/**
 * The spec the launcher is to start, or undefined (nothing to start) when the key already has a record. The launcher
 * is written as its supervisor at once, so no moment exists where a live supervisor has no record.
 */
export const claimLaunch = (stateDir: string, launch: LaunchSpec, launcher: PidRecord): SpecRecord | undefined => {
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
  if (!claimSpec(files.spec, spec)) return undefined;
  writeJsonAtomic(files.supervisor, launcher);
  return spec;
};
