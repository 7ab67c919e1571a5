// The contract between the engine and a driver: make a resource real, act on it, observe it, remove it.
import type { FastifyBaseLogger } from 'fastify';
import type { ResourceFiles } from '../resources/context.ts';
import type { Action, State } from '../domain/states.ts';
import type { Observation } from '../resources/status.ts';

export type { Observation };

/** The part of a resource a driver needs; the spec is already validated and defaulted by its kind. */
export interface DriverResource {
  id: string;
  teamId: string;
  kind: string;
  name: string;
  generation: number;
  spec: Record<string, unknown>;
  labels: Record<string, string>;
  parentId: string | null;
  state: State;
  details: Record<string, unknown>;
}

/** A driver failure the engine must not retry (bad spec for this host, image not runnable, no room). */
export class PermanentDriverError extends Error {}

export interface KindDriver {
  /** Creates the object or brings it to the current spec; idempotent: asked twice, it does the work once. */
  apply(resource: DriverResource): Promise<Observation>;
  /** Performs an allowed action (start, stop, suspend, resume, restart); idempotent. */
  act(resource: DriverResource, action: Action): Promise<Observation>;
  /** Tears the object down; resolves once nothing of it remains. Idempotent. */
  remove(resource: DriverResource): Promise<void>;
  /** What is really there now; used after a restart to reconcile, and to re-adopt what still runs. */
  observe(resource: DriverResource): Promise<Observation>;
  /** Its state is read from its children's (a stack's from its servers'): observed again whenever one changes. */
  readonly observesChildren?: boolean;
  /**
   * Nothing it holds changes unless the engine asks (bookkeeping such as a cluster's slots): the periodic sweep
   * skips its resources; the reconcile after a restart still observes them.
   */
  readonly changesOnlyWhenTold?: boolean;
}

/** What the engine gives a driver. */
export interface DriverHost {
  /** A change the driver noticed on its own (a job finished, a process died). */
  report(resourceId: string, observation: Observation): Promise<void>;
  /** Reads sibling resources (a cluster's applications, a stack's servers). */
  children(resourceId: string): Promise<DriverResource[]>;
  /** Where the driver may keep files that must survive a restart. */
  stateDir: string;
  log: FastifyBaseLogger;
}

export interface Driver {
  name: string;
  /**
   * Its objects change only when the engine or their agent says so (the external driver's agents report
   * through the API): the reconcile sweep has nothing to find and skips its resources.
   */
  readonly changesOnlyWhenTold?: boolean;
  /** The driver for one kind, or undefined when this driver does not handle it. */
  forKind(kind: string): KindDriver | undefined;
  /** File access for a kind; works in API-only processes too, since it needs nothing started. */
  files?(kind: string, stateDir: string): ResourceFiles | undefined;
  start(host: DriverHost): Promise<void>;
  stop(): Promise<void>;
}
