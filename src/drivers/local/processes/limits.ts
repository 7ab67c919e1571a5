// Decides how a process's cpu and memory limits are enforced here: cgroup v2, rlimits, or not at all.
import { accessSync, constants, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { findProgram } from './find-program.ts';
import type { LaunchSpec, ProcessStatus } from './supervisor.ts';

export interface LimitPlan {
  /** Put before the command; it applies the limits, then execs the command under the same pid. */
  prefix: string[];
  enforcement: ProcessStatus['enforcement'];
  /** The cgroup made for this process, removed by the supervisor when the process ends. */
  cgroupDir?: string;
}

const cgroupRoot = '/sys/fs/cgroup';

/** cgroup v2 is usable only when /sys/fs/cgroup itself is a writable cgroup2 mount (not hybrid). */
const probeCgroup2 = (): boolean => {
  try {
    const mounts = readFileSync('/proc/self/mountinfo', 'utf8').split('\n');
    const root = mounts.map((line) => line.split(' - ')).find(([before]) => before?.split(' ')[4] === cgroupRoot);
    if (root?.[1]?.split(' ')[0] !== 'cgroup2') return false;
    accessSync(cgroupRoot, constants.W_OK);
    return true;
  } catch {
    return false;
  }
};

/** How long an answer about the cgroup mount holds: reading mountinfo on every launch cost ~1% of the server. */
const cgroupProbeMs = 10_000;
let cgroupProbe: { writable: boolean; at: number } | undefined;

const writableCgroup2 = (): boolean => {
  const now = Date.now();
  if (!cgroupProbe || now - cgroupProbe.at > cgroupProbeMs) cgroupProbe = { writable: probeCgroup2(), at: now };
  return cgroupProbe.writable;
};

/** One cgroup per process under cloudplane/; undefined when the kernel refuses any step. */
const makeCgroup = (name: string, limits: NonNullable<LaunchSpec['limits']>): string | undefined => {
  try {
    const parent = path.join(cgroupRoot, 'cloudplane');
    mkdirSync(parent, { recursive: true });
    writeFileSync(path.join(cgroupRoot, 'cgroup.subtree_control'), '+memory +cpu');
    writeFileSync(path.join(parent, 'cgroup.subtree_control'), '+memory +cpu');
    const dir = path.join(parent, name);
    mkdirSync(dir, { recursive: true });
    if (limits.memoryBytes !== undefined) writeFileSync(path.join(dir, 'memory.max'), String(limits.memoryBytes));
    if (limits.cpus !== undefined)
      writeFileSync(path.join(dir, 'cpu.max'), `${Math.round(limits.cpus * 100000)} 100000`);
    return dir;
  } catch {
    return undefined;
  }
};

/** cgroup v2 caps both; prlimit caps only memory (address space, per process); cpus stay unenforced then. */
export const planLimits = (name: string, limits: LaunchSpec['limits']): LimitPlan => {
  if (!limits || (limits.cpus === undefined && limits.memoryBytes === undefined)) {
    return { prefix: [], enforcement: { method: 'none' } };
  }
  const cgroupDir = writableCgroup2() ? makeCgroup(name, limits) : undefined;
  if (cgroupDir) {
    // The shell joins the cgroup before exec, so the command and all its children start inside it.
    const join = 'echo $$ > "$0/cgroup.procs" && exec "$@"';
    return { prefix: ['/bin/sh', '-c', join, cgroupDir], enforcement: { method: 'cgroup-v2', ...limits }, cgroupDir };
  }
  const prlimit = findProgram('prlimit');
  if (prlimit && limits.memoryBytes !== undefined) {
    return {
      prefix: [prlimit, `--as=${limits.memoryBytes}`, '--'],
      enforcement: { method: 'rlimit', memoryBytes: limits.memoryBytes },
    };
  }
  return { prefix: [], enforcement: { method: 'none' } };
};
