// Services on the local driver: a catalogue type run as one supervised process on a port of its own on 127.0.0.1.
import type { Static } from '@sinclair/typebox';
import type { serviceKind } from '../../resources/kinds/service.ts';
import type { DriverHost, DriverResource, KindDriver } from '../driver.ts';
import type { ProcessSupervisor } from './processes/supervisor.ts';
import { catalogueEntry, defaultCatalogue, renderCommand, type Catalogue } from './catalogue.ts';
import { freePort } from './free-port.ts';
import { processEnv } from './launch-settings.ts';
import { createProcessKindDriver, type PlanContext } from './process-kind-driver.ts';
import { hasEnded } from './resource-processes.ts';

type ServiceSpec = Static<typeof serviceKind.spec>;

export interface LocalServiceOptions {
  /** The local driver's state directory; service records and working directories go under `service/`. */
  stateDir: string;
  /** Service type → command template; `defaultCatalogue` when absent. */
  catalogue?: Catalogue;
}

/** What the running process was launched with; kept so a rename can leave it running as it is. */
interface ServiceFacts {
  port: number;
  command: string[];
}

const nameOf = (resource: DriverResource) => (resource.spec as ServiceSpec).displayName || resource.name;

export function createLocalServiceDriver(
  host: DriverHost,
  supervisor: ProcessSupervisor,
  options: LocalServiceOptions,
): KindDriver {
  const catalogue = options.catalogue ?? defaultCatalogue;

  /** The port and command to run with: the running ones, unless the type changed or this is a restart. */
  const launchFacts = async (
    resource: DriverResource,
    fingerprint: string,
    context: PlanContext<ServiceFacts>,
  ): Promise<ServiceFacts> => {
    const { current, workdir, relaunch } = context;
    const running = current !== undefined && !hasEnded(current.processes[0]?.status);
    const unchanged = running && current.record.fingerprints[`${resource.id}/service`] === fingerprint;
    if (unchanged && !relaunch) return current.record.facts;
    // A restart keeps the port the process holds now; it is free again once the old process is stopped.
    const port = unchanged ? current.record.facts.port : await freePort(current?.record.facts.port);
    const template = catalogueEntry(catalogue, (resource.spec as ServiceSpec).type).command;
    return { port, command: renderCommand(template, { port, name: nameOf(resource), id: resource.id, workdir }) };
  };

  return createProcessKindDriver<ServiceFacts>(host, supervisor, options.stateDir, {
    kind: 'service',
    plan: async (resource, context) => {
      const { type } = resource.spec as ServiceSpec;
      // The name is left out: renaming a service must not restart it.
      const fingerprint = JSON.stringify([type, catalogueEntry(catalogue, type).command]);
      const facts = await launchFacts(resource, fingerprint, context);
      const spec = {
        key: `${resource.id}/service`,
        command: facts.command,
        cwd: context.workdir,
        env: processEnv({ CLOUDPLANE_SERVICE: resource.id, PORT: String(facts.port) }),
      };
      return { processes: [{ spec, fingerprint }], facts };
    },
    details: (resource, view) => {
      const status = view.processes[0]?.status;
      const { port, command } = view.record.facts;
      return {
        type: (resource.spec as ServiceSpec).type,
        name: nameOf(resource),
        port,
        address: `127.0.0.1:${port}`,
        pid: hasEnded(status) ? null : (status?.pid ?? null),
        command,
      };
    },
  });
}
