// Servers on the local driver, which models a machine as one supervised long-running process: the spec's
// command, or by default one that only sleeps; power actions then act on that process (SIGSTOP to suspend).
import type { Static } from '@sinclair/typebox';
import type { serverKind } from '../../resources/kinds/server.ts';
import type { DriverHost, KindDriver } from '../driver.ts';
import type { LaunchSpec, ProcessSupervisor } from './processes/supervisor.ts';
import { createProcessKindDriver } from './process-kind-driver.ts';
import { limitsFor, processEnv } from './launch-settings.ts';
import { fingerprintOf } from './resource-processes.ts';

type ServerSpec = Static<typeof serverKind.spec>;

export interface LocalServerOptions {
  /** The local driver's state directory; server records and working directories go under `server/`. */
  stateDir: string;
  /** Run for a server whose spec names no command; defaults to `sleep infinity`, a machine that idles. */
  defaultServerCommand?: string[];
}

export function createLocalServerDriver(
  host: DriverHost,
  supervisor: ProcessSupervisor,
  options: LocalServerOptions,
): KindDriver {
  const defaultCommand = options.defaultServerCommand ?? ['sleep', 'infinity'];
  return createProcessKindDriver<Record<string, never>>(host, supervisor, options.stateDir, {
    kind: 'server',
    plan: async (resource, { workdir }) => {
      const spec = resource.spec as ServerSpec;
      const launch: LaunchSpec = {
        key: `${resource.id}/server`,
        command: spec.command ?? defaultCommand,
        cwd: workdir,
        env: processEnv({ CLOUDPLANE_SERVER: resource.id }),
        limits: limitsFor(spec.cpus, spec.memoryMiB),
      };
      return { processes: [{ spec: launch, fingerprint: fingerprintOf(launch) }], facts: {} };
    },
    details: (resource, view) => {
      const status = view.processes[0]?.status;
      return {
        pid: status?.state === 'exited' ? null : (status?.pid ?? null),
        command: (resource.spec as ServerSpec).command ?? defaultCommand,
        enforcement: status?.enforcement ?? null,
      };
    },
  });
}
