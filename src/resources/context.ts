// What the resource services, and the API and dialects above them, are handed (types only).
import type { ServiceContext } from '../domain/context.ts';
import type { KindRegistry } from './kinds/registry.ts';
import type { RenderedResources } from './rendered.ts';

/** Files a driver keeps for a resource on this host (a job's logs and outputs), for the API to serve. */
export interface ResourceFiles {
  /** Log files per task (`i0`, `i0-r1`, ...), in order; empty before anything started. */
  logs(resourceId: string): Promise<{ task: string; stdout: string; stderr: string }[]>;
  /** The collected copy of a declared output (file or directory), or undefined. */
  output(resourceId: string, name: string): Promise<string | undefined>;
}

/** The one thing resource services ask of the drivers: their files, readable without the engine running. */
export interface DriverFiles {
  files(driverName: string, kind: string, stateDir: string): ResourceFiles | undefined;
}

export interface ResourceContext extends ServiceContext {
  kinds: KindRegistry;
  drivers: DriverFiles;
  /** Each resource's JSON, made once per version. */
  rendered: RenderedResources;
}
