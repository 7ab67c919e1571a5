// The contract of the local process layer: detached, supervised processes that outlive a server
// restart and are re-adopted after it, so nothing is started twice and no exit is missed.

export interface LaunchSpec {
  /** Unique and stable per process (e.g. `<resourceId>/instance-3`): launching a known key starts nothing. */
  key: string;
  command: string[];
  cwd: string;
  env: Record<string, string>;
  /** Killed (SIGTERM, then SIGKILL) when it runs longer than this. */
  timeoutSeconds?: number;
  /** Enforced with cgroups v2 where writable, else rlimits; what was applied is reported back. */
  limits?: { cpus?: number; memoryBytes?: number };
  /** Where stdout and stderr go (appended); by default files in the process's state directory. */
  stdoutPath?: string;
  stderrPath?: string;
}

export interface ProcessStatus {
  key: string;
  state: 'running' | 'stopped' | 'exited';
  pid: number | null;
  exitCode: number | null;
  signal: string | null;
  /** Why it ended: its own exit, the runtime limit, a stop request, or the supervisor lost it. */
  reason: 'exited' | 'timeout' | 'killed' | 'lost' | null;
  startedAt: string;
  finishedAt: string | null;
  stdoutPath: string;
  stderrPath: string;
  /** The limits actually applied, and how (`cgroup-v2`, `rlimit`, or `none`). */
  enforcement: { method: 'cgroup-v2' | 'rlimit' | 'none'; cpus?: number; memoryBytes?: number };
}

export interface ProcessSupervisor {
  /** Resolves once the command runs (its pid is known) or has ended; a known key starts nothing. */
  launch(spec: LaunchSpec): Promise<ProcessStatus>;
  status(key: string): Promise<ProcessStatus | undefined>;
  /** SIGSTOP/SIGCONT to the whole process group (suspend/resume). */
  pause(key: string): Promise<void>;
  resume(key: string): Promise<void>;
  /** SIGTERM to the group, SIGKILL after `graceMs`; resolves once it has exited. */
  stop(key: string, graceMs?: number): Promise<ProcessStatus | undefined>;
  /** Removes what is kept for a finished process (logs, status). */
  forget(key: string): Promise<void>;
  /** Called once when the process ends, also for processes adopted after a restart. */
  onExit(listener: (status: ProcessStatus) => void): void;
  /** Re-adopts every process still recorded in the state directory; called at start. */
  adoptAll(): Promise<ProcessStatus[]>;
  close(): Promise<void>;
}
