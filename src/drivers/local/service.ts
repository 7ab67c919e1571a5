// Services on the local driver: a catalogue type run as one supervised process on a port of its own on 127.0.0.1,
// prepared first when its type says how, and active only once it answers as its type says it should.
import type { Static } from '@sinclair/typebox';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { serviceKind } from '../../resources/kinds/service.ts';
import { PermanentDriverError, type DriverHost, type DriverResource, type KindDriver } from '../driver.ts';
import type { ProcessSupervisor } from './processes/supervisor.ts';
import { catalogueEntry, catalogueOf, render, renderCommand, type Catalogue, type Placeholders } from './catalogue.ts';
import { freePort } from './free-port.ts';
import { runTool } from './images/run-tool.ts';
import { processEnv } from './launch-settings.ts';
import { createProcessKindDriver, type PlanContext } from './process-kind-driver.ts';
import { probe } from './readiness.ts';
import { resourceFiles } from './resource-files.ts';
import { hasEnded } from './resource-processes.ts';
import { makeRuntimeDir, removeRuntimeDir, runtimeDirOf } from './runtime-dir.ts';

type ServiceSpec = Static<typeof serviceKind.spec>;

export interface LocalServiceOptions {
  /** The local driver's state directory; service records and working directories go under `service/`. */
  stateDir: string;
  /** Service types added to (or replacing) the default catalogue's. */
  catalogue?: Catalogue;
}

/** What the running process was launched with; kept so a rename can leave it running as it is. */
interface ServiceFacts {
  port: number;
  command: string[];
}

const nameOf = (resource: DriverResource) => (resource.spec as ServiceSpec).displayName || resource.name;

/** Beside the working directory (which http-static and php serve), readable by this user only. */
const privateDirOf = (workdir: string) => path.join(path.dirname(workdir), 'private');

const serviceEnv = (resource: DriverResource, port: number) =>
  processEnv({ CLOUDPLANE_SERVICE: resource.id, PORT: String(port) });

export function createLocalServiceDriver(
  host: DriverHost,
  supervisor: ProcessSupervisor,
  options: LocalServiceOptions,
): KindDriver {
  const catalogue = catalogueOf(options.catalogue);
  const entryOf = (resource: DriverResource) => catalogueEntry(catalogue, (resource.spec as ServiceSpec).type);
  const placeholders = (resource: DriverResource, port: number, workdir: string): Placeholders => ({
    port,
    name: nameOf(resource),
    id: resource.id,
    workdir,
    private: privateDirOf(workdir),
    runtime: runtimeDirOf(privateDirOf(workdir), resource.id),
  });

  /** The placeholders of a service that was launched on `port`. */
  const launched = (resource: DriverResource, port: number) =>
    placeholders(resource, port, resourceFiles(options.stateDir, 'service', resource.id).workdir);

  /** Runs the type's prepare step (idempotent by contract) in the service's directories before a launch. */
  const prepare = async (resource: DriverResource, values: Placeholders) => {
    await mkdir(values.workdir, { recursive: true });
    await mkdir(values.private, { recursive: true, mode: 0o700 });
    // Only a type that puts something there (mysql's socket) gets a directory outside the state directory.
    if (values.runtime !== values.private && JSON.stringify(entryOf(resource)).includes('{runtime}'))
      await makeRuntimeDir(values.runtime);
    const template = entryOf(resource).prepare;
    if (!template) return;
    const [program, ...args] = renderCommand(template, values);
    const { code, stderr } = await runTool(program, args, undefined, {
      cwd: values.workdir,
      env: serviceEnv(resource, values.port),
    });
    if (code !== 0)
      throw new PermanentDriverError(`preparing the service failed (exit code ${code}): ${stderr.trim().slice(-500)}`);
  };

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
    const values = placeholders(resource, port, workdir);
    await prepare(resource, values);
    return { port, command: renderCommand(entryOf(resource).command, values) };
  };

  return createProcessKindDriver<ServiceFacts>(host, supervisor, options.stateDir, {
    kind: 'service',
    plan: async (resource, context) => {
      // The name is left out: renaming a service must not restart it.
      const fingerprint = JSON.stringify([(resource.spec as ServiceSpec).type, entryOf(resource)]);
      const facts = await launchFacts(resource, fingerprint, context);
      const spec = {
        key: `${resource.id}/service`,
        command: facts.command,
        cwd: context.workdir,
        env: serviceEnv(resource, facts.port),
      };
      return { processes: [{ spec, fingerprint }], facts };
    },
    details: (resource, view) => {
      const status = view.processes[0]?.status;
      const { port, command } = view.record.facts;
      const { credentials } = catalogue[(resource.spec as ServiceSpec).type] ?? {};
      return {
        type: (resource.spec as ServiceSpec).type,
        name: nameOf(resource),
        port,
        address: `127.0.0.1:${port}`,
        pid: hasEnded(status) ? null : (status?.pid ?? null),
        command,
        // Where the credentials are, never what they are.
        ...(credentials ? { credentials: render(credentials, launched(resource, port)) } : {}),
      };
    },
    ready: async (resource, view) => {
      const check = catalogue[(resource.spec as ServiceSpec).type]?.ready;
      if (!check) return undefined;
      const values = launched(resource, view.record.facts.port);
      const rendered = 'command' in check ? { command: renderCommand(check.command, values) } : check;
      return probe(rendered, values.port, { cwd: values.workdir, env: serviceEnv(resource, values.port) });
    },
    removed: removeRuntimeDir,
  });
}
