// A KindDriver for the kinds the local driver runs as supervised processes: each kind only says which
// processes a resource should have, what its status shows and, if it can tell, whether it answers; power actions
// work the same for all.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Action } from '../../domain/states.ts';
import {
  PermanentDriverError,
  type DriverHost,
  type DriverResource,
  type KindDriver,
  type Observation,
} from '../driver.ts';
import type { ProcessSupervisor } from './processes/supervisor.ts';
import { createResourceProcesses, describeExit, hasEnded, type Plan, type ProcessView } from './resource-processes.ts';

export interface PlanContext<Facts> {
  /** What runs now, if anything was launched before. */
  current: ProcessView<Facts> | undefined;
  /** The resource's own working directory, created before its processes start. */
  workdir: string;
  /** True for a restart: every process is launched again, changed or not. */
  relaunch: boolean;
}

export interface ProcessKind<Facts> {
  kind: string;
  /** The processes the resource should have now; throws PermanentDriverError when it cannot run here. */
  plan(resource: DriverResource, context: PlanContext<Facts>): Promise<Plan<Facts>>;
  /** What status.details shows for it. */
  details(resource: DriverResource, view: ProcessView<Facts>): Record<string, unknown>;
  /** How a message names one of its processes ("replica 2: "); empty when it has one. */
  describe?(key: string): string;
  /** Undefined once the resource answers, else why not; without it a running resource is active. */
  ready?(resource: DriverResource, view: ProcessView<Facts>): Promise<string | undefined>;
  /** Lets go of what the resource held besides its processes and files (an image), once they are gone. */
  removed?(resourceId: string): Promise<void>;
}

/** How long a launch waits for an answer before leaving it to the reconcile sweep, and how often it asks. */
const readyWaitMs = 60000;
const readyPollMs = 100;

export function createProcessKindDriver<Facts>(
  host: DriverHost,
  supervisor: ProcessSupervisor,
  stateDir: string,
  kind: ProcessKind<Facts>,
): KindDriver {
  const describe = kind.describe ?? (() => '');
  const processes = createResourceProcesses<Facts>(host, supervisor, { stateDir, kind: kind.kind, describe });

  const observation = async (resource: DriverResource, view: ProcessView<Facts> | undefined): Promise<Observation> => {
    // Reached only for a resource the engine believes was applied: its processes were never launched, or their record is lost.
    if (!view)
      return {
        state: 'failed',
        message: `nothing runs for this ${kind.kind}: the local driver has no record of launching it`,
      };
    const details = kind.details(resource, view);
    const { power } = view.record;
    const ended = view.processes.find(({ status }) => hasEnded(status));
    if (power === 'stopped' && view.processes.every(({ status }) => hasEnded(status)))
      return { state: 'stopped', message: 'stopped', details };
    if (ended && power !== 'stopped') {
      const why = ended.status ? describeExit(ended.status) : 'the supervisor has no record of the process';
      return { state: 'failed', message: `${describe(ended.key)}${why}`, details };
    }
    if (power === 'suspended') return { state: 'suspended', message: 'suspended (processes paused)', details };
    const unanswered = await kind.ready?.(resource, view);
    if (unanswered) return { state: 'provisioning', message: `running, not answering yet: ${unanswered}`, details };
    return { state: 'active', message: 'running', details };
  };

  /** After a launch: says where it will answer (provisioning), then waits for an answer, an exit, or readyWaitMs. */
  const settle = async (resource: DriverResource, view: ProcessView<Facts>): Promise<Observation> => {
    let seen = await observation(resource, view);
    if (seen.state !== 'provisioning') return seen;
    await host.report(resource.id, seen);
    for (const deadline = Date.now() + readyWaitMs; seen.state === 'provisioning' && Date.now() < deadline;) {
      await sleep(readyPollMs);
      seen = await observation(resource, await processes.view(resource.id));
    }
    return seen;
  };

  const plan = (resource: DriverResource, current: ProcessView<Facts> | undefined, relaunch = false) =>
    kind.plan(resource, { current, workdir: processes.files(resource.id).workdir, relaunch });

  const perform = async (resource: DriverResource, action: Action) => {
    const current = await processes.view(resource.id);
    switch (action) {
      case 'start':
        return settle(resource, await processes.run(resource.id, await plan(resource, current)));
      case 'restart':
        return settle(resource, await processes.run(resource.id, await plan(resource, current, true), true));
      case 'stop':
        return observation(resource, await processes.stop(resource.id));
      case 'suspend':
        return observation(resource, await processes.pause(resource.id));
      case 'resume':
        return observation(resource, await processes.resume(resource.id));
      default:
        throw new PermanentDriverError(`the local driver cannot ${action} a ${kind.kind}`);
    }
  };

  return {
    apply: (resource) =>
      processes.serialize(resource.id, async () => {
        const current = await processes.view(resource.id);
        // A stopped or suspended resource stays so; a new spec takes effect at its next start or restart.
        if (current && current.record.power !== 'active') return observation(resource, current);
        return settle(resource, await processes.run(resource.id, await plan(resource, current)));
      }),
    act: (resource, action) => processes.serialize(resource.id, () => perform(resource, action)),
    remove: (resource) =>
      processes.serialize(resource.id, async () => {
        await processes.remove(resource.id);
        await kind.removed?.(resource.id);
      }),
    observe: (resource) =>
      processes.serialize(resource.id, async () => observation(resource, await processes.view(resource.id))),
  };
}
