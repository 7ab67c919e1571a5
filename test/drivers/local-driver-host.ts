// What the local kind drivers' tests share: an in-memory DriverHost, a real supervisor in a temp dir, and waits.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import type { DriverHost, DriverResource, Observation } from '../../src/drivers/driver.ts';
import { createProcessSupervisor } from '../../src/drivers/local/processes/process-supervisor.ts';
import type { ProcessSupervisor } from '../../src/drivers/local/processes/supervisor.ts';

export interface Report {
  resourceId: string;
  observation: Observation;
}

/** A DriverHost that keeps resources in a list, as the engine keeps them in its store, and records reports. */
export interface TestHost extends DriverHost {
  resources: DriverResource[];
  reports: Report[];
  /** Adds a resource in the given state, as the engine does before it calls apply. */
  add(kind: string, spec: Record<string, unknown>, fields?: Partial<DriverResource>): DriverResource;
  /** Writes an observation into the resource, as the engine does with a driver's answer. */
  save(resource: DriverResource, observation: Observation): DriverResource;
  /** The first report for the resource that matches, already made or still to come; fails after `ms`. */
  reportFor(resourceId: string, matches: (observation: Observation) => boolean, ms?: number): Promise<Observation>;
}

export function createTestHost(stateDir: string): TestHost {
  const resources: DriverResource[] = [];
  const reports: Report[] = [];
  const waiting: Array<(report: Report) => void> = [];
  const save = (resource: DriverResource, observation: Observation) => {
    Object.assign(resource, { state: observation.state, details: observation.details ?? {} });
    return resource;
  };
  return {
    resources,
    reports,
    stateDir,
    log: pino({ level: 'silent' }),
    async report(resourceId, observation) {
      const resource = resources.find((candidate) => candidate.id === resourceId);
      if (resource) save(resource, observation);
      const report = { resourceId, observation };
      reports.push(report);
      for (const listener of [...waiting]) listener(report);
    },
    async children(resourceId) {
      return resources
        .filter((resource) => resource.parentId === resourceId)
        .map((resource) => structuredClone(resource));
    },
    add(kind, spec, fields = {}) {
      const resource: DriverResource = {
        id: randomUUID(),
        teamId: 'team',
        kind,
        name: `${kind}-${resources.length + 1}`,
        generation: 1,
        spec,
        labels: {},
        parentId: null,
        state: 'pending',
        details: {},
        ...fields,
      };
      resources.push(resource);
      return resource;
    },
    save,
    reportFor(resourceId, matches, ms = 20000) {
      const found = reports.find((report) => report.resourceId === resourceId && matches(report.observation));
      if (found) return Promise.resolve(found.observation);
      return new Promise((resolve, reject) => {
        const listener = (report: Report) => {
          if (report.resourceId !== resourceId || !matches(report.observation)) return;
          clearTimeout(timer);
          waiting.splice(waiting.indexOf(listener), 1);
          resolve(report.observation);
        };
        const timer = setTimeout(() => {
          waiting.splice(waiting.indexOf(listener), 1);
          reject(new Error(`no matching report for ${resourceId} within ${ms} ms`));
        }, ms);
        waiting.push(listener);
      });
    },
  };
}

export interface Sandbox {
  dir: string;
  /** The local driver's state directory (records, working directories). */
  stateDir: string;
  /** Where the supervisor keeps its process records; a second supervisor on it plays a restarted server. */
  processDir: string;
  host: TestHost;
  supervisor: ProcessSupervisor;
  /** Another supervisor on the same records, as after a server restart. */
  restartSupervisor(): ProcessSupervisor;
  /** Stops every process any of its supervisors started and deletes the directory. */
  cleanup(): Promise<void>;
}

export function createSandbox(): Sandbox {
  const dir = mkdtempSync(path.join(tmpdir(), 'cloudplane-local-'));
  const processDir = path.join(dir, 'processes');
  const stateDir = path.join(dir, 'local');
  const supervisors = [createProcessSupervisor(processDir)];
  return {
    dir,
    stateDir,
    processDir,
    host: createTestHost(dir),
    supervisor: supervisors[0],
    restartSupervisor() {
      const supervisor = createProcessSupervisor(processDir);
      supervisors.push(supervisor);
      return supervisor;
    },
    async cleanup() {
      for (const status of await supervisors[0].adoptAll()) await supervisors[0].stop(status.key, 100);
      for (const supervisor of supervisors) await supervisor.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Makes a fresh sandbox per call; all of them are cleaned up when the test file ends. */
export function sandboxMaker(): () => Sandbox {
  const made: Sandbox[] = [];
  after(async () => {
    for (const sandbox of made) await sandbox.cleanup();
  });
  return () => {
    const sandbox = createSandbox();
    made.push(sandbox);
    return sandbox;
  };
}

/** Polls until `probe` gives a value; fails after `ms`. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  ms = 15000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/** The kernel's one-letter state of a process (R, S, T, Z...), or undefined once it is gone. */
export function processState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  } catch {
    return undefined;
  }
}

/** Gone, or a zombie nobody has reaped yet: either way it no longer runs. */
export const isGone = (pid: number): boolean => {
  const state = processState(pid);
  return state === undefined || state === 'Z';
};
